"""log Z of a bipartite RBM: exact enumeration, AIS, and parallel-tempering bridge sampling.

All three work on the marginal of the left side (the right side summed analytically),
p(l) ∝ exp(-F(l)), -F(l) = b_l^T l + sum_j softplus((l W)_j + b_r,j) (see ``rbm``).
The sides are swapped first when the right side is the smaller, so exact enumeration
costs 2^min(n_l, n_r) states and an RBM of 20 + 200 units is still exact.

Tempered family (couplings scaled, biases kept):  p_beta(l) ∝ exp(-F_beta(l)), with
p_0 factorial (log Z_0 = sum softplus(b_l) + sum softplus(b_r)) and p_1 the RBM.

* ``ais_log_partition`` (Neal 2001; Salakhutdinov & Murray 2008): M independent runs
  through beta_0 = 0 < ... < beta_T = 1, one block-Gibbs sweep per temperature,
  log w = sum_t [-F_{beta_t}(l_{t-1}) + F_{beta_{t-1}}(l_{t-1})];
  log Z ≈ log Z_0 + log mean w. The reported standard error is the delta-method one,
  std(w) / (sqrt(M) mean(w)). Schedules: ``linear`` or ``geometric`` betas, any number.
* ``parallel_tempering_log_partition`` (the route of the paper's appendix H.1): replicas
  at K temperatures swap states between neighbours; after burn-in, each neighbouring pair
  gives a geometric-bridge estimate of log Z_{k+1}/Z_k from samples of both ends; the
  error bar is the spread over independent runs.
"""
import collections
import math

import numpy as np
import tensorflow as tf

from tfvae import random_ops
from tfvae.distributions.rbm import all_binary_states, neg_free_energy_left

LogZEstimate = collections.namedtuple("LogZEstimate", ["log_z", "stderr", "log_weights"])


def _as_params(w, b_left, b_right, dtype=tf.float64):
  """Casts to ``dtype`` and swaps sides so that the left (enumerated) side is smaller."""
  w = tf.convert_to_tensor(w, dtype)
  b_left = tf.convert_to_tensor(b_left, dtype)
  b_right = tf.convert_to_tensor(b_right, dtype)
  if w.shape[0] > w.shape[1]:
    w, b_left, b_right = tf.transpose(w), b_right, b_left
  return w, b_left, b_right


def _log_z0(b_left, b_right):
  return tf.reduce_sum(tf.nn.softplus(b_left)) + tf.reduce_sum(tf.nn.softplus(b_right))


# ----------------------------------------------------------------- enumeration
def exact_log_partition(w, b_left, b_right, chunk_size: int = 1 << 14):
  """Exact log Z (float64) by enumerating the smaller side (<= 24 units)."""
  w, b_left, b_right = _as_params(w, b_left, b_right)
  n = int(w.shape[0])
  if n > 24:
    raise ValueError(f"exact log Z needs a side of <= 24 units, got {tuple(w.shape)}")
  states = all_binary_states(n).astype(np.float64)
  parts = []
  for start in range(0, len(states), chunk_size):
    chunk = tf.constant(states[start:start + chunk_size])
    parts.append(tf.reduce_logsumexp(neg_free_energy_left(chunk, w, b_left, b_right)))
  return tf.reduce_logsumexp(tf.stack(parts))


def exact_marginals(w, b_left, b_right):
  """Exact P(unit = 1) of every unit, ``[n_l + n_r]`` float64, by enumeration."""
  swapped = int(w.shape[0]) > int(w.shape[1])
  ws, bls, brs = _as_params(w, b_left, b_right)
  n = int(ws.shape[0])
  if n > 20:
    raise ValueError("exact marginals enumerate up to 20 units on the smaller side")
  states = tf.constant(all_binary_states(n).astype(np.float64))
  log_p = neg_free_energy_left(states, ws, bls, brs)
  probs = tf.exp(log_p - tf.reduce_logsumexp(log_p))
  p_small = tf.linalg.matvec(states, probs, transpose_a=True)
  p_large = tf.linalg.matvec(tf.sigmoid(tf.matmul(states, ws) + brs), probs, transpose_a=True)
  return tf.concat([p_large, p_small] if swapped else [p_small, p_large], axis=0)


