"""Single-level VAEs with gated MLPs and a pluggable prior p(z): the CP-VAE baselines.

All models of the CP-VAE paper (Lavda et al. 2020, sec. 5) share one architecture: gated
MLP encoder and decoder (two hidden layers of 300 gated units, Dauphin et al. 2017), a
diagonal Gaussian posterior q(z|x) and a Bernoulli or Gaussian p(x|z). They differ only in
the prior. The bound is eq. 2,

    ELBO(x) = E_q log p(x|z) - KL(q(z|x) || p(z)),

with the KL analytic for the standard normal prior (``gated_vae``) and a single-sample
Monte Carlo estimate log q(z|x) - log p(z) for learned mixture priors (MG, VampPrior).

``GatedLatentModel`` holds what every model of the family shares: generation by category,
reconstruction, cluster probabilities and the export endpoints.
"""
from typing import Sequence

import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae import random_ops
from tfvae import request_checks
from tfvae.models.base import LatentVariableModel
from tfvae.models.learned_priors.toy_figures import histogram_image
from tfvae.models.likelihoods import LikelihoodHead
from tfvae.models.vae.posteriors import DiagonalGaussianPosterior
from tfvae.nets.gated import gated_mlp
from tfvae.registry import MODELS

tfd = tfp.distributions


class GatedLatentModel(LatentVariableModel):
  """Shared base: gated decoder + likelihood head, sampling by category, export hooks.

  Subclasses set ``num_categories`` (None when the prior has no discrete structure) and
  implement ``sample_given_categories(categories, seed)`` when they have one.
  """


  def _build_decoder(self, hidden_sizes, likelihood):
    self.decoder = gated_mlp(tuple(reversed(tuple(hidden_sizes))), name="decoder")
    self.likelihood = LikelihoodHead(likelihood, self.input_size, name="likelihood")

  # ---------------------------------------------------------------- sampling
  def generation_log_weights(self):
    """log p(k) used by ``sample`` to pick a category / component: ``[K]``."""
    return tf.fill([self.num_categories], -tf.math.log(float(self.num_categories)))

  def sample_given_categories(self, categories, seed):
    raise NotImplementedError

  def sample_categorical(self, num_samples, seed):
    """k ~ exp(generation_log_weights()), then x ~ p(x | k) (ancestral sampling)."""
    seed_c, seed_rest = tfp.random.split_seed(seed, 2)
    logits = self.generation_log_weights()[None, :]
    categories = tf.cast(tf.random.stateless_categorical(logits, num_samples, seed=seed_c)[0],
                         tf.int32)
    return self.sample_given_categories(categories, seed_rest)

  def sample_category(self, category, num_samples, seed):
    """Conditional generation: ``num_samples`` draws from category/component ``category``."""
    if self.num_categories is None:
      raise ValueError(f"{type(self).__name__} has no categories to condition on")
    categories = tf.fill([num_samples], tf.cast(category, tf.int32))
    return self.sample_given_categories(categories, seed)

  def _decode_output(self, px, seed, extra=None):
    out = {"probs": self.likelihood.mean(px), "samples": px.sample(seed=seed)}
    out.update(extra or {})
    return out

  def write_samples_png(self, path: str, seed: int, image_shape=None,
                        num_samples: int = 64) -> str:
    """Image grid of samples; for scalar data (the 1-D toy) a histogram of 10,000 draws
    over the true toy density instead (CP-VAE paper, figure 3)."""
    if image_shape is not None and int(np.prod(image_shape)) == 1:
      from tfvae.images import write_png  # pylint: disable=g-import-not-at-top
      x = self.sample(10000, tf.constant([seed, 0], tf.int32))["samples"].numpy()
      return write_png(path, histogram_image(x.reshape(-1)))
    return super().write_samples_png(path, seed, image_shape, num_samples)

  # ------------------------------------------------------------------ export
  def serving_endpoints(self):
    """The base endpoints (``sample``, ``reconstruct``) plus, for models with categories,
    ``sample_category(category: int32[], num_samples: int32[], seed: int32[])`` ->
    ``{probs, samples, categories}``; stateless in ``seed``."""
    endpoints = super().serving_endpoints()
    if self.num_categories is None:
      return endpoints

    def sample_category(category, num_samples, seed):
      num_samples = request_checks.positive(num_samples, "num_samples")
      category = request_checks.in_range(category, self.num_categories, "category")
      return self.sample_category(category, num_samples,
                                  tf.stack([seed, tf.constant(0, tf.int32)]))

    endpoints["sample_category"] = (sample_category, [
        tf.TensorSpec([], tf.int32, name="category"),
        tf.TensorSpec([], tf.int32, name="num_samples"),
        tf.TensorSpec([], tf.int32, name="seed")])
    return endpoints


