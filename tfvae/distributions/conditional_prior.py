"""Learned diagonal-Gaussian priors and the KL terms of the CP-VAE (Lavda et al. 2020).

``ConditionalGaussianPrior`` holds K trainable components p(z|c_k) = N(mu_k, diag sigma_k^2)
(eq. 5, "empirical Bayes": fitted by backpropagation with the encoder and decoder). It is
the CP-VAE's conditional prior and, with equal weights 1/K, the mixture-of-Gaussians (MG)
prior of the baselines.

The CP-VAE's KL splits as B = B1 + B2 (eq. 8):

    B1 = KL(Cat(pi) || Uniform(K)) = log K - H(pi)                         (eq. 9)
    B2 = sum_k pi_k KL(N(m, s^2) || N(mu_k, sigma_k^2))                    (closed form)

Everything is computed in float32.
"""

import keras
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae import random_ops
from tfvae.distributions.gaussian import HALF_LOG_2PI as _HALF_LOG_2PI

tfd = tfp.distributions



# ------------------------------------------------------------ closed-form pieces
def categorical_kl_to_uniform(logits):
  """B1 (eq. 9): KL(Cat(softmax(logits)) || Uniform(K)) = log K - H, shape ``logits[..., 0]``."""
  logits = tf.cast(logits, tf.float32)
  log_pi = tf.nn.log_softmax(logits, axis=-1)
  num = tf.cast(tf.shape(logits)[-1], tf.float32)
  return tf.reduce_sum(tf.exp(log_pi) * log_pi, axis=-1) + tf.math.log(num)


def diag_gaussian_kl_matrix(q_loc, q_scale, p_loc, p_scale):
  """KL(N(q_loc, q_scale^2) || N(p_loc_k, p_scale_k^2)) for every k: ``[..., K]``.

  ``q_*``: ``[..., D]``; ``p_*``: ``[K, D]``. Per dimension
  log(s_p / s_q) + (s_q^2 + (m_q - m_p)^2) / (2 s_p^2) - 1/2, summed over D.
  """
  q_loc, q_scale = q_loc[..., None, :], q_scale[..., None, :]
  ratio = tf.square(q_scale / p_scale)
  mahalanobis = tf.square((q_loc - p_loc) / p_scale)
  return 0.5 * tf.reduce_sum(ratio + mahalanobis - 1.0 - tf.math.log(ratio), axis=-1)


def diag_gaussian_log_prob_matrix(z, loc, scale):
  """log N(z | loc_k, diag scale_k^2) for every component k: ``z [..., D]`` -> ``[..., K]``.

  The quadratic form is expanded, sum_d (z_d^2 - 2 z_d mu_kd + mu_kd^2) / sigma_kd^2, so the
  cost is two ``[..., D] x [D, K]`` matmuls and no ``[..., K, D]`` tensor is formed (IWAE
  evaluates this for thousands of samples against hundreds of components).
  """
  precision = tf.math.reciprocal(tf.square(scale))                       # [K, D]
  quadratic = (tf.einsum("...d,kd->...k", tf.square(z), precision)
               - 2.0 * tf.einsum("...d,kd->...k", z, loc * precision)
               + tf.reduce_sum(tf.square(loc) * precision, axis=-1))
  normalizer = (tf.reduce_sum(tf.math.log(scale), axis=-1)
                + _HALF_LOG_2PI * tf.cast(tf.shape(loc)[-1], z.dtype))
  return -0.5 * quadratic - normalizer


def mixture_log_prob(z, loc, scale, log_weights=None):
  """log sum_k w_k N(z | loc_k, scale_k^2) by log-sum-exp; equal weights 1/K if None."""
  components = diag_gaussian_log_prob_matrix(z, loc, scale)
  if log_weights is None:
    num = tf.cast(tf.shape(loc)[0], tf.float32)
    return tf.reduce_logsumexp(components, axis=-1) - tf.math.log(num)
  return tf.reduce_logsumexp(components + log_weights, axis=-1)


def mixture_responsibilities(z, loc, scale, log_weights=None):
  """p(k | z) of the mixture above: ``[..., K]`` (sums to one)."""
  components = diag_gaussian_log_prob_matrix(z, loc, scale)
  if log_weights is not None:
    components = components + log_weights
  return tf.nn.softmax(components, axis=-1)


def sample_mixture(loc, scale, categories, seed):
  """z = loc_c + scale_c * eps for integer ``categories [n]``: ``[n, D]``."""
  loc_c = tf.gather(loc, categories)
  scale_c = tf.gather(scale, categories)
  eps = random_ops.stateless_normal(tf.shape(loc_c), seed=seed)
  return loc_c + scale_c * eps


