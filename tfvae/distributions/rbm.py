"""Bipartite restricted Boltzmann machine over binary units (DVAE paper eq. 6).

The n = n_l + n_r units are split in two sides, z = [l, r], with couplings only across
sides (the paper's "fully hidden bipartite Boltzmann machine"):

    E(z) = -(l^T W r + b_l^T l + b_r^T r),      p(z) = exp(-E(z)) / Z.

Given one side the other is factorial, p(r_j = 1 | l) = sigmoid((l W)_j + b_r,j), which
gives block Gibbs sampling and the free energy of one side,

    -F(l) = log sum_r exp(-E(l, r)) = b_l^T l + sum_j softplus((l W)_j + b_r,j),

used by exact enumeration and AIS (``rbm_partition``). ``BipartiteRBM`` is a Keras layer
holding W, b_l, b_r (trainable) and persistent Gibbs chains (non-trainable), so the
negative phase of the KL gradient (eq. 11 / 25) reads samples of p(z) that are advanced
a few block-Gibbs sweeps per training step, as in persistent contrastive divergence.
All randomness is stateless (``seed`` is an ``int32[2]``).

Under ``tf.distribute`` with R replicas the chains stay ONE mirrored variable (identical
on every replica, checkpointed whole): inside a training step replica r advances its
block of ``num_chains / R`` rows with its own seed, the blocks are all-gathered in replica
order and every replica stores (ONLY_FIRST_REPLICA) and uses the same full set. So the
negative phase reads ``num_chains`` chains as with one replica, the Gibbs work is split,
and a checkpoint restores under any R dividing ``num_chains``.
"""
import keras
import numpy as np
import tensorflow as tf

from tfvae import random_ops
from tfvae import replicas


# ------------------------------------------------------------ functional core
def split_sides(z, num_left: int):
  """``[..., n_l + n_r]`` -> ``([..., n_l], [..., n_r])``."""
  return z[..., :num_left], z[..., num_left:]


def energy(z, w, b_left, b_right):
  """E(z) = -(l^T W r + b_l^T l + b_r^T r) for z = [l, r] of shape ``[..., n]``."""
  left, right = split_sides(z, int(w.shape[0]))
  coupling = tf.reduce_sum(tf.matmul(left, w) * right, axis=-1)
  return -(coupling + tf.reduce_sum(left * b_left, -1) + tf.reduce_sum(right * b_right, -1))


def neg_free_energy_left(left, w, b_left, b_right, beta=1.0):
  """-F_beta(l) = b_l^T l + sum_j softplus(beta (l W)_j + b_r,j)  (right side summed out).

  ``beta`` scales the couplings only: the tempered RBM exp(-E_0 - beta E_W) of AIS.
  """
  return (tf.reduce_sum(left * b_left, -1)
          + tf.reduce_sum(tf.nn.softplus(beta * tf.matmul(left, w) + b_right), -1))


def _bernoulli(logits, seed):
  u = random_ops.stateless_uniform(tf.shape(logits), seed=seed, dtype=logits.dtype)
  return tf.cast(u < tf.sigmoid(logits), logits.dtype)


def right_logits(left, w, b_right, beta=1.0):
  return beta * tf.matmul(left, w) + b_right


def left_logits(right, w, b_left, beta=1.0):
  return beta * tf.matmul(right, w, transpose_b=True) + b_left


def gibbs_sweep(z, w, b_left, b_right, seed, beta=1.0):
  """One block-Gibbs sweep: l ~ p(l | r), then r ~ p(r | l). ``z``: ``[..., n]``."""
  seed_l, seed_r = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
  _, right = split_sides(z, int(w.shape[0]))
  left = _bernoulli(left_logits(right, w, b_left, beta), seed_l)
  right = _bernoulli(right_logits(left, w, b_right, beta), seed_r)
  return tf.concat([left, right], axis=-1)


def gibbs_chain(z, w, b_left, b_right, num_sweeps, seed, beta=1.0):
  """``num_sweeps`` block-Gibbs sweeps from ``z`` (a ``tf.while_loop``; XLA friendly).

  The same draws as ``num_sweeps`` calls of ``gibbs_sweep`` with the seeds
  ``fold_in(seed, i)``, but the loop carries the two sides apart (no split and concat
  per sweep) and scales the couplings by ``beta`` once: 1.2x faster at 2,000 chains.
  """
  seed = tf.convert_to_tensor(seed, tf.int32)
  z = tf.convert_to_tensor(z)
  w = tf.convert_to_tensor(w)
  left, right = split_sides(z, int(w.shape[0]))
  if not (isinstance(beta, (int, float)) and beta == 1.0):
    w = beta * w
  w_t = tf.transpose(w)

  def body(i, left, right):
    step_seed = tf.random.experimental.stateless_fold_in(seed, i)
    seed_l, seed_r = tf.unstack(tf.random.experimental.stateless_split(step_seed, 2))
    left = _bernoulli(tf.matmul(right, w_t) + b_left, seed_l)
    right = _bernoulli(tf.matmul(left, w) + b_right, seed_r)
    return i + 1, left, right

  _, left, right = tf.while_loop(lambda i, *_: i < num_sweeps, body,
                                 (tf.constant(0, tf.int32), left, right))
  return tf.concat([left, right], axis=-1)


def rao_blackwellized_state(z, w, b_right):
  """[l, E[r | l]]: the right side replaced by its conditional mean sigmoid(l W + b_r).

  The energy is linear in r given l, so E(l, E[r|l]) = E_r[E(l, r) | l] and the same holds
  for dE/dtheta: statistics on this state are Rao-Blackwellised over half of the units.
  """
  left, _ = split_sides(z, int(w.shape[0]))
  return tf.concat([left, tf.sigmoid(right_logits(left, w, b_right))], axis=-1)


