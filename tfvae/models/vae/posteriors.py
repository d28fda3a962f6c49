"""Approximate posteriors q(z|x): heads mapping encoder features h to a TFP distribution.

Each head is a Keras layer; ``call(h)`` returns a distribution over ``[batch, latent]``
that supports ``experimental_sample_and_log_prob`` (flows need no inverse for that).
``moments(q)`` returns ``(mean, stddev)`` of the Gaussian part (the base
distribution of a flow), used for posterior statistics and active units.
``analytic_kl`` says whether ``tfd.kl_divergence(q, N(0, I))`` has a closed form.
``kl_per_dim(q)`` (heads with an analytic KL) returns ``[batch, latent]`` terms that
sum to that KL, which free bits (eq. 14) groups; flow heads have ``kl_per_dim = None``.
New families register with ``@register_posterior(name)`` (``tfvae.registry.POSTERIORS``).

Families: ``diag`` and ``full_cov`` here, ``planar`` and ``iaf`` in
``tfvae.models.vae.posteriors_flows`` (both registered when ``tfvae.models`` is imported).
"""
import keras
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.registry import POSTERIORS

tfd = tfp.distributions

register_posterior = POSTERIORS.register


def make_posterior(kind: str, latent_dim: int, **kwargs):
  """The posterior layer registered as ``kind`` (``kwargs``: its settings and Keras'
  ``name``); an unknown kind raises a ``KeyError`` listing the known ones."""
  return POSTERIORS.get(kind)(latent_dim=latent_dim, **kwargs)


@register_posterior("diag")
class DiagonalGaussianPosterior(keras.layers.Layer):
  """q(z|x) = N(mu(x), diag sigma(x)^2), reparameterised as z = mu + sigma * eps (eq. 22).

  sigma = softplus(raw) + min_scale keeps the scale positive without exp overflow.
  KL to N(0, I) is analytic (eq. 23).
  """

  analytic_kl = True

  def __init__(self, latent_dim: int, min_scale: float = 1e-4, **kwargs):
    super().__init__(**kwargs)
    self.latent_dim = int(latent_dim)
    self.min_scale = float(min_scale)
    self.dense = keras.layers.Dense(2 * self.latent_dim, name="loc_scale")

  def call(self, h):
    params = tf.cast(self.dense(h), tf.float32)
    loc, raw_scale = tf.split(params, 2, axis=-1)
    scale = tf.nn.softplus(raw_scale) + self.min_scale
    return tfd.MultivariateNormalDiag(loc=loc, scale_diag=scale)

  def moments(self, q):
    return q.mean(), q.stddev()

  @staticmethod
  def kl_per_dim(q):
    """KL(N(mu_i, sigma_i^2) || N(0, 1)) per dimension: the terms of eq. 23."""
    mu, sigma = q.mean(), q.stddev()
    return 0.5 * (tf.square(mu) + tf.square(sigma) - 1.0) - tf.math.log(sigma)


@register_posterior("full_cov")
class FullCovariancePosterior(keras.layers.Layer):
  """q(z|x) = N(mu, L L^T) with L = L* + diag(sigma) (eq. 24-25).

  The encoder features give mu, sigma = softplus(raw) + min_scale and the
  D(D-1)/2 entries of the strictly lower-triangular L*; z = mu + L eps (eq. 24).
  The L* layer starts at zero (kernel and bias), so training starts from the
  diagonal posterior instead of covariances of order D. KL to N(0, I) is
  analytic (eq. 25). ``off_diagonal_scale`` multiplies L* (the layer's output): with
  Adam, whose steps have the size of the learning rate whatever the gradient's, it is
  the relative step size of the off-diagonal entries.
  """

  analytic_kl = True

  def __init__(self, latent_dim: int, min_scale: float = 1e-4,
               off_diagonal_scale: float = 1.0, **kwargs):
    super().__init__(**kwargs)
    self.latent_dim = int(latent_dim)
    self.min_scale = float(min_scale)
    if not off_diagonal_scale > 0:
      raise ValueError(f"off_diagonal_scale must be > 0, got {off_diagonal_scale}")
    self.off_diagonal_scale = float(off_diagonal_scale)
    self.dense = keras.layers.Dense(2 * self.latent_dim, name="loc_scale")
    self.num_off_diagonal = self.latent_dim * (self.latent_dim - 1) // 2
    self.tril_dense = keras.layers.Dense(max(self.num_off_diagonal, 1),
                                         kernel_initializer="zeros", name="tril")

  def strictly_lower(self, h):
    """L* ``[..., D, D]`` (zero on and above the diagonal)."""
    entries = self.off_diagonal_scale * tf.cast(self.tril_dense(h), tf.float32)
    if self.num_off_diagonal == 0:
      return tf.zeros(tf.concat([tf.shape(entries)[:-1], [1, 1]], 0))
    lower = tfp.math.fill_triangular(entries)  # [..., D-1, D-1], diagonal included
    paddings = [[0, 0]] * (len(lower.shape) - 2) + [[1, 0], [0, 1]]
    return tf.pad(lower, paddings)

  def call(self, h):
    params = tf.cast(self.dense(h), tf.float32)
    loc, raw_scale = tf.split(params, 2, axis=-1)
    scale = tf.nn.softplus(raw_scale) + self.min_scale
    scale_tril = self.strictly_lower(h) + tf.linalg.diag(scale)
    return tfd.MultivariateNormalTriL(loc=loc, scale_tril=scale_tril)

  def moments(self, q):
    return q.mean(), q.stddev()

  @staticmethod
  def kl_per_dim(q):
    """Chain-rule terms of eq. 25: E_q KL(q(z_i | z_<i) || N(0, 1)).

    Under q, z_i | z_<i has standard deviation L_ii and E[z_i^2] = mu_i^2 + Sigma_ii,
    so term i = (mu_i^2 + Sigma_ii - 1)/2 - log L_ii; the terms sum to the KL.
    """
    scale_tril = q.scale.to_dense()
    variance = tf.reduce_sum(tf.square(scale_tril), axis=-1)
    diag = tf.linalg.diag_part(scale_tril)
    return 0.5 * (tf.square(q.mean()) + variance - 1.0) - tf.math.log(diag)
