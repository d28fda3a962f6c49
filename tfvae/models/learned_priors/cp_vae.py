"""CP-VAE: VAE with data-dependent conditional priors (Lavda, Gregorová & Kalousis 2020).

Generative model (eq. 3-5): c ~ Uniform(K), z | c ~ N(mu_c, diag sigma_c^2) with learned
(mu, sigma) ("empirical Bayes", sec. 3.1.1), x | z, c ~ Bernoulli or Gaussian d(z, c).

Inference (eq. 6, figure 2): a gated MLP gives the last hidden layer h(x); a linear head gives
pi(x) and q(c|x) = Cat(pi(x)); then a layer on [h(x), pi(x)] gives
q(z|x, c) = N(mu(x, pi), diag sigma(x, pi)^2) (the same Gaussian for every c).

Bound (eq. 7-9):  ELBO = A - (B1 + B2) with
    A  = E_{q(z,c|x)} log p(x | z, c)           (one sample; c by Gumbel-softmax in training)
    B1 = KL(q(c|x) || p(c)) = log K - H(pi(x))                                     (eq. 9)
    B2 = sum_k pi_k(x) KL(q(z|x,c_k) || p(z|c_k))   (analytic Gaussian KLs)       (eq. 8)

In training, c is the relaxed one-hot sample of ``tfd.RelaxedOneHotCategorical`` at the
model variable ``temperature`` (Jang et al. 2017; eq. 11); in evaluation (``training=False``)
c is a hard one-hot draw from q(c|x), so the reported ``elbo`` is an unbiased estimate of the
bound of the discrete model. ``kl_weight`` scales B1 + B2 during warm-up (sec. 5), or B2
only with ``warm_up_categorical_kl=False`` (with B1 also near 0, q(c|x) was seen to
saturate on a single category early on MNIST, the pathology of sec. 3.3.1). The
conditional prior means start at N(0, ``prior_init_stddev``^2): a small spread lets each x
prefer its own component instead of one component winning every x.

Generation (sec. 5): c from the aggregated posterior q(c) = mean_x q(c|x) over the training
data (eq. 14; the non-trainable variable ``aggregated_posterior``, refreshed by
``update_aggregated_posterior``) or from the uniform prior, then z ~ p(z|c), x ~ p(x|z, c).

Under ``tf.distribute`` (docs/distributed.md) the running sums of q(c|x) add up every
replica's batch shard (all-reduced, one value on every replica), so q(c) from them is the
mean over the global batches; the exact q(c) over the training split is computed outside
the replicas by the callback, identically with any number of replicas.
"""
from typing import Sequence

import keras
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.distributions.conditional_prior import (ConditionalGaussianPrior,
                                                   categorical_kl_to_uniform)
from tfvae.models.vae.posteriors import DiagonalGaussianPosterior
from tfvae.models.learned_priors.prior_vae import GatedLatentModel
from tfvae.nets.gated import gated_mlp
from tfvae.registry import MODELS
from tfvae import replicas

tfd = tfp.distributions

GENERATION_PRIORS = ("aggregated", "uniform")


def entropy_from_logits(logits):
  log_p = tf.nn.log_softmax(logits, axis=-1)
  return -tf.reduce_sum(tf.exp(log_p) * log_p, axis=-1)


