"""CG-BPEF-VAE: coarse-grained bounded polynomial exponential family VAE (Sun & Zhang 2017).

Generative model (sec. 3.3), for each latent dimension j = 1..d:

    alpha_jr = sum_{m=1..M} a_jm zeta_r^m    (learned prior coefficients A, d x M)
    y_j ~ Con(alpha_j, T),  z_j = y_j^T zeta in [-1, 1],  x ~ p(x | f(z))

Inference: b_jm(x) from the encoder, beta_jr = sum_m b_jm(x) zeta_r^m,
y_j ~ Con(beta_j, T) (reparameterised), z_j = y_j^T zeta. term_2 averages L samples;
term_1 is the category KL of eq. 4, sum_j KL(softmax beta_j || softmax alpha_j).

The paper's objective, logged as ``relaxed_elbo``, uses eq. 4 for term_1 (an
approximation: by theorem 1 it lower-bounds the KL between the Concrete vectors y, and
empirically upper-bounds the KL in z for small T, fig. 3), so it bounds no model's
log p(x). ``elbo`` is the one-sample bound of the model that ``log_importance_weights``
evaluates, a true bound on log p(x) of one of two generative models (``iwae_latent``):

* ``discrete`` (default): the coarse-grained model itself, the T -> 0 limit, with
  r_j ~ Cat(softmax alpha_j), z_j = zeta_{r_j}, proposal Cat(softmax beta_j(x)); its
  KL is exactly eq. 4, so the 1-sample bound is the paper's bound with hard samples;
* ``concrete``: the relaxed model at temperature T, with the Concrete densities of y.
  Valid but very loose for R ~ 100: y -> z is many-to-one, and the KL between
  (R-1)-dimensional Concrete densities is far larger than the KL in z (measured: ~5,600
  nats against ~130 for the discrete bound after one epoch on MNIST).

``temperature`` is a non-trainable variable (annealed by a schedule callback: exponential
decay from T_max to T_min over the first half of training, then constant). A starts at 0
(uniform prior on the grid); the networks use Glorot (Xavier) initialisation.
"""
import keras
import tensorflow as tf

from tfvae.distributions.coarse_grained import (
    CoarseGrainedGrid, category_kl, exp_concrete, one_hot_log_prob, sample_concrete,
    sample_log_concrete, sample_one_hot)
from tfvae.models.exponential_family.multisample_vae import IWAE_LATENTS, MultiSampleVAE
from tfvae.registry import MODELS


@MODELS.register("cg_bpef_vae")
class CGBPEFVAE(MultiSampleVAE):
  """VAE with d coarse-grained BPEF latents on [-1, 1] (R grid points, order M)."""

  relaxed_objective = True
  loss_term_names = ("loss", "elbo", "relaxed_elbo", "reconstruction", "kl", "temperature",
                     "posterior_entropy", "prior_entropy")

  def __init__(self, input_size: int, latent_dim: int = 20, order: int = 5,
               grid_points: int = 101, temperature: float = 1.0, learn_prior: bool = True,
               iwae_latent: str = "discrete", **kwargs):
    super().__init__(input_size=input_size, latent_dim=latent_dim, **kwargs)
    if iwae_latent not in IWAE_LATENTS:
      raise ValueError(f"iwae_latent must be one of {IWAE_LATENTS}, got {iwae_latent!r}")
    self.iwae_latent = iwae_latent
    self.grid = CoarseGrainedGrid(grid_points, order)
    self.order = int(order)
    self.grid_points = int(grid_points)
    self.learn_prior = bool(learn_prior)
    self.head = keras.layers.Dense(self.latent_dim * self.order,
                                   kernel_initializer="glorot_uniform",
                                   name="polynomial_coefficients")
    #: prior coefficients A (d x M); zeros = uniform over the grid.
    self.prior_coefficients = self.add_weight(
        shape=(self.latent_dim, self.order), initializer="zeros",
        trainable=self.learn_prior, name="prior_coefficients")
    self.temperature = self.add_weight(
        shape=(), dtype="float32", trainable=False, name="temperature",
        initializer=keras.initializers.Constant(float(temperature)))

  # ------------------------------------------------------------------ latent
  @property
  def prior_logits(self):
    """alpha: ``[d, R]``."""
    return self.grid.logits(tf.cast(self.prior_coefficients, tf.float32))

  def make_posterior(self, h):
    """beta(x): ``[B, d, R]`` polynomial logits over the grid."""
    b = tf.cast(self.head(h), tf.float32)
    b = tf.reshape(b, tf.concat([tf.shape(b)[:-1], [self.latent_dim, self.order]], 0))
    return self.grid.logits(b)

  def posterior_sample(self, q, num_samples, seed):
    y = sample_concrete(q, self.temperature, [num_samples], seed)
    return self.grid.reduce(y)

  def kl_divergence(self, q):
    return tf.reduce_sum(category_kl(q, self.prior_logits), axis=-1)

  def importance_sample(self, q, num_samples, seed):
    if self.iwae_latent == "discrete":
      one_hot = sample_one_hot(q, [num_samples], seed)  # [S, B, d, R]
      log_ratio = tf.reduce_sum(one_hot_log_prob(one_hot, self.prior_logits)
                                - one_hot_log_prob(one_hot, q), axis=-1)
      return self.grid.reduce(one_hot), log_ratio
    posterior = exp_concrete(q, self.temperature)
    log_y = sample_log_concrete(q, self.temperature, [num_samples], seed)  # [S, B, d, R]
    prior = exp_concrete(self.prior_logits, self.temperature)
    log_ratio = tf.reduce_sum(prior.log_prob(log_y) - posterior.log_prob(log_y), axis=-1)
    return self.grid.reduce(tf.exp(log_y)), log_ratio

  def prior_sample(self, num_samples, seed):
    y = sample_concrete(self.prior_logits, self.temperature, [num_samples], seed)
    return self.grid.reduce(y)

  def posterior_decoder_input(self, q):
    """E[z] in the T -> 0 limit: softmax(beta)^T zeta."""
    return self.grid.reduce(self.grid.pmf(q))

  def extra_terms(self, q):
    def entropy(logits):
      log_p = tf.nn.log_softmax(logits, axis=-1)
      return -tf.reduce_sum(tf.exp(log_p) * log_p, axis=-1)
    return {"temperature": tf.identity(self.temperature),
            "posterior_entropy": tf.reduce_mean(entropy(q)),
            "prior_entropy": tf.reduce_mean(entropy(self.prior_logits))}

  # ------------------------------------------------------------- diagnostics
  def prior_grid_density(self):
    """``(zeta [R], density [d, R])`` of the learned prior in the T -> 0 limit."""
    return self.grid.zeta, self.grid.density(self.prior_logits)
