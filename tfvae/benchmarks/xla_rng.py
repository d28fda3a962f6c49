"""Cost of stateless random numbers inside XLA on this CPU, per RNG algorithm.

``tf.random.stateless_normal``/``stateless_uniform`` default to ``alg="auto_select"``,
and so do TFP's samplers (every ``Distribution.sample`` with a stateless seed). Under
``jit_compile=True`` on CPU that default compiles to a much slower generator than an
explicit ``alg="philox"``; outside XLA both are the same kernel. This benchmark times one
draw of each shape inside a compiled function (the function-call overhead is the
``[1]`` row) so the choice made in ``tfvae.random_ops`` can be re-checked:

  python -m tfvae.benchmarks.xla_rng --shapes=1,100x40,500x100x40 --repeats=20

With ``--configs``, also the end-to-end effect on each config's training step and on a
compiled IWAE chunk, ``random_ops`` as shipped against TF's default algorithm, in the same
process, interleaved (``--rounds`` times):

  python -m tfvae.benchmarks.xla_rng --configs=configs/vae_binarized_mnist.py \
      --kinds= --train_steps=200 --iwae_examples=200 --iwae_samples=500
"""
import contextlib
import os
import time
from typing import Dict, List, Sequence

import tensorflow as tf

from tfvae import random_ops

ALGORITHMS = ("auto_select", "philox", "threefry")


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


def run(shapes: List[Sequence[int]], kinds=("normal", "uniform"),
        repeats: int = 20) -> List[Dict]:
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


def config_effect(config_path: str, train_steps: int, iwae_examples: int,
                  iwae_samples: int, rounds: int = 2, shared_data: str = "",
                  jit_compile=None) -> List[Dict]:
  """Train examples/s and IWAE samples/s of a config, default vs explicit algorithm."""
  from tfvae.benchmarks import throughput  # pylint: disable=g-import-not-at-top
  from tfvae.config_files import load_config_file  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import build  # pylint: disable=g-import-not-at-top
  config = load_config_file(config_path)
  if "idx_dir" in config.dataset and shared_data:
    config.dataset.idx_dir = os.path.join(shared_data, "mnist")
  if jit_compile is not None:
    config.train.jit_compile = bool(jit_compile)
  settings = throughput.config_settings(config)
  rows = []
  for _ in range(rounds):
    for name, scope in (("default", default_algorithm), ("explicit", _explicit)):
      with scope():
        row = {"config": config_path, "algorithm": name,
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
        rows.append(row)
  return rows


def main(argv):
  del argv
  for path in FLAGS.configs:
    print(f"\n{path}: train ex/s and IWAE (k={FLAGS.iwae_samples}) samples/s")
    for row in config_effect(path, FLAGS.train_steps, FLAGS.iwae_examples,
                             FLAGS.iwae_samples, FLAGS.rounds, FLAGS.data_root,
                             {"config": None, "on": True, "off": False}[FLAGS.jit]):
      print(f"  {row['algorithm']:8s} XLA {'on' if row['jit_compile'] else 'off'}: "
            + ", ".join(f"{k} {v:,.0f}" for k, v in row.items()
                        if isinstance(v, float)), flush=True)
  if not FLAGS.kinds:
    return
  shapes = [[int(d) for d in s.split("x")] for s in FLAGS.shapes]
  print("| draw | shape | XLA | alg | median us per call |")
  print("|---|---|---|---|---:|")
  for row in run(shapes, FLAGS.kinds, FLAGS.repeats):
    print(f"| {row['kind']} | {'x'.join(map(str, row['shape']))} | "
          f"{'on' if row['xla'] else 'off'} | {row['alg']} | {row['microseconds']:,.0f} |",
          flush=True)


if __name__ == "__main__":
  from absl import app, flags  # pylint: disable=g-import-not-at-top,g-multiple-import
  flags.DEFINE_list("shapes", ["1", "100x40", "500x100x40"], "Shapes, dims joined by x.")
  flags.DEFINE_list("kinds", ["normal", "uniform"], "normal and/or uniform.")
  flags.DEFINE_integer("repeats", 20, "Timed calls per row (median reported).")
  flags.DEFINE_list("configs", [], "Config files for the end-to-end comparison.")
  flags.DEFINE_integer("train_steps", 200, "Steps per timing window (0: skip training).")
  flags.DEFINE_integer("iwae_examples", 100, "Test images per IWAE chunk (0: skip).")
  flags.DEFINE_integer("iwae_samples", 500, "k of the IWAE timing.")
  flags.DEFINE_enum("jit", "config", ["config", "on", "off"], "XLA for the train step.")
  flags.DEFINE_integer("rounds", 2, "Interleaved rounds of default / explicit.")
  flags.DEFINE_string("data_root", "../shared/data", "For configs that read IDX MNIST.")
  FLAGS = flags.FLAGS
  app.run(main)
