"""Time of the RBM's persistent-chain update (``rbm.gibbs_chain``) per compile setting.

The Discrete VAE advances ``rbm_chains`` chains ``rbm_gibbs_steps`` block-Gibbs sweeps
every training step (Rolfe 2016, eq. 11; appendix H: 20 chains per example, 100 sweeps).
This times that loop alone, as a ``tf.function`` with and without XLA and with float32
or bfloat16 couplings, the variants interleaved over ``rounds`` so that they see the same
machine load; each figure is the median of the rounds.
"""
import time
from typing import Dict, List, Sequence

import numpy as np
import tensorflow as tf

from tfvae.distributions import rbm

#: (name, jit_compile, dtype) of each timed variant.
VARIANTS = (("tf_function_float32", False, tf.float32),
            ("xla_float32", True, tf.float32),
            ("tf_function_bfloat16", False, tf.bfloat16),
            ("xla_bfloat16", True, tf.bfloat16))


def _chain_fn(sides: Sequence[int], chains: int, sweeps: int, jit_compile: bool, dtype,
              seed: int = 0):
  rng = np.random.default_rng(seed)
  n_l, n_r = (int(s) for s in sides)
  w = tf.constant(rng.normal(0.0, 0.1, (n_l, n_r)), dtype)
  b_l, b_r = tf.zeros([n_l], dtype), tf.zeros([n_r], dtype)
  z = tf.zeros([chains, n_l + n_r], dtype)
  fn = tf.function(lambda s: rbm.gibbs_chain(z, w, b_l, b_r, sweeps, s),
                   jit_compile=jit_compile)
  return fn


def time_gibbs(sides: Sequence[int] = (64, 64), chains: int = 2000, sweeps: int = 100,
               rounds: int = 5, variants=VARIANTS) -> List[Dict[str, object]]:
  """Median seconds of one ``sweeps``-sweep update of ``chains`` chains per variant."""
  fns = {name: _chain_fn(sides, chains, sweeps, jit, dtype)
         for name, jit, dtype in variants}
  seed = tf.constant([1, 2], tf.int32)
  for fn in fns.values():  # compile outside the timing
    fn(seed).numpy()
  times = {name: [] for name in fns}
  for _ in range(rounds):
    for name, fn in fns.items():
      start = time.perf_counter()
      fn(seed).numpy()
      times[name].append(time.perf_counter() - start)
  base = float(np.median(times[variants[0][0]]))
  return [{"variant": name, "median_seconds": float(np.median(t)), "seconds": t,
           "ratio_to_first": float(np.median(t)) / base,
           "chains": chains, "sweeps": sweeps, "sides": list(sides)}
          for name, t in times.items()]