# ------------------------------------------------------------------------- AIS
def temperature_schedule(num_temperatures: int, schedule: str = "linear",
                         beta_min: float = 1e-3) -> np.ndarray:
  """Inverse temperatures beta_0 = 0 < ... < beta_T = 1 (``num_temperatures`` = T).

  ``linear``: beta_t = t / T. ``geometric``: beta_1..T geometrically spaced from
  ``beta_min`` to 1 (denser where the couplings switch on), beta_0 = 0.
  """
  if num_temperatures < 1:
    raise ValueError("need at least one temperature")
  if schedule == "linear":
    return np.linspace(0.0, 1.0, num_temperatures + 1)
  if schedule == "geometric":
    return np.concatenate([[0.0], np.geomspace(beta_min, 1.0, num_temperatures)])
  raise ValueError(f"unknown schedule {schedule!r}; use 'linear' or 'geometric'")


def _bernoulli(logits, seed):
  u = random_ops.stateless_uniform(tf.shape(logits), seed=seed, dtype=logits.dtype)
  return tf.cast(u < tf.sigmoid(logits), logits.dtype)


def _tempered_sweep(left, w, b_left, b_right, beta, seed):
  """l -> r ~ p_beta(r | l) -> l ~ p_beta(l | r): leaves p_beta(l) invariant."""
  seed_r, seed_l = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
  right = _bernoulli(beta * tf.matmul(left, w) + b_right, seed_r)
  return _bernoulli(beta * tf.matmul(right, w, transpose_b=True) + b_left, seed_l)


@tf.function
def _ais_run(w, b_left, b_right, betas, num_chains, sweeps, seed):
  seed0, seed_loop = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
  left = _bernoulli(tf.broadcast_to(b_left, [num_chains, tf.shape(b_left)[0]]), seed0)
  log_w = tf.zeros([num_chains], w.dtype)
  num = tf.shape(betas)[0]

  def body(t, left, log_w):
    beta_prev, beta = betas[t - 1], betas[t]
    log_w += (neg_free_energy_left(left, w, b_left, b_right, beta)
              - neg_free_energy_left(left, w, b_left, b_right, beta_prev))
    step_seed = tf.random.experimental.stateless_fold_in(seed_loop, t)
    for k in range(sweeps):
      left = _tempered_sweep(left, w, b_left, b_right, beta,
                             tf.random.experimental.stateless_fold_in(step_seed, k))
    return t + 1, left, log_w

  _, _, log_w = tf.while_loop(lambda t, *_: t < num, body, (tf.constant(1), left, log_w))
  return log_w


def ais_log_partition(w, b_left, b_right, num_chains: int = 100,
                      num_temperatures: int = 1000, schedule: str = "linear",
                      sweeps_per_temperature: int = 1, seed=(0, 0),
                      betas=None) -> LogZEstimate:
  """AIS estimate of log Z with its delta-method standard error (float64).

  ``betas`` overrides the schedule (any increasing sequence from 0 to 1).
  """
  w, b_left, b_right = _as_params(w, b_left, b_right)
  if betas is None:
    betas = temperature_schedule(num_temperatures, schedule)
  betas = np.asarray(betas, np.float64)
  if betas[0] != 0.0 or betas[-1] != 1.0 or np.any(np.diff(betas) <= 0):
    raise ValueError("betas must increase strictly from 0 to 1")
  log_w = _ais_run(w, b_left, b_right, tf.constant(betas), tf.constant(int(num_chains)),
                   int(sweeps_per_temperature), tf.constant(seed, tf.int32))
  log_w = log_w.numpy()
  log_z, stderr = log_mean_exp_with_stderr(log_w)
  return LogZEstimate(float(_log_z0(b_left, b_right).numpy() + log_z), stderr, log_w)


def log_mean_exp_with_stderr(log_w: np.ndarray):
  """log mean exp(log_w) and the delta-method stderr of that log, std(w)/(sqrt(M) mean w)."""
  log_w = np.asarray(log_w, np.float64)
  m = log_w.max()
  w = np.exp(log_w - m)
  mean = w.mean()
  stderr = float(w.std(ddof=1) / (math.sqrt(len(w)) * mean)) if len(w) > 1 else float("inf")
  return float(m + math.log(mean)), stderr


