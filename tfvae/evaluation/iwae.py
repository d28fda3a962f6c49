"""Importance-weighted log-likelihood estimates (Burda et al. 2016).

    log p(x) >= L_k = E[ log (1/k) sum_{s=1..k} p(x, z_s) / q(z_s|x) ],  z_s ~ q(z|x)

L_1 is the ELBO and L_k is non-decreasing in k; the reported NLL is -L_k. Large k is
split into chunks of ``chunk_size`` samples whose log-sum-exps are combined exactly,
so k = 5000 over the 10k MNIST test images fits in memory on a CPU.
"""
import math
import time

import numpy as np
import tensorflow as tf

from tfvae import random_ops


def iwae_log_likelihood(model, dataset, num_samples: int, chunk_size: int = 500,
                        seed: int = 0, log_every: float = 30.0, log=print,
                        jit_compile: bool = True):
  """Per-example ``L_k`` over ``dataset`` (batches of x); returns a float64 numpy array.

  ``model.log_importance_weights(x, S, seed) -> [S, B]`` supplies the weights; each
  chunk is one XLA-compiled call (``jit_compile``) fusing decoder and log-densities.
  """
  if num_samples < 1:
    raise ValueError(f"num_samples must be >= 1, got {num_samples}")
  chunk_size = int(min(chunk_size, num_samples))
  num_chunks = int(math.ceil(num_samples / chunk_size))

  def _chunk_lse(x, seed_pair, s):
    with random_ops.explicit_algorithm():  # fast draws under XLA
      log_w = model.log_importance_weights(x, s, seed_pair)
    return tf.reduce_logsumexp(tf.cast(log_w, tf.float64), axis=0)

  compiled = {}

  def chunk_lse(x, s, seed_pair):
    # one compiled function per chunk size (at most two: full and remainder)
    if s not in compiled:
      compiled[s] = tf.function(lambda x_, p_: _chunk_lse(x_, p_, s),
                                jit_compile=jit_compile, reduce_retracing=True)
    return compiled[s](x, seed_pair)

  results = []
  start = last = time.time()
  seen = 0
  for batch_index, x in enumerate(dataset):
    parts = []
    for c in range(num_chunks):
      s = min(chunk_size, num_samples - c * chunk_size)
      pair = tf.constant([seed, batch_index * num_chunks + c], tf.int32)
      parts.append(chunk_lse(x, s, pair))
    total = tf.reduce_logsumexp(tf.stack(parts), axis=0) - math.log(num_samples)
    results.append(total.numpy())
    seen += int(total.shape[0])
    if log and time.time() - last > log_every:
      last = time.time()
      log(f"  IWAE k={num_samples}: {seen} examples, {last - start:.0f}s, "
          f"running NLL {-np.mean(np.concatenate(results)):.3f}")
  return np.concatenate(results)


def summarize(values: np.ndarray) -> dict:
  """Mean and standard error of per-example estimates."""
  values = np.asarray(values, np.float64)
  return {"mean": float(values.mean()),
          "stderr": float(values.std(ddof=1) / math.sqrt(len(values))) if len(values) > 1 else 0.0,
          "count": int(len(values))}
