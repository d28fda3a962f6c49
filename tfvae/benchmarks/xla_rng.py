"""Cost of stateless random numbers inside XLA on this CPU, per RNG algorithm.

``tf.random.stateless_normal``/``stateless_uniform`` default to ``alg="auto_select"``,
and so do TFP's samplers (every ``Distribution.sample`` with a stateless seed). Under
``jit_compile=True`` on CPU that default compiles to a much slower generator than an
explicit ``alg="philox"``; outside XLA both are the same kernel. ``run`` times one
draw of each shape inside a compiled function (the function-call overhead is the
``[1]`` row) so the choice made in ``tfvae.random_ops`` can be re-checked:

  tfvae-benchmark --micro=xla_rng --micro_shapes=1,100x40,500x100x40 --micro_steps=20

With ``--config``, ``config_effect`` measures instead the end-to-end effect on the config's
training step and on a compiled IWAE chunk, ``random_ops`` as shipped against TF's default
algorithm, in the same process, interleaved (``--rounds`` times; ``--micro_steps`` train
steps per window, ``--micro_batch`` test images and ``--micro_num_samples`` samples per
IWAE chunk; ``--config.train.jit_compile=True`` for XLA):

  tfvae-benchmark --micro=xla_rng --config=configs/vae_binarized_mnist.py \
      --micro_steps=200 --micro_batch=200 --micro_num_samples=500
"""
import contextlib
import os
import time
from typing import Dict, List, Optional, Sequence

import tensorflow as tf

from tfvae import random_ops

ALGORITHMS = ("auto_select", "philox", "threefry")
KINDS = ("normal", "uniform")
SHAPES = ((1,), (100, 40), (500, 100, 40))


def _draw(kind: str, shape, seed, alg: str):
  if kind == "normal":
    return tf.random.stateless_normal(shape, seed=seed, alg=alg)
  return tf.random.stateless_uniform(shape, seed=seed, alg=alg)


def time_draw(kind: str, shape: Sequence[int], alg: str, jit_compile: bool,
              repeats: int = 20) -> float:
  """Median seconds of one compiled call that draws ``shape`` numbers and sums them."""
  fn = tf.function(lambda s: tf.reduce_sum(_draw(kind, shape, s, alg)),
                   jit_compile=jit_compile)
  seed = tf.constant([0, 1], tf.int32)
  fn(seed).numpy()  # compile
  times = []
  for i in range(repeats):
    seed = tf.constant([i, 1], tf.int32)
    start = time.perf_counter()
    fn(seed).numpy()
    times.append(time.perf_counter() - start)
  times.sort()
  return times[len(times) // 2]


def run(shapes: Sequence[Sequence[int]] = SHAPES, kinds: Sequence[str] = KINDS,
        repeats: int = 20) -> List[Dict]:
  """``time_draw`` of each kind and shape, with and without XLA, per algorithm."""
  unknown = [k for k in kinds if k not in KINDS]
  if unknown:
    raise ValueError(f"unknown draws {unknown}; known: {', '.join(KINDS)}")
  rows = []
  for kind in kinds:
    for shape in shapes:
      for jit in (True, False):
        for alg in ALGORITHMS:
          if alg == "threefry" and not jit:
            continue  # no non-XLA CPU kernel for ThreeFry
          seconds = time_draw(kind, shape, alg, jit, repeats)
          rows.append({"kind": kind, "shape": list(shape), "xla": jit, "alg": alg,
                       "microseconds": 1e6 * seconds})
  return rows


@contextlib.contextmanager
def default_algorithm():
  """tfvae as it would be without ``random_ops``: TF's default algorithm everywhere."""
  saved = random_ops.ALGORITHM, random_ops.explicit_algorithm
  random_ops.ALGORITHM = "auto_select"
  random_ops.explicit_algorithm = contextlib.nullcontext
  try:
    yield
  finally:
    random_ops.ALGORITHM, random_ops.explicit_algorithm = saved


def _explicit():
  return contextlib.nullcontext()


def config_effect(config, train_steps: int = 200, iwae_examples: int = 100,
                  iwae_samples: int = 500, rounds: int = 2, shared_data: str = "",
                  jit_compile: Optional[bool] = None,
                  name: Optional[str] = None) -> List[Dict]:
  """Train examples/s and IWAE samples/s of a config, default vs explicit algorithm.

  ``config``: a config file's path or a loaded config; ``name`` (default: the path) labels
  the rows. ``train_steps=0`` or ``iwae_examples=0`` skips that measurement."""
  from tfvae.benchmarks import throughput  # pylint: disable=g-import-not-at-top
  from tfvae.config_files import load_config_file  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import build  # pylint: disable=g-import-not-at-top
  if isinstance(config, str):
    name, config = name or config, load_config_file(config)
  if "idx_dir" in config.dataset and shared_data:
    config.dataset.idx_dir = os.path.join(shared_data, "mnist")
  if jit_compile is not None:
    config.train.jit_compile = bool(jit_compile)
  settings = throughput.config_settings(config)
  rows = []
  for _ in range(rounds):
    for algorithm, scope in (("default", default_algorithm), ("explicit", _explicit)):
      with scope():
        row = {"config": name, "algorithm": algorithm,
               "jit_compile": bool(settings["jit_compile"])}
        if train_steps:
          m = throughput.measure(config, "config", train_steps, windows=3, settings=settings)
          row["train_examples_per_sec"] = m.examples_per_sec
        if iwae_examples and iwae_samples:
          splits, model = build(config)
          x = tf.constant(splits.eval_array("test")[:iwae_examples])

          def chunk(x, seed, model=model):
            # As tfvae.evaluation.iwae does for one chunk of k samples.
            with random_ops.explicit_algorithm():
              log_w = model.log_importance_weights(x, iwae_samples, seed)
            return tf.reduce_logsumexp(tf.cast(log_w, tf.float64), axis=0)

          fn = tf.function(chunk, jit_compile=True)
          fn(x, tf.constant([0, 0])).numpy()  # compile
          start = time.perf_counter()
          for i in range(3):
            fn(x, tf.constant([0, i + 1])).numpy()
          row["iwae_samples_per_sec"] = (3 * iwae_examples * iwae_samples
                                         / (time.perf_counter() - start))
          row["iwae_samples"] = iwae_samples
        rows.append(row)
  return rows


def format_draws(rows: Sequence[Dict]) -> str:
  """``run``'s rows as a markdown table."""
  lines = ["| draw | shape | XLA | alg | median us per call |", "|---|---|---|---|---:|"]
  for row in rows:
    lines.append(f"| {row['kind']} | {'x'.join(map(str, row['shape']))} | "
                 f"{'on' if row['xla'] else 'off'} | {row['alg']} | "
                 f"{row['microseconds']:,.0f} |")
  return "\n".join(lines)


def format_effect(rows: Sequence[Dict]) -> str:
  """``config_effect``'s rows: one line per algorithm and round."""
  k = next((r["iwae_samples"] for r in rows if "iwae_samples" in r), None)
  lines = [f"{rows[0]['config'] if rows else ''}: train ex/s"
           + (f" and IWAE (k={k}) samples/s" if k else "")]
  for row in rows:
    lines.append(f"  {row['algorithm']:8s} XLA {'on' if row['jit_compile'] else 'off'}: "
                 + ", ".join(f"{key} {v:,.0f}" for key, v in row.items()
                             if isinstance(v, float)))
  return "\n".join(lines)
