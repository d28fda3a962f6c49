"""Gaussian VAE (Kingma & Welling 2014; flows paper section 4.2).

Encoder MLP -> posterior head q(z|x) (diag Gaussian by default; see ``posteriors``),
standard normal prior, decoder MLP -> Bernoulli or Gaussian p(x|z). The ELBO is

    E_q[log p(x|z)] - KL(q(z|x) || p(z))                          (eq. 5)

with the KL analytic where the posterior family has a closed form (eq. 23) and a
single-sample Monte Carlo estimate log q(z|x) - log p(z) otherwise (eq. 12).

Posterior families (``posterior`` + ``posterior_kwargs``): ``diag``, ``full_cov``,
``planar``, ``iaf`` (``tfvae.models.vae.posteriors``). The training objective may weight
the KL by ``kl_weight`` (beta, eq. 13; constant or scheduled) and clamp it with free
bits (``free_bits`` = lambda nats per group, ``free_bits_groups``; eq. 14, see
``tfvae.models.regularizers``); the logged ``elbo`` is always the true bound.
"""
from typing import Sequence

import tensorflow as tf
import tensorflow_probability as tfp

from tfvae import random_ops
from tfvae.models.base import LatentVariableModel
from tfvae.models.likelihoods import LikelihoodHead
from tfvae.models.vae.posteriors import make_posterior
from tfvae.models import regularizers
from tfvae.nets.mlp import mlp
from tfvae.registry import MODELS

tfd = tfp.distributions


