"""Coarse-grained bounded polynomial exponential family (CG-BPEF; Sun & Zhang 2017, sec. 3).

A density on [-1, 1] is coarse-grained onto R evenly spaced grid points

    zeta_r = (2r - (R + 1)) / (R - 1),   r = 1..R                              (sec. 3.2)

with polynomial logits (the BPEF of eq. 2 restricted to the grid)

    beta_r = sum_{m=1..M} b_m zeta_r^m,                                        (sec. 3.3)

(the constant term is the log-normaliser). A Concrete vector y ~ Con(beta, T) on the
simplex (Maddison et al. 2016; ``tfd.RelaxedOneHotCategorical`` with logits) is reduced
to the scalar z = y^T zeta in [-1, 1]. As T -> 0, y becomes one-hot with
P(y_r = 1) = softmax(beta)_r (eq. 3), so z is distributed like the BPEF. Samples are
reparameterised draws with exactly TFP's Gumbel noise, but from a Philox generator that
stays fast under XLA (see ``gumbel``).

term_1 of the bound is approximated by the KL between the limiting categoricals (eq. 4),
a lower bound of the KL between the Concrete vectors (theorem 1 (2)).
"""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae import random_ops

tfd = tfp.distributions


def grid(num_points: int, dtype=tf.float32) -> tf.Tensor:
  """The R grid points zeta_r = (2r - (R + 1)) / (R - 1), r = 1..R: ``[R]`` in [-1, 1]."""
  if num_points < 2:
    raise ValueError(f"the grid needs R >= 2 points, got {num_points}")
  r = tf.range(1, num_points + 1, dtype=tf.float64)
  zeta = (2.0 * r - (num_points + 1)) / (num_points - 1)
  return tf.cast(zeta, dtype)


def powers(zeta: tf.Tensor, order: int) -> tf.Tensor:
  """The design matrix ``V[r, m-1] = zeta_r^m`` for m = 1..M: ``[R, M]``."""
  if order < 1:
    raise ValueError(f"the polynomial order M must be >= 1, got {order}")
  exponents = tf.range(1, order + 1, dtype=zeta.dtype)
  return tf.pow(zeta[:, None], exponents[None, :])


def polynomial_logits(coefficients: tf.Tensor, design: tf.Tensor) -> tf.Tensor:
  """beta_r = sum_m b_m zeta_r^m: ``coefficients [..., M]`` x ``design [R, M]`` -> ``[..., R]``."""
  return tf.tensordot(coefficients, design, axes=[[-1], [1]])


def category_kl(beta: tf.Tensor, alpha: tf.Tensor) -> tf.Tensor:
  """KL(Cat(softmax beta) || Cat(softmax alpha)) over the last axis (eq. 4).

      sum_r e^{beta_r} (beta_r - alpha_r) / sum_r e^{beta_r}
          + log sum_r e^{alpha_r} - log sum_r e^{beta_r}

  computed in the log-softmax form (no overflow for large logits).
  """
  log_q = tf.nn.log_softmax(beta, axis=-1)
  log_p = tf.nn.log_softmax(alpha, axis=-1)
  return tf.reduce_sum(tf.exp(log_q) * (log_q - log_p), axis=-1)


def gumbel(shape, seed, dtype=tf.float32) -> tf.Tensor:
  """Standard Gumbel noise g = -log(-log U), U ~ Uniform(tiny, 1) drawn with Philox.

  Bit-identical to the noise of TFP's relaxed categoricals outside XLA (where TF's
  default algorithm is Philox too); the explicit algorithm keeps it fast inside XLA
  (``tfvae.random_ops``; measured 532 ms vs 13 ms for 202k values).
  """
  tiny = np.finfo(dtype.as_numpy_dtype).tiny
  u = random_ops.stateless_uniform(shape, seed=seed, minval=tiny, maxval=1.0, dtype=dtype)
  return -tf.math.log(-tf.math.log(u))