@MODELS.register("gated_vae")
class PriorVAE(GatedLatentModel):
  """VAE with gated MLPs and a standard normal prior (the paper's "VAE" baseline).

  Subclasses replace ``prior_log_prob`` / ``sample_given_categories`` (learned mixture
  priors) and set ``analytic_kl = False``.
  """

  loss_term_names = ("loss", "elbo", "reconstruction", "kl", "posterior_scale")
  analytic_kl = True

  def __init__(self, input_size: int, latent_dim: int = 40,
               hidden_sizes: Sequence[int] = (300, 300), likelihood: str = "bernoulli",
               min_scale: float = 1e-4, seed: int = 0, **kwargs):
    super().__init__(seed=seed, **kwargs)
    self.input_size = int(input_size)
    self.latent_dim = int(latent_dim)
    self.hidden_sizes = tuple(int(h) for h in hidden_sizes)
    self.encoder = gated_mlp(self.hidden_sizes, name="encoder")
    self.posterior = DiagonalGaussianPosterior(self.latent_dim, min_scale=min_scale,
                                               name="posterior")
    self._build_decoder(self.hidden_sizes, likelihood)

  # ------------------------------------------------------------------ pieces
  def encode(self, x):
    """q(z|x) = N(mu(x), diag sigma(x)^2)."""
    return self.posterior(self.encoder(x))

  def posterior_moments(self, x):
    """``(mean, stddev)`` of q(z | x) (the contract's posterior statistics)."""
    return self.posterior.moments(self.encode(x))

  def decode(self, z):
    return self.likelihood(self.decoder(z))

  def prior_log_prob(self, z):
    """log p(z); standard normal here."""
    return tfd.MultivariateNormalDiag(loc=tf.zeros([self.latent_dim])).log_prob(z)

  def kl(self, q, z, log_q):
    if self.analytic_kl:
      return tfd.kl_divergence(q, tfd.MultivariateNormalDiag(loc=tf.zeros([self.latent_dim])))
    return log_q - self.prior_log_prob(z)

  # ------------------------------------------------------------------- maths
  def loss_terms(self, x, training=False):
    q = self.encode(x)
    z, log_q = q.experimental_sample_and_log_prob(seed=self.next_seed())
    reconstruction = tf.reduce_mean(self.decode(z).log_prob(x))
    kl = tf.reduce_mean(self.kl(q, z, log_q))
    return {"loss": -(reconstruction - self.kl_weight * kl),
            "elbo": reconstruction - kl, "reconstruction": reconstruction, "kl": kl,
            "posterior_scale": tf.reduce_mean(q.stddev())}

  def log_importance_weights(self, x, num_samples, seed):
    q = self.encode(x)
    z, log_q = q.experimental_sample_and_log_prob(num_samples, seed=seed)  # [S, B, D]
    return self.decode(z).log_prob(x) + self.prior_log_prob(z) - log_q

  def posterior_mean(self, x):
    return self.encode(x).mean()

  def reconstruct(self, x):
    return self.likelihood.mean(self.decode(self.posterior_mean(x)))

  def sample(self, num_samples, seed):
    if self.num_categories is not None:
      return self.sample_categorical(num_samples, seed)
    seed_z, seed_x = tfp.random.split_seed(seed, 2)
    z = random_ops.stateless_normal([num_samples, self.latent_dim], seed=seed_z)
    return self._decode_output(self.decode(z), seed_x)

  def sample_given_categories(self, categories, seed):
    seed_z, seed_x = tfp.random.split_seed(seed, 2)
    z = self.sample_prior_component(categories, seed_z)
    return self._decode_output(self.decode(z), seed_x, {"categories": categories})

  def sample_prior_component(self, categories, seed):
    """z ~ k-th prior component for each entry of ``categories``."""
    raise NotImplementedError
