"""Two-level hierarchical VAE (Tomczak & Welling 2018, sec. 3.2): HVAE and HVAE + VampPrior.

Generative model:  z2 ~ p(z2),  z1 ~ p(z1 | z2),  x ~ p(x | z1, z2)
Inference model:   z2 ~ q(z2 | x),  z1 ~ q(z1 | x, z2)

with p(z2) standard normal (``hvae``, the paper's "HVAE") or the VampPrior
1/K sum_k q(z2 | u_k) over K pseudo-inputs (``hvae_vamp_prior``, "HVP"). Every conditional
is a diagonal Gaussian given by gated MLPs laid out as in the reference code: q(z2|x) and
p(z1|z2) are two-layer gated MLPs; q(z1|x, z2) and p(x|z1, z2) pass each input through its
own gated layer, concatenate and apply one more gated layer. The bound

    ELBO = E_q [log p(x|z1,z2) + log p(z1|z2) + log p(z2) - log q(z1|x,z2) - log q(z2|x)]

is estimated with one sample; ``kl_z1`` and ``kl_z2`` are its two KL parts.
"""
from typing import Optional, Sequence

import tensorflow as tf
import tensorflow_probability as tfp

from tfvae import random_ops
from tfvae.distributions.conditional_prior import (mixture_log_prob, mixture_responsibilities,
                                                   sample_mixture)
from tfvae.models.likelihoods import LikelihoodHead
from tfvae.models.vae.posteriors import DiagonalGaussianPosterior
from tfvae.models.learned_priors.prior_vae import GatedLatentModel
from tfvae.models.learned_priors.vamp_prior import PseudoInputs, encoded_components
from tfvae.nets.gated import GatedDense, gated_mlp
from tfvae.registry import MODELS

tfd = tfp.distributions

PRIORS = ("standard", "vamp")


def _broadcast_concat(a, b):
  """Concatenates the last axes of ``a`` and ``b`` after broadcasting leading axes."""
  shape = tf.broadcast_dynamic_shape(tf.shape(a)[:-1], tf.shape(b)[:-1])
  a = tf.broadcast_to(a, tf.concat([shape, tf.shape(a)[-1:]], 0))
  b = tf.broadcast_to(b, tf.concat([shape, tf.shape(b)[-1:]], 0))
  return tf.concat([a, b], axis=-1)


