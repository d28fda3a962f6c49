"""Smoothing transformations r(zeta | z) of the discrete VAE (section 2, appendices D, E).

Each class is a small TFP-style distribution over one continuous zeta per unit, the
marginal q(zeta) = (1 - q) r(zeta | z=0) + q r(zeta | z=1) of a unit with q = q(z=1|x):

* ``quantile(rho)``: the inverse CDF F^{-1}(rho) as a differentiable function of q
  (the reparameterisation of eq. 8); ``cdf(zeta)``; ``log_prob(zeta)``.
* ``reparameterized_sample(rho)``: the map used in training. It equals ``quantile`` except
  for the spike-and-Gaussian, whose spike is moved to the start of the rho range
  (appendix E.1) so that, for every spiky family, z = 1[rho > 1 - q] (eq. 29).
* ``prob_one(zeta)``: P(z = 1 | zeta), the discrete unit behind a sample; an indicator
  (zeta != 0) for spiky families, a smooth function for the mixture of ramps.
* ``has_spike``: r(zeta | z=0) is a point mass at 0, which the pairwise KL gradient of
  appendix F.4 (eq. 31) relies upon.

Spiky families have a point mass 1 - q at zeta = 0; their ``log_prob`` is the density
with respect to Lebesgue measure plus a unit atom at 0 (log(1 - q) at zeta = 0,
log q + log r(zeta | z=1) elsewhere). ``conditional(z)``: r(zeta | z) itself, i.e. the
same family with q = z, used to sample the prior.
"""
import tensorflow as tf

from tfvae import random_ops

_EPS = 1e-6


def _ndtr(x):
  """Standard normal CDF."""
  return 0.5 * tf.math.erfc(-x * 0.7071067811865476)


def _uniform(shape, seed):
  return random_ops.stateless_uniform(shape, seed=seed, minval=0.0, maxval=1.0)


class Smoothing:
  """Base class: ``probs`` q = q(z=1) of shape ``[..., n]``."""

  has_spike = True

  def __init__(self, probs):
    self.probs = tf.convert_to_tensor(probs, tf.float32)

  def reparameterized_sample(self, rho):
    return self.quantile(rho)

  def sample(self, seed):
    """One zeta per unit, reparameterised through rho ~ U(0, 1)."""
    return self.reparameterized_sample(_uniform(tf.shape(self.probs), seed))

  def sample_with_z(self, seed):
    """``(zeta, z)`` with z the discrete unit (for spiky families z = 1[zeta != 0])."""
    rho = _uniform(tf.shape(self.probs), seed)
    zeta = self.reparameterized_sample(rho)
    if self.has_spike:
      z = tf.cast(rho > 1.0 - self.probs, tf.float32)
    else:
      u = _uniform(tf.shape(self.probs), tf.random.experimental.stateless_fold_in(seed, 1))
      z = tf.cast(u < self.prob_one(zeta), tf.float32)
    return zeta, z

  def prob_one(self, zeta):
    return tf.cast(tf.not_equal(zeta, 0.0), tf.float32)

  def _conditional_kwargs(self):
    return {}

  def conditional(self, z):
    """r(zeta | z) for binary z: the same family with q = z."""
    return type(self)(probs=tf.cast(z, tf.float32), **self._conditional_kwargs())