# ------------------------------------------------------------------ the layer
class ConditionalGaussianPrior(keras.layers.Layer):
  """K trainable diagonal Gaussians p(z|c_k) = N(mu_k, diag sigma_k^2) (eq. 5).

  sigma = softplus(raw) + ``min_scale``. ``init="normal"``: means start at
  N(0, ``init_loc_stddev``^2) (distinct starts break the symmetry between components),
  scales at 1. ``init="reference_uniform"``: the CP-VAE authors' code, means ~ U[0, 1) and
  log-variances 2 log(1 + exp(u / 2)) with u ~ U[0, 1) (variances 4 to 7).
  ``trainable=False`` keeps them at their start (that code never trains its prior).
  """

  INITS = ("normal", "reference_uniform")

  def __init__(self, num_components: int, latent_dim: int, init_loc_stddev: float = 1.0,
               min_scale: float = 1e-4, seed: int = 0, init: str = "normal",
               trainable_params: bool = True, **kwargs):
    kwargs.setdefault("dtype", "float32")
    super().__init__(**kwargs)
    if init not in self.INITS:
      raise ValueError(f"prior init must be one of {self.INITS}, got {init!r}")
    self.num_components = int(num_components)
    self.latent_dim = int(latent_dim)
    self.min_scale = float(min_scale)
    shape = (self.num_components, self.latent_dim)
    if init == "normal":
      loc_init = keras.initializers.RandomNormal(stddev=init_loc_stddev, seed=seed)
      raw_init = keras.initializers.Constant(float(np.log(np.expm1(1.0 - min_scale))))
    else:
      rng = np.random.default_rng(seed)
      loc_values = rng.uniform(0.0, 1.0, shape).astype(np.float32)
      log_var = 2.0 * np.log1p(np.exp(0.5 * rng.uniform(0.0, 1.0, shape)))
      raw_values = np.log(np.expm1(np.exp(0.5 * log_var) - min_scale)).astype(np.float32)
      loc_init = keras.initializers.Constant(loc_values)
      raw_init = keras.initializers.Constant(raw_values)
    self.loc = self.add_weight(shape=shape, dtype="float32", name="loc",
                               initializer=loc_init, trainable=bool(trainable_params))
    self.raw_scale = self.add_weight(shape=shape, dtype="float32", name="raw_scale",
                                     initializer=raw_init, trainable=bool(trainable_params))

  def loc_and_scale(self):
    """``(mu [K, D], sigma [K, D])`` in float32."""
    return (tf.convert_to_tensor(self.loc),
            tf.nn.softplus(tf.convert_to_tensor(self.raw_scale)) + self.min_scale)

  def components(self):
    """The K conditionals as one TFP distribution with batch shape ``[K]``."""
    loc, scale = self.loc_and_scale()
    return tfd.MultivariateNormalDiag(loc=loc, scale_diag=scale)

  def mixture(self, weights=None):
    """sum_k w_k p(z|c_k) as a TFP ``MixtureSameFamily`` (uniform weights if None)."""
    if weights is None:
      weights = tf.fill([self.num_components], 1.0 / self.num_components)
    return tfd.MixtureSameFamily(tfd.Categorical(probs=weights), self.components())

  def component_log_prob(self, z):
    """log p(z | c_k) for every k: ``[..., K]``."""
    loc, scale = self.loc_and_scale()
    return diag_gaussian_log_prob_matrix(tf.cast(z, tf.float32), loc, scale)

  def log_prob(self, z, log_weights=None):
    """Mixture log-density log sum_k w_k p(z|c_k) (equal weights if None)."""
    loc, scale = self.loc_and_scale()
    return mixture_log_prob(tf.cast(z, tf.float32), loc, scale, log_weights)

  def responsibilities(self, z, log_weights=None):
    loc, scale = self.loc_and_scale()
    return mixture_responsibilities(tf.cast(z, tf.float32), loc, scale, log_weights)

  def kl_per_component(self, q_loc, q_scale):
    """KL(q(z|x) || p(z|c_k)) for every k: ``[batch, K]``."""
    loc, scale = self.loc_and_scale()
    return diag_gaussian_kl_matrix(tf.cast(q_loc, tf.float32), tf.cast(q_scale, tf.float32),
                                   loc, scale)

  def expected_kl(self, probs, q_loc, q_scale):
    """B2 = sum_k pi_k KL(q(z|x) || p(z|c_k)) (eq. 8): ``[batch]``."""
    return tf.reduce_sum(tf.cast(probs, tf.float32) * self.kl_per_component(q_loc, q_scale),
                         axis=-1)

  def sample(self, categories, seed):
    """z ~ p(z | c) for integer ``categories [n]``: ``[n, D]``."""
    loc, scale = self.loc_and_scale()
    return sample_mixture(loc, scale, categories, seed)