@MODELS.register("hvae")
class HierarchicalVAE(GatedLatentModel):
  """Two stochastic layers z1 (``latent_dim``) and z2 (``top_latent_dim``) of Gaussians."""

  loss_term_names = ("loss", "elbo", "reconstruction", "kl", "kl_z1", "kl_z2",
                     "posterior_scale")
  default_prior = "standard"

  def __init__(self, input_size: int, latent_dim: int = 40,
               top_latent_dim: Optional[int] = None, hidden_sizes: Sequence[int] = (300, 300),
               likelihood: str = "bernoulli", prior: Optional[str] = None,
               num_pseudo_inputs: int = 500, pseudo_inputs_mean: float = 0.05,
               pseudo_inputs_stddev: float = 0.01,
               pseudo_inputs_range: Optional[Sequence[float]] = (0.0, 1.0),
               min_scale: float = 1e-4, seed: int = 0, **kwargs):
    super().__init__(seed=seed, **kwargs)
    prior = prior or self.default_prior
    if prior not in PRIORS:
      raise ValueError(f"prior must be one of {PRIORS}, got {prior!r}")
    self.input_size = int(input_size)
    self.latent_dim = int(latent_dim)
    self.top_latent_dim = int(top_latent_dim or latent_dim)
    self.hidden_sizes = tuple(int(h) for h in hidden_sizes)
    self.prior_kind = prior
    first, last = self.hidden_sizes[0], self.hidden_sizes[-1]
    # q(z2 | x)
    self.encoder = gated_mlp(self.hidden_sizes, name="encoder_z2")
    self.posterior_z2 = DiagonalGaussianPosterior(self.top_latent_dim, min_scale=min_scale,
                                                  name="posterior_z2")
    # q(z1 | x, z2)
    self.encoder_z1_x = GatedDense(first, name="encoder_z1_x")
    self.encoder_z1_z2 = GatedDense(first, name="encoder_z1_z2")
    self.encoder_z1 = gated_mlp(self.hidden_sizes[1:], name="encoder_z1")
    self.posterior_z1 = DiagonalGaussianPosterior(self.latent_dim, min_scale=min_scale,
                                                  name="posterior_z1")
    # p(z1 | z2)
    self.prior_z1_net = gated_mlp(self.hidden_sizes, name="prior_z1_net")
    self.prior_z1 = DiagonalGaussianPosterior(self.latent_dim, min_scale=min_scale,
                                              name="prior_z1")
    # p(x | z1, z2)
    self.decoder_z1 = GatedDense(last, name="decoder_z1")
    self.decoder_z2 = GatedDense(last, name="decoder_z2")
    self.decoder = gated_mlp(tuple(reversed(self.hidden_sizes))[1:], name="decoder")
    self.likelihood = LikelihoodHead(likelihood, self.input_size, name="likelihood")
    if prior == "vamp":
      self.num_categories = int(num_pseudo_inputs)
      self.pseudo_inputs = PseudoInputs(self.num_categories, self.input_size,
                                        pseudo_inputs_mean, pseudo_inputs_stddev,
                                        pseudo_inputs_range, seed=self.seed,
                                        name="pseudo_inputs")

  # ------------------------------------------------------------------ pieces
  def encode_z2(self, x):
    return self.posterior_z2(self.encoder(x))

  def encode_z1(self, x, z2):
    h = _broadcast_concat(self.encoder_z1_x(x), self.encoder_z1_z2(z2))
    return self.posterior_z1(self.encoder_z1(h))

  def p_z1(self, z2):
    return self.prior_z1(self.prior_z1_net(z2))

  def decode(self, z1, z2):
    h = tf.concat([self.decoder_z1(z1), self.decoder_z2(z2)], axis=-1)
    return self.likelihood(self.decoder(h))

  def prior_components(self):
    """``(loc, scale) [K, D2]`` of the VampPrior components q(z2 | u_k)."""
    return encoded_components(self.encode_z2, self.pseudo_inputs)

  def prior_z2_log_prob(self, z2):
    z2 = tf.cast(z2, tf.float32)
    if self.prior_kind == "standard":
      return tfd.MultivariateNormalDiag(loc=tf.zeros([self.top_latent_dim])).log_prob(z2)
    loc, scale = self.prior_components()
    return mixture_log_prob(z2, loc, scale)

  # ------------------------------------------------------------------- maths
  def _log_terms(self, x, num_samples, seed):
    """Sampled log-densities ``(log p(x|z), log p(z1|z2), log p(z2), log q(z1), log q(z2))``."""
    seed_2, seed_1 = tfp.random.split_seed(seed, 2)
    q_z2 = self.encode_z2(x)
    z2, log_q2 = q_z2.experimental_sample_and_log_prob(num_samples, seed=seed_2)
    q_z1 = self.encode_z1(x, z2)
    z1, log_q1 = q_z1.experimental_sample_and_log_prob(seed=seed_1)
    log_p1 = self.p_z1(z2).log_prob(z1)
    log_p2 = self.prior_z2_log_prob(z2)
    log_px = self.decode(z1, z2).log_prob(x)
    return log_px, log_p1, log_p2, log_q1, log_q2, q_z1, q_z2

  def loss_terms(self, x, training=False):
    log_px, log_p1, log_p2, log_q1, log_q2, q_z1, q_z2 = self._log_terms(
        x, (), self.next_seed())
    reconstruction = tf.reduce_mean(log_px)
    kl_z1 = tf.reduce_mean(log_q1 - log_p1)
    kl_z2 = tf.reduce_mean(log_q2 - log_p2)
    kl = kl_z1 + kl_z2
    return {"loss": -(reconstruction - self.kl_weight * kl),
            "elbo": reconstruction - kl, "reconstruction": reconstruction, "kl": kl,
            "kl_z1": kl_z1, "kl_z2": kl_z2,
            "posterior_scale": 0.5 * (tf.reduce_mean(q_z1.stddev())
                                      + tf.reduce_mean(q_z2.stddev()))}

  def log_importance_weights(self, x, num_samples, seed):
    log_px, log_p1, log_p2, log_q1, log_q2, _, _ = self._log_terms(x, num_samples, seed)
    return log_px + log_p1 + log_p2 - log_q1 - log_q2

  # -------------------------------------------------------------- generation
  def _decode_from_z2(self, z2, seed, extra=None):
    seed_1, seed_x = tfp.random.split_seed(seed, 2)
    z1 = self.p_z1(z2).sample(seed=seed_1)
    return self._decode_output(self.decode(z1, z2), seed_x, extra)

  def sample(self, num_samples, seed):
    if self.num_categories is not None:
      return self.sample_categorical(num_samples, seed)
    seed_2, seed_rest = tfp.random.split_seed(seed, 2)
    z2 = random_ops.stateless_normal([num_samples, self.top_latent_dim], seed=seed_2)
    return self._decode_from_z2(z2, seed_rest)

  def sample_given_categories(self, categories, seed):
    seed_2, seed_rest = tfp.random.split_seed(seed, 2)
    loc, scale = self.prior_components()
    z2 = sample_mixture(loc, scale, categories, seed_2)
    return self._decode_from_z2(z2, seed_rest, {"categories": categories})

  def reconstruct(self, x):
    """Decoder mean at the posterior means (z2 = E q(z2|x), z1 = E q(z1|x, z2))."""
    z2 = self.encode_z2(x).mean()
    z1 = self.encode_z1(x, z2).mean()
    return self.likelihood.mean(self.decode(z1, z2))

  def category_probs(self, x):
    """Responsibilities of the VampPrior components at E q(z2|x) (HVP only)."""
    if self.num_categories is None:
      raise ValueError("category_probs needs prior='vamp'")
    loc, scale = self.prior_components()
    return mixture_responsibilities(self.encode_z2(x).mean(), loc, scale)


@MODELS.register("hvae_vamp_prior")
class HierarchicalVampPriorVAE(HierarchicalVAE):
  """The two-level HVAE with a VampPrior on z2 ("HVP")."""

  default_prior = "vamp"