def sample_log_concrete(logits: tf.Tensor, temperature, sample_shape=(), seed=None):
  """log y for y ~ Con(logits, T): log_softmax((g + logits) / T), g Gumbel.

  The same draw as ``exp_concrete(logits, T).sample(sample_shape, seed=seed)``
  (reparameterised: differentiable in logits).
  """
  shape = tf.concat([tf.cast(sample_shape, tf.int32), tf.shape(logits)], 0)
  noise = gumbel(shape, seed, logits.dtype)
  return tf.nn.log_softmax((noise + logits) / tf.cast(temperature, logits.dtype), axis=-1)


def sample_concrete(logits: tf.Tensor, temperature, sample_shape=(), seed=None):
  """y ~ Con(logits, T): the draw of ``concrete(logits, T).sample(sample_shape, seed)``."""
  return tf.exp(sample_log_concrete(logits, temperature, sample_shape, seed))


def sample_one_hot(logits: tf.Tensor, sample_shape=(), seed=None):
  """One-hot draws from Cat(softmax logits) by Gumbel-max (the T -> 0 limit, eq. 3)."""
  shape = tf.concat([tf.cast(sample_shape, tf.int32), tf.shape(logits)], 0)
  index = tf.argmax(gumbel(shape, seed, logits.dtype) + logits, axis=-1)
  return tf.one_hot(index, tf.shape(logits)[-1], dtype=logits.dtype)


def one_hot_log_prob(one_hot: tf.Tensor, logits: tf.Tensor) -> tf.Tensor:
  """log Cat(one_hot | softmax logits), reduced over the last axis."""
  return tf.reduce_sum(one_hot * tf.nn.log_softmax(logits, axis=-1), axis=-1)


def concrete(logits: tf.Tensor, temperature) -> tfd.Distribution:
  """Con(logits, T) as a reparameterised ``tfd.RelaxedOneHotCategorical``."""
  return tfd.RelaxedOneHotCategorical(tf.cast(temperature, logits.dtype), logits=logits)


def exp_concrete(logits: tf.Tensor, temperature) -> tfd.Distribution:
  """log y for y ~ Con(logits, T) (``tfd.ExpRelaxedOneHotCategorical``).

  Densities of log y are stable where those of y underflow; the Jacobian of exp is the
  same for the prior and the posterior, so ratios p/q agree in either space.
  """
  return tfd.ExpRelaxedOneHotCategorical(tf.cast(temperature, logits.dtype), logits=logits)


class CoarseGrainedGrid:
  """The grid zeta (R points) and polynomial design of order M < R - 1 (sec. 3.3)."""

  def __init__(self, num_points: int = 101, order: int = 5, dtype=tf.float32):
    if order >= num_points:
      raise ValueError(f"polynomial order M={order} must be < R={num_points} (M = R - 1 "
                       "already represents every categorical on the grid)")
    self.num_points = int(num_points)
    self.order = int(order)
    self.zeta = grid(self.num_points, dtype)
    self.design = powers(self.zeta, self.order)

  def logits(self, coefficients: tf.Tensor) -> tf.Tensor:
    """``[..., M]`` polynomial coefficients -> ``[..., R]`` logits over the grid."""
    return polynomial_logits(coefficients, self.design)

  def reduce(self, y: tf.Tensor) -> tf.Tensor:
    """z = y^T zeta: ``[..., R]`` points of the simplex -> ``[...]`` in [-1, 1]."""
    return tf.reduce_sum(y * tf.cast(self.zeta, y.dtype), axis=-1)

  def sample(self, logits: tf.Tensor, temperature, sample_shape=(), seed=None):
    """Reparameterised ``(y, z)``: y ~ Con(logits, T) ``[S..., ..., R]``, z = y^T zeta."""
    y = sample_concrete(logits, temperature, sample_shape, seed)
    return y, self.reduce(y)

  def pmf(self, logits: tf.Tensor) -> tf.Tensor:
    """The T -> 0 limit: P(z = zeta_r) = softmax(logits)_r (eq. 3)."""
    return tf.nn.softmax(logits, axis=-1)

  def density(self, logits: tf.Tensor) -> tf.Tensor:
    """The BPEF density on [-1, 1] at the grid points: pmf / grid spacing."""
    return self.pmf(logits) * (self.num_points - 1) / 2.0
