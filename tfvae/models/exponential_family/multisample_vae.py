"""Shared body of the Gauss-VAE / Cat-VAE / CG-BPEF-VAE comparison (Sun & Zhang 2017).

The three models share the networks (``network: mlp | conv32``), the observation model
and the objective, the free energy of eq. 1 with L reparameterised samples per example:

    L(theta, phi) = term_1 + term_2,
    term_1 = KL(q(z|x) : p(z))                 (closed form or the category KL, eq. 4)
    term_2 ~ -(1/L) sum_l log p(x | z^l),  z^l ~ q(z|x)                       (sec. 2)

``loss_terms`` reports ``reconstruction = -term_2``, ``kl = term_1`` and
``elbo = -(term_1 + term_2)`` (per example, batch means); ``loss = term_2 + kl_weight *
term_1``. For the relaxed-categorical families -(term_1 + term_2) is no bound: it is
logged as ``relaxed_elbo`` and ``elbo`` is a one-sample bound (``relaxed_objective``). A subclass defines the latent: ``make_posterior(h)``, ``posterior_sample``,
``kl_divergence``, ``importance_sample`` (for IWAE), ``prior_sample`` and
``posterior_decoder_input`` (a deterministic code for reconstructions).
"""
from typing import Sequence

import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.models.base import LatentVariableModel
from tfvae.nets.factory import make_decoder, make_encoder

tfd = tfp.distributions

LIKELIHOODS = ("bernoulli", "gaussian")
#: latent spaces of the IWAE bound for relaxed-categorical models: the discrete (T -> 0)
#: model or the Concrete-relaxed one at temperature T.
IWAE_LATENTS = ("discrete", "concrete")


def likelihood_from_params(kind: str, params, min_scale: float = 1e-3):
  """p(x|z) from decoder outputs: Bernoulli logits ``[..., D]`` or Normal ``[..., 2D]``."""
  params = tf.cast(params, tf.float32)
  if kind == "bernoulli":
    return tfd.Independent(tfd.Bernoulli(logits=params, dtype=tf.float32), 1)
  loc, raw_scale = tf.split(params, 2, axis=-1)
  return tfd.Independent(tfd.Normal(loc, tf.nn.softplus(raw_scale) + min_scale), 1)


def likelihood_mean(kind: str, dist):
  if kind == "bernoulli":
    return tf.sigmoid(dist.distribution.logits)
  return dist.distribution.loc


