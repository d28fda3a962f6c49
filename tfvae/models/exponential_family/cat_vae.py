"""Cat-VAE (Jang et al. 2017), the categorical baseline of Sun & Zhang 2017 (fig. 1b).

d latent variables with C categories each. The encoder gives logits pi_j(x) ``[d, C]``;
y_j ~ Con(pi_j, T) (Gumbel-softmax, reparameterised) and the decoder reads the d*C
relaxed one-hot values. term_1 is the category KL to the uniform prior,

    sum_j sum_c q_jc log(C q_jc),   q_j = softmax(pi_j)

(eq. 4 with alpha = 0), a lower bound of the KL between the Concrete vectors (theorem 1).
``log_importance_weights`` bounds log p(x) of the discrete model (one-hot y, uniform
categorical prior; ``iwae_latent="discrete"``, default) or of the relaxed model with the
Concrete densities (prior Con(0, T); ``"concrete"``, valid but loose).
``temperature`` is a non-trainable variable annealed by a schedule callback.
"""
import keras
import tensorflow as tf

from tfvae.distributions.coarse_grained import (
    category_kl, exp_concrete, one_hot_log_prob, sample_concrete, sample_log_concrete,
    sample_one_hot)
from tfvae.models.exponential_family.multisample_vae import IWAE_LATENTS, MultiSampleVAE
from tfvae.registry import MODELS


@MODELS.register("cat_vae")
class CatVAE(MultiSampleVAE):
  """VAE with d relaxed categorical latents of C categories."""

  relaxed_objective = True
  loss_term_names = ("loss", "elbo", "relaxed_elbo", "reconstruction", "kl", "temperature",
                     "posterior_entropy")

  def __init__(self, input_size: int, latent_dim: int = 20, num_categories: int = 10,
               temperature: float = 1.0, iwae_latent: str = "discrete", **kwargs):
    super().__init__(input_size=input_size, latent_dim=latent_dim, **kwargs)
    if iwae_latent not in IWAE_LATENTS:
      raise ValueError(f"iwae_latent must be one of {IWAE_LATENTS}, got {iwae_latent!r}")
    self.iwae_latent = iwae_latent
    # Categories of each latent dimension (not a single categorical latent c:
    # ``num_categories`` of the model contract stays None).
    if num_categories < 2:
      raise ValueError(f"num_categories must be >= 2, got {num_categories}")
    self.categories_per_dim = int(num_categories)
    self.head = keras.layers.Dense(self.latent_dim * self.categories_per_dim,
                                   kernel_initializer="glorot_uniform", name="logits")
    self.temperature = self.add_weight(
        shape=(), dtype="float32", trainable=False, name="temperature",
        initializer=keras.initializers.Constant(float(temperature)))

  # ------------------------------------------------------------------ latent
  @property
  def prior_logits(self):
    return tf.zeros([self.latent_dim, self.categories_per_dim])

  def _flat(self, y):
    """``[..., d, C]`` -> decoder input ``[..., d * C]``."""
    return tf.reshape(y, tf.concat(
        [tf.shape(y)[:-2], [self.latent_dim * self.categories_per_dim]], 0))

  def make_posterior(self, h):
    logits = tf.cast(self.head(h), tf.float32)
    return tf.reshape(logits, tf.concat(
        [tf.shape(logits)[:-1], [self.latent_dim, self.categories_per_dim]], 0))

  def posterior_sample(self, q, num_samples, seed):
    return self._flat(sample_concrete(q, self.temperature, [num_samples], seed))

  def kl_divergence(self, q):
    return tf.reduce_sum(category_kl(q, tf.zeros_like(q)), axis=-1)

  def importance_sample(self, q, num_samples, seed):
    if self.iwae_latent == "discrete":
      one_hot = sample_one_hot(q, [num_samples], seed)  # [S, B, d, C]
      log_ratio = tf.reduce_sum(one_hot_log_prob(one_hot, tf.zeros_like(q))
                                - one_hot_log_prob(one_hot, q), axis=-1)
      return self._flat(one_hot), log_ratio
    posterior = exp_concrete(q, self.temperature)
    log_y = sample_log_concrete(q, self.temperature, [num_samples], seed)  # [S, B, d, C]
    prior = exp_concrete(self.prior_logits, self.temperature)
    log_ratio = tf.reduce_sum(prior.log_prob(log_y) - posterior.log_prob(log_y), axis=-1)
    return self._flat(tf.exp(log_y)), log_ratio

  def prior_sample(self, num_samples, seed):
    y = sample_concrete(self.prior_logits, self.temperature, [num_samples], seed)
    return self._flat(y)

  def posterior_decoder_input(self, q):
    return self._flat(tf.nn.softmax(q, axis=-1))

  def latent_codes(self, decoder_input):
    """Soft category index sum_c c * y_jc per dimension: ``[..., d]`` in [0, C - 1]."""
    y = tf.reshape(decoder_input, tf.concat(
        [tf.shape(decoder_input)[:-1], [self.latent_dim, self.categories_per_dim]], 0))
    return tf.reduce_sum(y * tf.range(self.categories_per_dim, dtype=y.dtype), axis=-1)

  def extra_terms(self, q):
    log_p = tf.nn.log_softmax(q, axis=-1)
    entropy = -tf.reduce_sum(tf.exp(log_p) * log_p, axis=-1)
    return {"temperature": tf.identity(self.temperature),
            "posterior_entropy": tf.reduce_mean(entropy)}
