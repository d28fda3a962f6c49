"""Training throughput of one config under speed levers, against a plain baseline.

Every variant trains the same model (same config, fresh weights) on the same data in the
same process; the report is examples/s (median of timed windows after compilation) and
the ratio to the baseline, a plain ``tf.function`` around ``train_step`` driven by a
Python loop over the tf.data iterator (no XLA, no ``steps_per_execution``, float32,
Keras' own Adam update).
"""
import dataclasses
import time
from typing import Dict, List, Optional

import keras
import numpy as np
import tensorflow as tf

from tfvae.training.train_settings import setting, stream_settings

VARIANTS: Dict[str, Dict[str, object]] = {
    "baseline_tf_function": dict(loop="manual", jit_compile=False, steps_per_execution=1,
                                 precision="float32", fused_optimizer=False),
    "fit": dict(loop="fit", jit_compile=False, steps_per_execution=1, precision="float32"),
    "fit_xla": dict(loop="fit", jit_compile=True, steps_per_execution=1, precision="float32"),
    "fit_xla_spe10": dict(loop="fit", jit_compile=True, steps_per_execution=10,
                          precision="float32"),
    "fit_xla_spe50": dict(loop="fit", jit_compile=True, steps_per_execution=50,
                          precision="float32"),
    "fit_xla_spe50_bf16": dict(loop="fit", jit_compile=True, steps_per_execution=50,
                               precision="mixed_bfloat16"),
    # One step per call, for large models whose step takes seconds (DVAE at paper size).
    "fit_bf16": dict(loop="fit", jit_compile=False, steps_per_execution=1,
                     precision="mixed_bfloat16"),
    # The same with Keras' own Adam update instead of the fused kernel (its lever).
    "fit_bf16_keras_adam": dict(loop="fit", jit_compile=False, steps_per_execution=1,
                                precision="mixed_bfloat16", fused_optimizer=False),
    "fit_xla_bf16": dict(loop="fit", jit_compile=True, steps_per_execution=1,
                         precision="mixed_bfloat16"),
}


@dataclasses.dataclass
class Measurement:
  variant: str
  examples_per_sec: float
  compile_seconds: float
  window_seconds: List[float]
  batch_size: int
  steps_per_window: int
  flops_per_example: Optional[float] = None  # matmul FLOPs of the traced step (count_flops)


def _configure(config, settings):
  config = config.copy_and_resolve_references()
  with config.unlocked():
    config.train.jit_compile = bool(settings["jit_compile"])
    config.train.steps_per_execution = int(settings["steps_per_execution"])
    config.train.precision = str(settings["precision"])
    config.train.fused_optimizer = bool(settings.get(
        "fused_optimizer", setting(config.train, "fused_optimizer")))
  return config


def config_settings(config) -> Dict[str, object]:
  """The speed settings a config trains with (``tfvae-train``'s own loop)."""
  tc = config.train
  return dict(loop="fit", jit_compile=bool(setting(tc, "jit_compile")),
              steps_per_execution=int(setting(tc, "steps_per_execution") or 1),
              precision=str(setting(tc, "precision")),
              fused_optimizer=bool(setting(tc, "fused_optimizer")))


