"""Times one training step (forward, backward, Adam) of the VRNN and both GMVRNNs.

  tfvae-benchmark --micro=gmvrnn_step                # T=28 B=64 H=256, K=5, M=1
  tfvae-benchmark --micro=gmvrnn_step --micro_variants=gmvrnn_variational \
      --micro_num_samples=4

Same shape as tfvae/benchmarks/vrnn_loop.py (sequential MNIST rows, Gaussian output, every MLP
and the LSTM of size H, the model's default ``auto`` loop, ``tf.function`` without XLA).
``run`` prints wall ms/step and process CPU ms/step (user+sys of this process: on a shared
machine the wall time also counts other people's work).
"""
import time
from typing import Callable, Dict, List, Optional, Sequence

import keras
import tensorflow as tf

from tfvae.models.recurrent.gmvrnn_gumbel import GumbelMixtureVRNN
from tfvae.models.recurrent.gmvrnn_variational import VariationalMixtureVRNN
from tfvae.models.recurrent.vrnn import VRNN

MODELS = {"vrnn": VRNN, "gmvrnn_gumbel": GumbelMixtureVRNN,
          "gmvrnn_variational": VariationalMixtureVRNN}


def build(name: str, length: int = 28, input_size: int = 28, hidden: int = 256,
          latent_dim: int = 16, components: int = 5, w_dim: int = 8, gm_hidden: int = 128,
          num_samples: int = 1) -> keras.Model:
  """Model ``name`` of ``MODELS``: the LSTM and every MLP of size ``hidden``;
  ``components`` latent components (GMVRNNs); ``w_dim``, ``gm_hidden`` and
  ``num_samples`` (the variational GMVRNN)."""
  keras.utils.set_random_seed(0)
  h = hidden
  extra = {}
  if name != "vrnn":
    extra["latent_components"] = components
  if name == "gmvrnn_variational":
    extra.update(num_samples=num_samples, w_dim=w_dim, gm_sizes=(gm_hidden,))
  return MODELS[name](input_size=input_size, sequence_kind="real",
                      max_length=length, output="gaussian", latent_dim=latent_dim,
                      rnn_units=h, phi_x_sizes=(h,), phi_z_sizes=(h,), prior_sizes=(h,),
                      encoder_sizes=(h,), decoder_sizes=(h,), **extra)


def time_model(name: str, steps: int = 20, length: int = 28, batch: int = 64,
               input_size: int = 28, **model_kwargs):
  """Wall and process CPU ms per ``train_step`` over ``steps`` steps, after a trace and
  three warm-up steps; ``model_kwargs`` (``hidden``, ``latent_dim``, ...) go to
  ``build``."""
  model = build(name, length=length, input_size=input_size, **model_kwargs)
  model.compile(optimizer=keras.optimizers.Adam(1e-3), jit_compile=False)
  x = tf.random.stateless_uniform([batch, length, input_size], seed=[1, 2])
  data = {"x": x, "mask": tf.ones([batch, length])}
  step = tf.function(model.train_step)
  step(data)  # trace
  for _ in range(3):
    step(data)
  wall, cpu = time.perf_counter(), time.process_time()
  for _ in range(steps):
    out = step(data)
  float(out["loss"])
  wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
  return 1e3 * wall / steps, 1e3 * cpu / steps


def _print(line: str) -> None:
  print(line, flush=True)


def run(models: Sequence[str] = tuple(MODELS), steps: int = 20, length: int = 28,
        batch: int = 64, input_size: int = 28, hidden: int = 256, latent_dim: int = 16,
        components: int = 5, w_dim: int = 8, gm_hidden: int = 128, num_samples: int = 1,
        log: Optional[Callable[[str], None]] = _print) -> List[Dict[str, object]]:
  """``time_model`` of each model in turn, one line logged as each finishes."""
  unknown = [m for m in models if m not in MODELS]
  if unknown:
    raise ValueError(f"unknown models {unknown}; known: {', '.join(MODELS)}")
  log = log or (lambda line: None)
  log(f"T={length} B={batch} H={hidden} z={latent_dim} K={components} M={num_samples}")
  rows = []
  for name in models:
    wall_ms, cpu_ms = time_model(
        name, steps, length, batch, input_size, hidden=hidden, latent_dim=latent_dim,
        components=components, w_dim=w_dim, gm_hidden=gm_hidden, num_samples=num_samples)
    rows.append({"model": name, "wall_ms_per_step": wall_ms, "cpu_ms_per_step": cpu_ms,
                 "steps_per_sec": 1e3 / wall_ms})
    log(f"{name:20s} wall {wall_ms:7.1f} ms/step ({1e3 / wall_ms:5.1f} steps/s)   "
        f"cpu {cpu_ms:7.1f} ms/step")
  return rows
