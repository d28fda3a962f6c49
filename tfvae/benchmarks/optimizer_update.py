"""Time of one optimizer update of a config's trainable variables: Keras' Adam against
the fused kernel of ``tfvae.training.fused_adam``.

The model of the config is built as the trainer builds it; the update is applied to
fresh float32 variables of the same shapes, with fixed random gradients, as a
``tf.function`` (no XLA: under XLA both compile to fused loops). The two optimizers are
timed interleaved over ``rounds`` so that they see the same machine load; each figure is
the median of the rounds.
"""
import time
from typing import Dict, List, Sequence

import keras
import numpy as np
import tensorflow as tf

from tfvae.training.fused_adam import FusedAdam


def variable_shapes(config) -> List[Sequence[int]]:
  """Shapes of the trainable variables of ``config``'s model, built as for training."""
  from tfvae.training.trainer import build  # pylint: disable=g-import-not-at-top
  keras.backend.clear_session()
  _, model = build(config, steps_per_epoch=1)
  return [tuple(int(d) for d in v.shape) for v in model.trainable_variables]


def _update_fn(cls, shapes, seed: int = 0):
  rng = np.random.default_rng(seed)
  variables = [tf.Variable(rng.normal(0.0, 0.01, s).astype(np.float32)) for s in shapes]
  grads = [tf.constant(rng.normal(0.0, 1.0, s).astype(np.float32)) for s in shapes]
  optimizer = cls(learning_rate=1e-3)
  optimizer.build(variables)
  step = tf.function(lambda: optimizer.apply(grads, variables))
  return step, variables


def time_updates(shapes: Sequence[Sequence[int]], rounds: int = 5) -> List[Dict[str, object]]:
  """Median seconds of one update of ``shapes`` for Keras' Adam and ``FusedAdam``."""
  fns = {"keras_adam": _update_fn(keras.optimizers.Adam, shapes),
         "fused_adam": _update_fn(FusedAdam, shapes)}
  for step, variables in fns.values():  # trace outside the timing
    step()
    variables[0].numpy()
  times = {name: [] for name in fns}
  for _ in range(rounds):
    for name, (step, variables) in fns.items():
      start = time.perf_counter()
      step()
      variables[0].numpy()
      times[name].append(time.perf_counter() - start)
  base = float(np.median(times["keras_adam"]))
  parameters = int(sum(np.prod(s) for s in shapes))
  return [{"optimizer": name, "median_seconds": float(np.median(t)), "seconds": t,
           "speedup_over_keras": base / float(np.median(t)), "parameters": parameters,
           "variables": len(shapes)}
          for name, t in times.items()]
