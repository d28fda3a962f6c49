"""Approximate posteriors q(z|x): heads mapping encoder features h to a TFP distribution.

Each head is a Keras layer; ``call(h)`` returns a distribution over ``[batch, latent]``
that supports ``experimental_sample_and_log_prob`` (flows need no inverse for that).
``moments(q)`` returns ``(mean, stddev)`` of the Gaussian part (the base
distribution of a flow), used for posterior statistics and active units.
``analytic_kl`` says whether ``tfd.kl_divergence(q, N(0, I))`` has a closed form.
New families register with ``@register_posterior(name)``.
"""
import keras
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

POSTERIORS = {}


def register_posterior(name):
  def decorator(cls):
    POSTERIORS[name] = cls
    return cls
  return decorator


def make_posterior(name: str, latent_dim: int, **kwargs):
  if name not in POSTERIORS:
    raise KeyError(f"unknown posterior {name!r}; known posteriors: "
                   f"{', '.join(sorted(POSTERIORS))}")
  return POSTERIORS[name](latent_dim=latent_dim, **kwargs)


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