class SpikeAndExponential(Smoothing):
  """r(zeta|0) = delta(zeta); r(zeta|1) = beta e^{beta zeta} / (e^beta - 1) on [0, 1] (sec. 2.1).

  F(zeta) = 1 - q + q (e^{beta zeta} - 1) / (e^beta - 1);
  F^{-1}(rho) = log1p(max(rho + q - 1, 0) / q * expm1(beta)) / beta   (eq. 9).
  """

  def __init__(self, probs, beta=1.0):
    super().__init__(probs)
    self.beta = tf.convert_to_tensor(beta, tf.float32)

  def _conditional_kwargs(self):
    return {"beta": self.beta}

  def quantile(self, rho):
    q = self.probs
    u = tf.nn.relu(rho + q - 1.0) / tf.maximum(q, _EPS)
    return tf.math.log1p(tf.minimum(u, 1.0) * tf.math.expm1(self.beta)) / self.beta

  def cdf(self, zeta):
    q = self.probs
    slab = tf.math.expm1(self.beta * zeta) / tf.math.expm1(self.beta)
    return tf.where(zeta < 0.0, 0.0, 1.0 - q + q * tf.clip_by_value(slab, 0.0, 1.0))

  def log_prob(self, zeta):
    q = self.probs
    log_slab = (tf.math.log(self.beta) + self.beta * zeta
                - tf.math.log(tf.math.expm1(self.beta)))
    inside = tf.logical_and(zeta > 0.0, zeta <= 1.0)
    out = tf.where(inside, tf.math.log(q) + log_slab, -float("inf"))
    return tf.where(tf.equal(zeta, 0.0), tf.math.log1p(-q), out)


class SpikeAndSlab(Smoothing):
  """r(zeta|0) = delta(zeta); r(zeta|1) = U(0, 1) (appendix D.2).

  F(zeta) = 1 - q + q zeta;  F^{-1}(rho) = (rho - 1) / q + 1 if rho >= 1 - q else 0.
  """

  def quantile(self, rho):
    q = self.probs
    return tf.minimum(tf.nn.relu(rho + q - 1.0) / tf.maximum(q, _EPS), 1.0)

  def cdf(self, zeta):
    q = self.probs
    return tf.where(zeta < 0.0, 0.0, 1.0 - q + q * tf.clip_by_value(zeta, 0.0, 1.0))

  def log_prob(self, zeta):
    q = self.probs
    inside = tf.logical_and(zeta > 0.0, zeta <= 1.0)
    out = tf.where(inside, tf.math.log(q), -float("inf"))
    return tf.where(tf.equal(zeta, 0.0), tf.math.log1p(-q), out)


class MixtureOfRamps(Smoothing):
  """r(zeta|0) = 2 (1 - zeta); r(zeta|1) = 2 zeta on [0, 1] (appendix D.1).

  F(zeta) = 2 q (zeta^2 - zeta) + 2 zeta - zeta^2  (eq. 19), and eq. 20 rationalised,
  F^{-1}(rho) = rho / (sqrt((1-q)^2 + (2q-1) rho) + 1 - q), which is finite at q = 1/2.
  No spike: the pairwise KL term is differentiated directly through P(z=1 | zeta).
  """

  has_spike = False

  def quantile(self, rho):
    q = tf.clip_by_value(self.probs, _EPS, 1.0 - _EPS)
    disc = tf.square(1.0 - q) * (1.0 - rho) + tf.square(q) * rho  # = (1-q)^2 + (2q-1) rho
    return rho / (tf.sqrt(tf.maximum(disc, 0.0)) + 1.0 - q)

  def cdf(self, zeta):
    q = self.probs
    zeta = tf.clip_by_value(zeta, 0.0, 1.0)
    return 2.0 * q * (tf.square(zeta) - zeta) + 2.0 * zeta - tf.square(zeta)

  def log_prob(self, zeta):
    q = self.probs
    inside = tf.logical_and(zeta >= 0.0, zeta <= 1.0)
    dens = 2.0 * ((1.0 - q) * (1.0 - zeta) + q * zeta)
    return tf.where(inside, tf.math.log(dens), -float("inf"))

  def prob_one(self, zeta):
    q = self.probs
    one = q * zeta
    return one / tf.maximum(one + (1.0 - q) * (1.0 - zeta), 1e-12)


