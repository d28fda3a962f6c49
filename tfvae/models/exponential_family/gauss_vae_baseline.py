"""Gauss-VAE baseline of Sun & Zhang 2017 (fig. 1a; Kingma & Welling 2014).

q(z|x) = N(mu(x), diag sigma(x)^2), p(z) = N(0, I); term_1 is the analytic Gaussian KL,
term_2 averages L reparameterised samples z^l = mu + sigma * eps^l (sec. 2). It shares
the networks (``mlp`` 784-400-400-d-400-400-784 or ``conv32``), the observation model
and the L-sample objective with Cat-VAE and CG-BPEF-VAE, so table 1 compares like with like.
"""
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae import random_ops
from tfvae.models.exponential_family.multisample_vae import MultiSampleVAE
from tfvae.models.vae.posteriors import DiagonalGaussianPosterior
from tfvae.registry import MODELS

tfd = tfp.distributions


@MODELS.register("gauss_vae_baseline")
class GaussVAEBaseline(MultiSampleVAE):
  """Diagonal-Gaussian VAE with L samples and a selectable MLP/conv32 network."""

  loss_term_names = ("loss", "elbo", "reconstruction", "kl", "posterior_scale")

  def __init__(self, input_size: int, latent_dim: int = 20, **kwargs):
    super().__init__(input_size=input_size, latent_dim=latent_dim, **kwargs)
    self.posterior = DiagonalGaussianPosterior(self.latent_dim, name="posterior")

  @property
  def prior(self):
    return tfd.MultivariateNormalDiag(loc=tf.zeros([self.latent_dim]))

  def make_posterior(self, h):
    return self.posterior(h)

  def posterior_sample(self, q, num_samples, seed):
    return q.sample(num_samples, seed=seed)

  def kl_divergence(self, q):
    return tfd.kl_divergence(q, self.prior)

  def importance_sample(self, q, num_samples, seed):
    z, log_q = q.experimental_sample_and_log_prob(num_samples, seed=seed)
    return z, self.prior.log_prob(z) - log_q

  def prior_sample(self, num_samples, seed):
    return random_ops.stateless_normal([num_samples, self.latent_dim], seed=seed)

  def posterior_decoder_input(self, q):
    return q.mean()

  def posterior_mean(self, x):
    return self.encode(x).mean()

  def extra_terms(self, q):
    return {"posterior_scale": tf.reduce_mean(q.stddev())}