@MODELS.register("cp_vae")
class CPVAE(GatedLatentModel):
  """Conditional-prior VAE with ``num_categories`` categories and ``latent_dim`` Gaussians."""

  loss_term_names = ("loss", "elbo", "reconstruction", "kl", "kl_categorical",
                     "kl_continuous", "category_entropy", "used_categories",
                     "posterior_scale", "prior_scale")

  def __init__(self, input_size: int, num_categories: int = 10, latent_dim: int = 40,
               hidden_sizes: Sequence[int] = (300, 300), likelihood: str = "bernoulli",
               temperature: float = 0.5, generation_prior: str = "aggregated",
               prior_init_stddev: float = 0.1, min_scale: float = 1e-4,
               warm_up_categorical_kl: bool = True, decoder_uses_c: bool = True,
               straight_through: bool = False, prior_init: str = "normal",
               prior_trainable: bool = True, seed: int = 0, **kwargs):
    super().__init__(seed=seed, **kwargs)
    if generation_prior not in GENERATION_PRIORS:
      raise ValueError(f"generation_prior must be one of {GENERATION_PRIORS}, "
                       f"got {generation_prior!r}")
    if int(num_categories) < 1:
      raise ValueError(f"num_categories must be >= 1, got {num_categories}")
    self.input_size = int(input_size)
    self.num_categories = int(num_categories)
    self.latent_dim = int(latent_dim)
    self.hidden_sizes = tuple(int(h) for h in hidden_sizes)
    self.generation_prior = generation_prior
    self.warm_up_categorical_kl = bool(warm_up_categorical_kl)
    #: False: p(x | z) instead of eq. 7's p(x | z, c); c then acts only through p(z | c)
    #: and q(z | x, pi) (an ablation of the clustering pressure, not the paper's model).
    self.decoder_uses_c = bool(decoder_uses_c)
    #: True: a hard one-hot c in training with the relaxed sample's gradient
    #: (straight-through Gumbel-softmax, Jang et al. 2017 sec. 2.2).
    self.straight_through = bool(straight_through)
    self.encoder = gated_mlp(self.hidden_sizes, name="encoder")
    self.category_head = keras.layers.Dense(self.num_categories, name="category_logits")
    self.posterior = DiagonalGaussianPosterior(self.latent_dim, min_scale=min_scale,
                                               name="posterior")
    #: ``prior_init="reference_uniform", prior_trainable=False``: the prior of the
    #: authors' code (random, never trained); the paper describes a learned prior.
    self.prior = ConditionalGaussianPrior(self.num_categories, self.latent_dim,
                                          init_loc_stddev=prior_init_stddev,
                                          min_scale=min_scale, seed=self.seed,
                                          init=prior_init,
                                          trainable_params=prior_trainable, name="prior")
    self._build_decoder(self.hidden_sizes, likelihood)
    #: Gumbel-softmax temperature; schedules assign to it by name.
    self.temperature = self.add_weight(
        shape=(), dtype="float32", trainable=False, name="temperature",
        initializer=keras.initializers.Constant(float(temperature)))
    #: q(c) of eq. 14, uniform until ``update_aggregated_posterior`` runs.
    self.aggregated_posterior = self.add_weight(
        shape=(self.num_categories,), dtype="float32", trainable=False,
        name="aggregated_posterior",
        initializer=keras.initializers.Constant(1.0 / self.num_categories))
    # Running sums of q(c|x) over the training batches of the current epoch (summed
    # across replicas under tf.distribute: all-reduced in the step, then one value on
    # every replica); ``AggregatedPosteriorCallback`` turns them into q(c) when no
    # dataset is given.
    self.category_prob_sum = self.add_weight(
        shape=(self.num_categories,), dtype="float32", trainable=False,
        initializer="zeros", aggregation="only_first_replica", name="category_prob_sum")
    self.category_prob_count = self.add_weight(
        shape=(), dtype="float32", trainable=False, initializer="zeros",
        aggregation="only_first_replica", name="category_prob_count")

  # ------------------------------------------------------------------ pieces
  def encode_all(self, x):
    """``(logits of q(c|x) [B, K], q(z|x, c) as a TFP distribution)`` (figure 2)."""
    h = self.encoder(x)
    logits = tf.cast(self.category_head(h), tf.float32)
    probs = tf.nn.softmax(logits, axis=-1)
    q_z = self.posterior(tf.concat([h, tf.cast(probs, h.dtype)], axis=-1))
    return logits, q_z

  def encode(self, x):
    """q(z|x, c) = N(mu(x, pi), diag sigma(x, pi)^2) (the family's ``encode`` protocol)."""
    return self.encode_all(x)[1]

  def posterior_moments(self, x):
    """``(mean, stddev)`` of q(z | x) (the contract's posterior statistics)."""
    return self.posterior.moments(self.encode(x))

  def decode(self, z, c_one_hot):
    """p(x | z, c) from the decoder d(z, c) on the concatenation [z, c]."""
    z = tf.cast(z, tf.float32)
    if not self.decoder_uses_c:
      return self.likelihood(self.decoder(z))
    c_one_hot = tf.cast(c_one_hot, tf.float32)
    if c_one_hot.shape.rank < z.shape.rank:  # broadcast c over leading sample axes
      c_one_hot = tf.broadcast_to(c_one_hot, tf.concat([tf.shape(z)[:-1],
                                                        [self.num_categories]], 0))
    return self.likelihood(self.decoder(tf.concat([z, c_one_hot], axis=-1)))

  def category_probs(self, x):
    """pi(x): q(c|x), ``[batch, K]``."""
    return tf.nn.softmax(self.encode_all(x)[0], axis=-1)

  def sample_c(self, logits, seed, training, temperature=None):
    """Relaxed one-hot c (Gumbel-softmax at the model's temperature) in training, a hard
    one-hot draw otherwise; a given ``temperature`` draws a relaxed c at it, in training
    or not (the test estimator of the authors' code: relaxed_c_estimator)."""
    if temperature is not None:
      return tfd.RelaxedOneHotCategorical(float(temperature), logits=logits).sample(
          seed=seed)
    if training:
      relaxed = tfd.RelaxedOneHotCategorical(self.temperature, logits=logits).sample(
          seed=seed)
      if not self.straight_through:
        return relaxed
      hard = tf.one_hot(tf.argmax(relaxed, axis=-1), self.num_categories,
                        dtype=relaxed.dtype)
      return relaxed + tf.stop_gradient(hard - relaxed)
    index = tf.random.stateless_categorical(logits, 1, seed=seed)[:, 0]
    return tf.one_hot(index, self.num_categories, dtype=tf.float32)

  # ------------------------------------------------------------------- maths
  def per_example_terms(self, x, seed, training=False, c_temperature=None):
    """``A, B1, B2`` per example (eq. 7-9) plus the posterior pieces; c as
    ``sample_c(..., temperature=c_temperature)``."""
    seed_z, seed_c = tfp.random.split_seed(seed, 2)
    logits, q_z = self.encode_all(x)
    z = q_z.sample(seed=seed_z)
    c = self.sample_c(logits, seed_c, training, c_temperature)
    reconstruction = self.decode(z, c).log_prob(x)
    b1 = categorical_kl_to_uniform(logits)
    b2 = self.prior.expected_kl(tf.nn.softmax(logits, axis=-1), q_z.mean(), q_z.stddev())
    return reconstruction, b1, b2, logits, q_z

  def loss_terms(self, x, training=False):
    reconstruction, b1, b2, logits, q_z = self.per_example_terms(
        x, self.next_seed(), training)
    reconstruction = tf.reduce_mean(reconstruction)
    b1, b2 = tf.reduce_mean(b1), tf.reduce_mean(b2)
    kl = b1 + b2
    probs = tf.nn.softmax(logits, axis=-1)
    if training:
      replicas.add_across_replicas(self.category_prob_sum, tf.reduce_sum(probs, axis=0))
      replicas.add_across_replicas(self.category_prob_count,
                                     tf.cast(tf.shape(probs)[0], tf.float32))
    batch_q_c = tf.reduce_mean(probs, axis=0)
    batch_entropy = -tf.reduce_sum(batch_q_c * tf.math.log(batch_q_c + 1e-12))
    _, prior_scale = self.prior.loc_and_scale()
    if self.warm_up_categorical_kl:
      penalty = self.kl_weight * kl
    else:  # warm-up on B2 only; B1 keeps q(c|x) from saturating while kl_weight ~ 0
      penalty = b1 + self.kl_weight * b2
    return {"loss": -(reconstruction - penalty),
            "elbo": reconstruction - kl, "reconstruction": reconstruction, "kl": kl,
            "kl_categorical": b1, "kl_continuous": b2,
            "category_entropy": tf.reduce_mean(entropy_from_logits(logits)),
            # perplexity of the batch's aggregated q(c): the effective number of categories
            "used_categories": tf.exp(batch_entropy),
            "posterior_scale": tf.reduce_mean(q_z.stddev()),
            "prior_scale": tf.reduce_mean(prior_scale)}

  def log_importance_weights(self, x, num_samples, seed):
    """log p(x|z,c) + log p(z|c) + log p(c) - log q(z|x) - log q(c|x), c and z from q."""
    seed_z, seed_c = tfp.random.split_seed(seed, 2)
    logits, q_z = self.encode_all(x)
    log_pi = tf.nn.log_softmax(logits, axis=-1)                                # [B, K]
    c = tf.transpose(tf.random.stateless_categorical(log_pi, num_samples, seed=seed_c,
                                                     dtype=tf.int32))         # [S, B]
    z, log_qz = q_z.experimental_sample_and_log_prob(num_samples, seed=seed_z)  # [S, B, D]
    loc, scale = self.prior.loc_and_scale()
    log_pz = tfd.MultivariateNormalDiag(tf.gather(loc, c), tf.gather(scale, c)).log_prob(z)
    log_qc = tf.transpose(tf.gather(log_pi, tf.transpose(c), batch_dims=1))    # [S, B]
    log_pc = -tf.math.log(float(self.num_categories))
    log_px = self.decode(z, tf.one_hot(c, self.num_categories)).log_prob(x)
    return log_px + log_pz + log_pc - log_qz - log_qc

  # -------------------------------------------------------------- generation
  def generation_log_weights(self):
    """log q(c) (eq. 14) or log 1/K, per ``generation_prior``."""
    if self.generation_prior == "uniform":
      return super().generation_log_weights()
    weights = tf.convert_to_tensor(self.aggregated_posterior)
    return tf.math.log(tf.maximum(weights, 1e-30))

  def sample_given_categories(self, categories, seed):
    seed_z, seed_x = tfp.random.split_seed(seed, 2)
    z = self.prior.sample(categories, seed_z)
    px = self.decode(z, tf.one_hot(categories, self.num_categories))
    return self._decode_output(px, seed_x, {"categories": categories})

  def sample(self, num_samples, seed):
    """Ancestral sampling: c ~ q(c) (or uniform), z ~ p(z|c), x ~ p(x|z, c)."""
    return self.sample_categorical(num_samples, seed)

  def posterior_mean(self, x):
    return self.encode(x).mean()

  def reconstruct(self, x):
    """Decoder mean at (E_q[z|x], argmax_c q(c|x))."""
    logits, q_z = self.encode_all(x)
    c = tf.one_hot(tf.argmax(logits, axis=-1), self.num_categories)
    return self.likelihood.mean(self.decode(q_z.mean(), c))

  # ------------------------------------------------------- aggregated posterior
  @tf.function
  def _category_sums(self, x):
    probs = self.category_probs(tf.cast(x, tf.float32))
    return tf.reduce_sum(probs, axis=0), tf.cast(tf.shape(probs)[0], tf.float32)

  def update_aggregated_posterior(self, data, batch_size: int = 1000):
    """Sets q(c) = 1/n sum_i q(c|x_i) over ``data`` (eq. 14) and returns it (numpy).

    ``data``: a ``tf.data.Dataset`` of batches (``x`` or ``(x, ...)``) or an array ``[n, D]``.
    """
    if isinstance(data, tf.data.Dataset):
      batches = data
    else:
      batches = tf.data.Dataset.from_tensor_slices(np.asarray(data, np.float32)).batch(
          batch_size)
    total = np.zeros([self.num_categories], np.float64)
    count = 0.0
    for batch in batches:
      sums, n = self._category_sums(self._inputs(batch))
      total += sums.numpy()
      count += float(n.numpy())
    if count == 0:
      raise ValueError("update_aggregated_posterior got an empty dataset")
    q_c = (total / count).astype(np.float32)
    self.aggregated_posterior.assign(q_c)
    return q_c

  def running_aggregated_posterior(self, reset: bool = True):
    """q(c) from the q(c|x) summed over this epoch's training batches (eq. 14 with the
    parameters of each step); sets ``aggregated_posterior`` and returns it, or None if
    no training batch was seen. ``reset`` zeroes the running sums."""
    count = float(self.category_prob_count.numpy())
    q_c = None
    if count > 0:
      q_c = (self.category_prob_sum.numpy() / count).astype(np.float32)
      self.aggregated_posterior.assign(q_c / q_c.sum())
    if reset:
      self.reset_running_sums()
    return q_c

  def reset_running_sums(self):
    self.category_prob_sum.assign(tf.zeros_like(self.category_prob_sum))
    self.category_prob_count.assign(0.0)

  def training_callbacks(self, splits=None, batch_size: int = 1000):
    """Callbacks the trainer runs *before* checkpointing: q(c) after every epoch, exactly
    over the training split (eq. 14) if ``splits`` is given, else from the running sums."""
    data = splits.eval_dataset("train", batch_size) if splits is not None else None
    return [AggregatedPosteriorCallback(data)]


class AggregatedPosteriorCallback(keras.callbacks.Callback):
  """Keeps the CP-VAE's aggregated posterior q(c) (eq. 14) up to date.

  With ``data``: recomputed exactly over ``data`` at the end of training, and after every
  epoch if ``every_epoch``. Without: after every epoch, the average of q(c|x) over that
  epoch's training batches (accumulated in the train step, so no extra pass over the
  data; exact in the limit of a converged encoder). Place it before the checkpoint
  callback so the saved model carries q(c).
  """

  def __init__(self, data=None, every_epoch: bool = True):
    super().__init__()
    self.data = data
    self.every_epoch = every_epoch

  def on_epoch_begin(self, epoch, logs=None):
    self.model.reset_running_sums()

  def on_epoch_end(self, epoch, logs=None):
    if self.data is None:
      self.model.running_aggregated_posterior(reset=True)
    elif self.every_epoch:
      self.model.update_aggregated_posterior(self.data)

  def on_train_end(self, logs=None):
    if self.data is not None:
      self.model.update_aggregated_posterior(self.data)