class MultiSampleVAE(LatentVariableModel):
  """A VAE whose ELBO averages ``num_latent_samples`` (L) draws per example."""

  loss_term_names = ("loss", "elbo", "reconstruction", "kl")
  #: True for the relaxed-categorical families (Cat-VAE, CG-BPEF): their training
  #: objective, eq. 1 with the category KL of eq. 4 and Concrete samples at temperature
  #: T, bounds neither the discrete nor the relaxed model's log p(x). ``loss_terms`` then
  #: logs it as ``relaxed_elbo`` and reports as ``elbo`` the one-sample bound of the
  #: model that the IWAE evaluates (``iwae_latent``), so that ``elbo`` <= the IWAE
  #: log-likelihood bound holds for every family.
  relaxed_objective = False

  def __init__(self, input_size: int, latent_dim: int = 20, network: str = "mlp",
               hidden_sizes: Sequence[int] = (400, 400), activation: str = "relu",
               likelihood: str = "bernoulli", num_latent_samples: int = 1,
               seed: int = 0, **kwargs):
    super().__init__(seed=seed, **kwargs)
    if likelihood not in LIKELIHOODS:
      raise ValueError(f"likelihood must be one of {LIKELIHOODS}, got {likelihood!r}")
    if num_latent_samples < 1:
      raise ValueError(f"num_latent_samples (L) must be >= 1, got {num_latent_samples}")
    self.input_size = int(input_size)
    self.latent_dim = int(latent_dim)
    self.network = network
    self.hidden_sizes = tuple(int(h) for h in hidden_sizes)
    self.activation = activation
    self.likelihood_kind = likelihood
    self.num_latent_samples = int(num_latent_samples)
    self.encoder = make_encoder(network, self.input_size, self.hidden_sizes, activation)
    out = self.input_size * (1 if likelihood == "bernoulli" else 2)
    self.decoder = make_decoder(network, self.input_size, out, self.hidden_sizes,
                                activation)

  # ------------------------------------------------------------ to implement
  def make_posterior(self, h):
    """Encoder features -> posterior parameters q (a distribution or logits)."""
    raise NotImplementedError

  def posterior_sample(self, q, num_samples: int, seed):
    """Reparameterised decoder inputs ``[S, B, k]`` from q."""
    raise NotImplementedError

  def kl_divergence(self, q):
    """term_1 per example: ``[B]``."""
    raise NotImplementedError

  def importance_sample(self, q, num_samples: int, seed):
    """``(decoder inputs [S, B, k], log p(latent) - log q(latent) [S, B])``."""
    raise NotImplementedError

  def prior_sample(self, num_samples, seed):
    """Decoder inputs ``[N, k]`` drawn from the prior."""
    raise NotImplementedError

  def posterior_decoder_input(self, q):
    """A deterministic decoder input from q (mean / T -> 0 limit): ``[B, k]``."""
    raise NotImplementedError

  def latent_codes(self, decoder_input):
    """Per-dimension scalar codes ``[..., d]`` of decoder inputs (for histograms)."""
    return decoder_input

  def extra_terms(self, q):
    """Additional batch-mean scalars (listed in ``loss_term_names``)."""
    del q
    return {}

  # ------------------------------------------------------------------ pieces
  def encode(self, x):
    return self.make_posterior(self.encoder(x))

  def decode(self, z):
    """p(x|z) for decoder inputs ``[..., k]``."""
    return likelihood_from_params(self.likelihood_kind, self.decoder(z))

  # ------------------------------------------------------------------- maths
  def per_example_terms(self, x, seed, num_samples=None):
    """``(reconstruction [B], kl [B], q)``; reconstruction averages L samples."""
    q = self.encode(x)
    z = self.posterior_sample(q, num_samples or self.num_latent_samples, seed)
    reconstruction = tf.reduce_mean(self.decode(z).log_prob(x), axis=0)
    return reconstruction, self.kl_divergence(q), q

  def loss_terms(self, x, training=False):
    reconstruction, kl, q = self.per_example_terms(x, self.next_seed())
    reconstruction = tf.reduce_mean(reconstruction)
    kl = tf.reduce_mean(kl)
    terms = {"loss": -reconstruction + self.kl_weight * kl,
             "elbo": reconstruction - kl, "reconstruction": reconstruction, "kl": kl}
    if self.relaxed_objective:
      terms["relaxed_elbo"] = terms["elbo"]
      # The IWAE bound with k = 1 on one fresh draw (no gradient: not trained on).
      z, log_ratio = self.importance_sample(q, 1, self.next_seed())
      terms["elbo"] = tf.stop_gradient(tf.reduce_mean(self.decode(z).log_prob(x)
                                                      + log_ratio))
    terms.update(self.extra_terms(q))
    return terms

  def log_importance_weights(self, x, num_samples, seed):
    q = self.encode(x)
    z, log_ratio = self.importance_sample(q, num_samples, seed)
    return self.decode(z).log_prob(x) + log_ratio

  def sample(self, num_samples, seed):
    seed_z, seed_x = tfp.random.split_seed(seed, 2)
    z = self.prior_sample(num_samples, seed_z)
    px = self.decode(z)
    return {"probs": likelihood_mean(self.likelihood_kind, px),
            "samples": px.sample(seed=seed_x), "z": self.latent_codes(z)}

  def reconstruct(self, x):
    """Decoder mean at the deterministic code of q(z|x)."""
    px = self.decode(self.posterior_decoder_input(self.encode(x)))
    return likelihood_mean(self.likelihood_kind, px)

  def diagnostic_callbacks(self, splits, workdir: str):
    """Callbacks for a trainer: per-dimension z histograms in TensorBoard on 1,000
    validation images, plus ``workdir/prior_density/*.png`` for grid priors."""
    import os  # pylint: disable=g-import-not-at-top
    from tfvae.models.exponential_family.latent_histograms import LatentHistograms  # pylint: disable=g-import-not-at-top
    png_dir = (os.path.join(workdir, "prior_density")
               if type(self).prior_grid_density is not MultiSampleVAE.prior_grid_density
               else None)
    return [LatentHistograms(splits.eval_array("valid")[:1000],
                             os.path.join(workdir, "tensorboard"), seed=self.seed,
                             png_dir=png_dir)]

  def prior_grid_density(self):
    """``(zeta [R], density [d, R])`` of a prior on a grid of points, drawn by the
    latent-histogram callback and ``write_prior_density_png``; None (the default) for
    priors without a grid."""
    return None

  def posterior_codes(self, x, seed):
    """One posterior draw per example as per-dimension scalar codes ``[B, d]``."""
    return self.latent_codes(self.posterior_sample(self.encode(x), 1, seed)[0])
