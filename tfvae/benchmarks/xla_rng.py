"""Cost of stateless random numbers inside XLA on this CPU, per RNG algorithm.

``tf.random.stateless_normal``/``stateless_uniform`` default to ``alg="auto_select"``,
and so do TFP's samplers (every ``Distribution.sample`` with a stateless seed). Under
``jit_compile=True`` on CPU that default compiles to a much slower generator than an
explicit ``alg="philox"``; outside XLA both are the same kernel. This benchmark times one
draw of each shape inside a compiled function (the function-call overhead is the
``[1]`` row) so the choice made in ``tfvae.random_ops`` can be re-checked:

  python -m tfvae.benchmarks.xla_rng --shapes=1,100x40,500x100x40 --repeats=20
"""
import time
from typing import Dict, List, Sequence

import tensorflow as tf

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


def main(argv):
  del argv
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
  FLAGS = flags.FLAGS
  app.run(main)