class SpikeAndGaussian(Smoothing):
  """q(zeta|0) = delta(zeta); q(zeta|1, x) = N(loc(x), scale(x)^2) (appendix E.1).

  The prior uses r(zeta|1) = N(prior_loc, prior_scale^2) (fixed; the paper takes unit
  variance), so the ELBO gains the term of eq. 22, ``extra_kl()`` =
  q * KL[N(loc, scale^2) || N(prior_loc, prior_scale^2)] per unit.

  F(zeta) = (1 - q) H(zeta) + q Phi((zeta - loc) / scale); ``quantile`` inverts it
  piecewise around rho_step = q Phi(-loc/scale), and ``reparameterized_sample`` is the
  shifted map of E.1: 0 if rho <= 1 - q, else loc + scale Phi^{-1}((rho - 1) / q + 1).
  """

  def __init__(self, probs, loc=0.0, scale=1.0, prior_loc=0.0, prior_scale=1.0):
    super().__init__(probs)
    self.loc = tf.convert_to_tensor(loc, tf.float32)
    self.scale = tf.convert_to_tensor(scale, tf.float32)
    self.prior_loc = float(prior_loc)
    self.prior_scale = float(prior_scale)

  def _conditional_kwargs(self):
    return {"loc": self.prior_loc, "scale": self.prior_scale,
            "prior_loc": self.prior_loc, "prior_scale": self.prior_scale}

  def _normal_quantile(self, u):
    u = tf.clip_by_value(u, _EPS, 1.0 - _EPS)
    return self.loc + self.scale * tf.math.ndtri(u)

  def quantile(self, rho):
    q = tf.maximum(self.probs, _EPS)
    step = q * _ndtr(-self.loc / self.scale)
    below = self._normal_quantile(rho / q)
    above = self._normal_quantile((rho - 1.0) / q + 1.0)
    return tf.where(rho < step, below, tf.where(rho <= step + 1.0 - q, 0.0, above))

  def reparameterized_sample(self, rho):
    q = tf.maximum(self.probs, _EPS)
    slab = self._normal_quantile((rho - 1.0) / q + 1.0)
    return tf.where(rho > 1.0 - q, slab, 0.0)

  def cdf(self, zeta):
    q = self.probs
    heaviside = tf.cast(zeta >= 0.0, tf.float32)
    return (1.0 - q) * heaviside + q * _ndtr((zeta - self.loc) / self.scale)

  def log_prob(self, zeta):
    q = self.probs
    z = (zeta - self.loc) / self.scale
    log_normal = -0.5 * tf.square(z) - tf.math.log(self.scale) - 0.9189385332046727
    return tf.where(tf.equal(zeta, 0.0), tf.math.log1p(-q), tf.math.log(q) + log_normal)

  def slab_log_ratio(self, zeta):
    """log N(zeta; prior) - log N(zeta; loc, scale): log r(zeta|1) / q(zeta|1, x)."""
    zp = (zeta - self.prior_loc) / self.prior_scale
    zq = (zeta - self.loc) / self.scale
    return (-0.5 * tf.square(zp) - tf.math.log(self.prior_scale)
            + 0.5 * tf.square(zq) + tf.math.log(self.scale))

  def extra_kl(self):
    """q * KL[N(loc, scale^2) || N(prior_loc, prior_scale^2)] per unit (eq. 22)."""
    var_ratio = tf.square(self.scale / self.prior_scale)
    kl = 0.5 * (var_ratio + tf.square((self.loc - self.prior_loc) / self.prior_scale)
                - 1.0 - tf.math.log(var_ratio))
    return self.probs * kl


SMOOTHINGS = {
    "spike_and_exponential": SpikeAndExponential,
    "spike_and_slab": SpikeAndSlab,
    "mixture_of_ramps": MixtureOfRamps,
    "spike_and_gaussian": SpikeAndGaussian,
}


def smoothing_class(name: str):
  if name not in SMOOTHINGS:
    raise KeyError(f"unknown smoothing {name!r}; known: {', '.join(sorted(SMOOTHINGS))}")
  return SMOOTHINGS[name]