@MODELS.register("gaussian_vae")
class GaussianVAE(LatentVariableModel):
  """VAE with a continuous latent z of size ``latent_dim`` and a N(0, I) prior."""

  loss_term_names = ("loss", "elbo", "reconstruction", "kl", "posterior_scale")

  def __init__(self, input_size: int, latent_dim: int = 40,
               hidden_sizes: Sequence[int] = (400,), activation: str = "relu",
               likelihood: str = "bernoulli", posterior: str = "diag",
               posterior_kwargs=None, free_bits: float = 0.0,
               free_bits_groups=None, seed: int = 0, **kwargs):
    super().__init__(seed=seed, **kwargs)
    self.input_size = int(input_size)
    self.latent_dim = int(latent_dim)
    self.encoder = mlp(hidden_sizes, activation, name="encoder")
    self.posterior = make_posterior(posterior, self.latent_dim, name="posterior",
                                    **dict(posterior_kwargs or {}))
    self.decoder = mlp(tuple(reversed(tuple(hidden_sizes))), activation, name="decoder")
    self.likelihood = LikelihoodHead(likelihood, self.input_size, name="likelihood")
    self._configure_free_bits(free_bits, free_bits_groups)

  def _configure_free_bits(self, free_bits, free_bits_groups):
    """Free bits need per-group KLs: exact per-dimension terms for analytic heads
    (diag: eq. 23 terms; full_cov: chain-rule terms of eq. 25). A flow's Monte Carlo
    KL has no per-dimension split, so only one group (the whole z) is allowed."""
    self.free_bits = float(free_bits)
    self.free_bits_groups = free_bits_groups
    self._free_bits_matrix = None
    if self.free_bits <= 0:
      return
    if getattr(self.posterior, "kl_per_dim", None) is None:
      if free_bits_groups not in (1, (self.latent_dim,), [self.latent_dim]):
        raise ValueError(
            f"free bits with the {type(self.posterior).__name__} posterior (Monte Carlo "
            "KL, no per-dimension decomposition) needs free_bits_groups=1")
      return
    sizes = regularizers.group_sizes(self.latent_dim, free_bits_groups)
    self._free_bits_matrix = regularizers.group_matrix(sizes)

  # ------------------------------------------------------------------ pieces
  @property
  def prior(self):
    return tfd.MultivariateNormalDiag(loc=tf.zeros([self.latent_dim]))

  def encode(self, x):
    """q(z|x) as a TFP distribution over ``[batch, latent_dim]``."""
    return self.posterior(self.encoder(x))

  def posterior_moments(self, x):
    """``(mean, stddev)`` of q(z | x) (the contract's posterior statistics)."""
    return self.posterior.moments(self.encode(x))

  def decode(self, z):
    """p(x|z) as a TFP distribution over ``[..., input_size]``."""
    return self.likelihood(self.decoder(z))

  def _kl(self, q, z, log_q):
    if getattr(self.posterior, "analytic_kl", False):
      return tfd.kl_divergence(q, self.prior)
    return log_q - self.prior.log_prob(z)

  # ------------------------------------------------------------------- maths
  def per_example_terms(self, x, seed):
    """Per-example reconstruction log-likelihood and KL: ``([B], [B])``."""
    q = self.encode(x)
    z, log_q = q.experimental_sample_and_log_prob(seed=seed)
    reconstruction = self.decode(z).log_prob(x)
    return reconstruction, self._kl(q, z, log_q), q

  def loss_terms(self, x, training=False):
    reconstruction, kl, q = self.per_example_terms(x, self.next_seed())
    reconstruction = tf.reduce_mean(reconstruction)
    kl_objective = self.kl_objective(q, kl)
    kl = tf.reduce_mean(kl)
    elbo = reconstruction - kl
    loss = -(reconstruction - self.kl_weight * kl_objective)
    return {"loss": loss, "elbo": elbo, "reconstruction": reconstruction, "kl": kl,
            "posterior_scale": self.posterior_scale(q)}

  def kl_objective(self, q, kl):
    """KL term of the training loss from per-example KLs ``[B]``: the batch mean, or
    with free bits Σ_groups max(lambda, batch-mean group KL) (eq. 14)."""
    if self.free_bits <= 0:
      return tf.reduce_mean(kl)
    if self._free_bits_matrix is None:
      per_group = tf.reduce_mean(kl, axis=0, keepdims=True)  # one group: all of z
    else:
      per_dim = tf.reduce_mean(self.posterior.kl_per_dim(q), axis=0)
      per_group = tf.linalg.matvec(self._free_bits_matrix, per_dim, transpose_a=True)
    return regularizers.free_bits(per_group, self.free_bits)

  def posterior_scale(self, q):
    """Mean posterior standard deviation (of the base Gaussian for flows)."""
    return tf.reduce_mean(self.posterior.moments(q)[1])

  def posterior_mean(self, x):
    """E_q[z|x] for diagonal/full-cov posteriors, base mean for flows (active units)."""
    return self.posterior.moments(self.encode(x))[0]

  def log_importance_weights(self, x, num_samples, seed):
    q = self.encode(x)
    z, log_q = q.experimental_sample_and_log_prob(num_samples, seed=seed)  # [S, B, D]
    log_px = self.decode(z).log_prob(x)
    return log_px + self.prior.log_prob(z) - log_q

  def sample(self, num_samples, seed):
    seed_z, seed_x = tfp.random.split_seed(seed, 2)
    z = random_ops.stateless_normal([num_samples, self.latent_dim], seed=seed_z)
    px = self.decode(z)
    return {"probs": self.likelihood.mean(px), "samples": px.sample(seed=seed_x)}

  def serving_endpoints(self):
    """The base endpoints plus ``encode(x, seed) -> {z, log_q, mean, scale}``: one
    posterior draw z ~ q(z|x) (through the flow for flow posteriors), its log density
    and the (base) Gaussian's moments; stateless in ``seed``."""
    endpoints = super().serving_endpoints()

    def encode(x, seed):
      q = self.encode(x)
      z, log_q = q.experimental_sample_and_log_prob(
          seed=tf.stack([seed, tf.constant(0, tf.int32)]))
      mean, scale = self.posterior.moments(q)
      return {"z": z, "log_q": log_q, "mean": mean, "scale": scale}

    endpoints["encode"] = (encode, [
        tf.TensorSpec([None, self.input_size], tf.float32, name="x"),
        tf.TensorSpec([], tf.int32, name="seed")])
    return endpoints

  def reconstruct(self, x):
    """Decoder mean at the posterior mean of z."""
    return self.likelihood.mean(self.decode(self.posterior_mean(x)))