class TrainLoop:
  """A fresh model of ``config`` trained under one variant's speed settings.

  ``variant`` names one of ``VARIANTS``, or pass ``settings`` (then ``variant`` is only
  the label), e.g. ``config_settings(config)``. ``run`` can be called again: the
  compiled step (and, for the manual loop, the data iterator) is kept between calls.
  Call ``close`` to put the global float32 policy back.
  """

  def __init__(self, config, variant: str, steps_per_window: int, seed: int = 0,
               settings: Dict[str, object] = None):
    from tfvae.training.trainer import build  # pylint: disable=g-import-not-at-top
    self.settings = settings or VARIANTS[variant]
    config = _configure(config, self.settings)
    keras.backend.clear_session()
    splits, self.model = build(config, steps_per_epoch=steps_per_window)
    self.batch_size = int(config.train.batch_size)
    self.data = splits.train_dataset(self.batch_size, seed, **stream_settings(config.train))
    self._step = self._iterator = None
    if self.settings["loop"] == "manual":
      # Wrapped like Keras does: tf.function of the bound method makes autograph treat
      # the sequence models' static ``_inputs`` as bound (TypeError).
      model = self.model
      # reduce_retracing: batches cut to their longest sequence (length_bucket_pool)
      # vary in shape; one generalised trace serves them all, as under fit.
      self._step = tf.function(lambda batch: model.train_step(batch),
                               reduce_retracing=True)
      self._iterator = iter(self.data)

  def run(self, steps: int, windows: int = 1) -> List[float]:
    """Trains ``windows`` windows of ``steps`` steps; returns each window's seconds."""
    times = []
    if self._step is not None:
      for _ in range(windows):
        start = time.perf_counter()
        for _ in range(steps):
          logs = self._step(next(self._iterator))
        float(logs["loss"])  # wait for the last step
        times.append(time.perf_counter() - start)
    else:
      class _Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
          self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
          times.append(time.perf_counter() - self.start)

      self.model.fit(self.data, steps_per_epoch=steps, epochs=windows, verbose=0,
                     callbacks=[_Timer()], shuffle=False)
    return times

  def close(self) -> None:
    keras.mixed_precision.set_global_policy("float32")


def measure(config, variant: str, steps_per_window: int = 200, windows: int = 5,
            seed: int = 0, settings: Dict[str, object] = None,
            count_flops: bool = False) -> Measurement:
  """Trains ``windows`` + 1 windows of ``steps_per_window`` steps; the first is warm-up.

  ``variant`` and ``settings`` as in ``TrainLoop``. ``count_flops``: also count the
  matmul FLOPs per example of the model's train step (``flop_count``).
  """
  loop = TrainLoop(config, variant, steps_per_window, seed, settings)
  flops = None
  try:
    times = loop.run(steps_per_window, windows + 1)
    if count_flops:
      from tfvae.benchmarks import flop_count  # pylint: disable=g-import-not-at-top
      flops = flop_count.train_flops_per_example(loop.model, next(iter(loop.data)))
  finally:
    loop.close()
  timed = times[1:]
  batch = loop.batch_size
  return Measurement(variant=variant,
                     examples_per_sec=float(batch * steps_per_window / np.median(timed)),
                     compile_seconds=float(times[0] - np.median(timed)),
                     window_seconds=[float(t) for t in times],
                     batch_size=batch, steps_per_window=steps_per_window,
                     flops_per_example=flops)


def flop_rate(m: Measurement, peak_gflops: float) -> dict:
  """Achieved GFLOP/s of a ``count_flops`` measurement and its share of ``peak_gflops``."""
  gflops = m.examples_per_sec * m.flops_per_example / 1e9
  return {"flops_per_example": m.flops_per_example, "gflops": gflops,
          "matmul_peak_gflops_fp32": peak_gflops, "fraction_of_peak": gflops / peak_gflops}


def matmul_peak_gflops(n: int = 2048, repeats: int = 10, dtype=tf.float32) -> float:
  """Measured dense matmul throughput (GFLOP/s) of this machine for ``dtype``."""
  a = tf.random.normal([n, n], dtype=tf.float32)
  a = tf.cast(a, dtype)

  @tf.function
  def run(x):
    for _ in range(repeats):
      x = tf.matmul(x, a)
    return x

  float(tf.reduce_sum(tf.cast(run(a), tf.float32)))
  best = float("inf")
  for _ in range(3):
    start = time.perf_counter()
    float(tf.reduce_sum(tf.cast(run(a), tf.float32)))
    best = min(best, time.perf_counter() - start)
  return 2.0 * n**3 * repeats / best / 1e9