# ------------------------------------------------------- parallel tempering
@tf.function
def _pt_run(w, b_left, b_right, betas, num_runs, num_sweeps, burn_in, seed):
  k = tf.shape(betas)[0]
  n = tf.shape(b_left)[0]
  beta_col = betas[None, :, None]  # [1, K, 1]
  seed0, seed_loop = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
  left = _bernoulli(tf.broadcast_to(b_left, [num_runs, k, n]), seed0)

  def log_p(states, beta):  # states [R, K', n], beta [K'] -> [R, K']
    return (tf.reduce_sum(states * b_left, -1)
            + tf.reduce_sum(tf.nn.softplus(beta[None, :, None] * tf.matmul(states, w)
                                           + b_right), -1))

  def body(s, left, fwd, bwd, count):
    s_seed = tf.random.experimental.stateless_fold_in(seed_loop, s)
    seed_g, seed_x = tf.unstack(tf.random.experimental.stateless_split(s_seed, 2))
    left = _tempered_sweep(left, w, b_left, b_right, beta_col, seed_g)
    # Replica exchange between neighbours (k, k+1), even pairs on even sweeps.
    here, there = left[:, :-1], left[:, 1:]
    log_acc = (log_p(here, betas[1:]) + log_p(there, betas[:-1])
               - log_p(here, betas[:-1]) - log_p(there, betas[1:]))  # [R, K-1]
    active = tf.equal(tf.range(k - 1) % 2, s % 2)[None, :]
    u = random_ops.stateless_uniform(tf.shape(log_acc), seed=seed_x, dtype=w.dtype)
    swap = tf.cast(tf.logical_and(active, tf.math.log(u) < log_acc), tf.int32)
    zero = tf.zeros_like(swap[:, :1])
    source = (tf.range(k)[None, :] + tf.concat([swap, zero], 1)
              - tf.concat([zero, swap], 1))
    left = tf.gather(left, source, axis=1, batch_dims=1)
    # Geometric-bridge statistics after burn-in, for every neighbouring pair.
    def accumulate():
      here = left[:, :-1]
      there = left[:, 1:]
      d_fwd = 0.5 * (log_p(here, betas[1:]) - log_p(here, betas[:-1]))
      d_bwd = 0.5 * (log_p(there, betas[:-1]) - log_p(there, betas[1:]))
      return (tf.reduce_logsumexp(tf.stack([fwd, d_fwd]), 0),
              tf.reduce_logsumexp(tf.stack([bwd, d_bwd]), 0), count + 1.0)
    fwd, bwd, count = tf.cond(s >= burn_in, accumulate, lambda: (fwd, bwd, count))
    return s + 1, left, fwd, bwd, count

  init = tf.fill([num_runs, k - 1], tf.constant(-np.inf, w.dtype))
  _, _, fwd, bwd, count = tf.while_loop(
      lambda s, *_: s < num_sweeps, body,
      (tf.constant(0), left, init, init, tf.constant(0.0, w.dtype)))
  # log Z_{k+1}/Z_k = log mean_k exp(d/2) - log mean_{k+1} exp(-d/2); counts cancel.
  return tf.reduce_sum(fwd - bwd, axis=1)


def parallel_tempering_log_partition(w, b_left, b_right, num_temperatures: int = 50,
                                     num_sweeps: int = 2000, num_runs: int = 8,
                                     burn_in: float = 0.5, schedule: str = "linear",
                                     seed=(0, 0)) -> LogZEstimate:
  """log Z by parallel tempering + geometric bridge sampling (appendix H.1).

  ``num_runs`` independent PT runs, each with ``num_temperatures`` + 1 replicas; the
  first ``burn_in`` fraction of the ``num_sweeps`` sweeps is discarded. Returns the mean
  over runs and its standard error (std over runs / sqrt(runs)); ``log_weights`` holds
  the per-run estimates.
  """
  w, b_left, b_right = _as_params(w, b_left, b_right)
  if num_runs < 2:
    raise ValueError("need >= 2 runs for an error bar")
  betas = temperature_schedule(num_temperatures, schedule)
  per_run = _pt_run(w, b_left, b_right, tf.constant(betas), tf.constant(int(num_runs)),
                    tf.constant(int(num_sweeps)), tf.constant(int(burn_in * num_sweeps)),
                    tf.constant(seed, tf.int32)).numpy()
  per_run = per_run + float(_log_z0(b_left, b_right).numpy())
  return LogZEstimate(float(per_run.mean()),
                      float(per_run.std(ddof=1) / math.sqrt(len(per_run))), per_run)