# ------------------------------------------------------------------ the layer
class BipartiteRBM(keras.layers.Layer):
  """RBM prior p(z) = exp(-E(z)) / Z over ``num_left + num_right`` binary units.

  Args:
    num_left, num_right: units per side (the paper uses 64 + 64).
    num_chains: persistent chains kept for the negative phase (paper: 20 per example).
    gibbs_steps: block-Gibbs sweeps per training step (paper: 100).
    couplings: ``False`` keeps W = 0 (a factorial Bernoulli prior; appendix J ablation).
    rao_blackwell: negative-phase statistics on [l, E[r | l]] instead of [l, r].
    weight_scale: stddev of the initial couplings.
  """

  def __init__(self, num_left: int, num_right: int, num_chains: int = 100,
               gibbs_steps: int = 10, couplings: bool = True, rao_blackwell: bool = True,
               weight_scale: float = 0.01, **kwargs):
    kwargs.setdefault("dtype", "float32")
    super().__init__(**kwargs)
    if num_left < 1 or num_right < 1:
      raise ValueError(f"an RBM needs units on both sides, got {num_left} + {num_right}")
    if num_chains < 1 or gibbs_steps < 0:
      raise ValueError("num_chains must be >= 1 and gibbs_steps >= 0")
    self.num_left, self.num_right = int(num_left), int(num_right)
    self.num_units = self.num_left + self.num_right
    self.num_chains, self.gibbs_steps = int(num_chains), int(gibbs_steps)
    self.couplings, self.rao_blackwell = bool(couplings), bool(rao_blackwell)
    init = (keras.initializers.RandomNormal(stddev=weight_scale) if couplings
            else "zeros")
    self.w = self.add_weight(shape=(self.num_left, self.num_right), initializer=init,
                             trainable=self.couplings, dtype="float32", name="couplings")
    self.b_left = self.add_weight(shape=(self.num_left,), initializer="zeros",
                                  dtype="float32", name="bias_left")
    self.b_right = self.add_weight(shape=(self.num_right,), initializer="zeros",
                                   dtype="float32", name="bias_right")
    self.chains = self.add_weight(shape=(self.num_chains, self.num_units),
                                  initializer="zeros", trainable=False, dtype="float32",
                                  aggregation="only_first_replica",
                                  name="persistent_chains")

  # --------------------------------------------------------------- densities
  @property
  def params(self):
    return (tf.convert_to_tensor(self.w), tf.convert_to_tensor(self.b_left),
            tf.convert_to_tensor(self.b_right))

  @property
  def bias(self):
    return tf.concat([self.b_left, self.b_right], axis=0)

  def energy(self, z):
    return energy(tf.cast(z, tf.float32), *self.params)

  def unnormalized_log_prob(self, z):
    """log p(z) + log Z = -E(z)."""
    return -self.energy(z)

  def log_partition_factorial(self):
    """log Z when W = 0: sum softplus(b) (exact only for ``couplings=False``)."""
    return tf.reduce_sum(tf.nn.softplus(self.bias))

  # ---------------------------------------------------------------- sampling
  def gibbs(self, z, num_sweeps, seed):
    return gibbs_chain(tf.cast(z, tf.float32), *self.params, num_sweeps, seed)

  def random_state(self, num, seed):
    """Uniform random binary states ``[num, n]`` (fresh chains)."""
    u = random_ops.stateless_uniform([num, self.num_units], seed=seed)
    return tf.cast(u < 0.5, tf.float32)

  def sample(self, num, num_sweeps, seed):
    """``num`` states after ``num_sweeps`` Gibbs sweeps from a seeded random state."""
    seed_init, seed_run = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
    return self.gibbs(self.random_state(num, seed_init), num_sweeps, seed_run)

  def advance_chains(self, seed, num_sweeps=None):
    """Runs the persistent chains ``num_sweeps`` (default ``gibbs_steps``) and stores them.

    Inside a replica of R > 1: this replica's block of rows only, then all blocks are
    gathered (see the module docstring); returns the full ``[num_chains, n]`` state.
    """
    steps = self.gibbs_steps if num_sweeps is None else num_sweeps
    local = replicas.shard_rows(tf.convert_to_tensor(self.chains), "persistent chains")
    state = replicas.gather_rows(tf.stop_gradient(self.gibbs(local, steps, seed)))
    self.chains.assign(state)
    return state

  def negative_phase_state(self, chains=None):
    """Chain states whose mean energy gradient estimates E_p[dE/dtheta] (eq. 11)."""
    z = self.chains if chains is None else chains
    z = tf.convert_to_tensor(z)
    if self.rao_blackwell:
      z = rao_blackwellized_state(z, self.w, self.b_right)
    return tf.stop_gradient(z)

  def get_config(self):
    config = super().get_config()
    config.update(num_left=self.num_left, num_right=self.num_right,
                  num_chains=self.num_chains, gibbs_steps=self.gibbs_steps,
                  couplings=self.couplings, rao_blackwell=self.rao_blackwell)
    return config


def all_binary_states(n: int) -> np.ndarray:
  """Every state of n binary units, ``[2^n, n]`` float32 (for n <= 24)."""
  if n > 24:
    raise ValueError(f"refusing to enumerate 2^{n} states")
  codes = np.arange(2 ** n, dtype=np.int64)[:, None]
  return ((codes >> np.arange(n)) & 1).astype(np.float32)
