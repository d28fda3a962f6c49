"""VAE with an LSTM encoder and an autoregressive LSTM decoder (flows paper, section 4.1).

A sequence x = (x_1 .. x_T), x_t = [one_hot(type_t) || feature_t] with a mask m_t of
real (unpadded) steps, is encoded by an LSTM; its last real output h_T feeds the posterior
head q(z|x) (any family of ``posteriors.make_posterior``). The decoder MLP (ReLU) maps z to
three vectors: the start input x_0 and the LSTM's initial hidden and cell states h, c.

Training (algorithm 1, teacher forcing): y = x_0 || x_{1:T-1}, o = LSTM(y; h, c), and an
element-wise linear layer gives, per step, type logits and the feature parameters:

    log p(x|z) = sum_t m_t [ log Cat(type_t | softmax(logits_t))
                             + log N(feature_t | mu_t, s_t^2) ]

with mu_t = sigmoid(a_t) (features in [0, 1]), relu(a_t), or a_t with a learned s_t
(``feature_likelihood`` = sigmoid | relu | gaussian); sigmoid and relu use the fixed scale
``feature_stddev`` (i.e. a squared error). ELBO = E_q[log p(x|z)] - KL(q || N(0, I))
(eq. 5; analytic KL where the family has one, else log q(z|x) - log p(z), eq. 12).

Optional "word dropout" (Bowman et al. 2016, ``decoder_input_dropout``) zeroes teacher-forced
inputs at random during training so the decoder must read z; the training-time ``elbo`` is
then that of the noised decoder, the validation/test ``elbo`` the true bound.

Generation (algorithm 2): from x_0, h, c the LSTM cell runs T steps in one ``tf.while_loop``
(a Python loop unrolled in the graph with ``unroll=True``, faster on CPU for short T);
the next input is [one_hot(argmax logits_t) || mu_t] (argmax feedback on the categorical
part, the feature fed back by its mean).
"""
from typing import Optional, Sequence

import keras
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae import random_ops
from tfvae.models.base import LatentVariableModel
from tfvae.models.vae.posteriors import make_posterior
from tfvae.nets.mlp import mlp
from tfvae.registry import MODELS

tfd = tfp.distributions

FEATURE_LIKELIHOODS = ("sigmoid", "relu", "gaussian")


def sequence_mask(x, num_types: int):
  """``[..., T]`` float32: 1 on real steps (a one-hot type present), 0 on padding."""
  return tf.cast(tf.reduce_any(tf.not_equal(x[..., :num_types], 0.0), axis=-1), tf.float32)


@MODELS.register("sequence_vae")
class SequenceVAE(LatentVariableModel):
  """Sequence VAE over ``[batch, max_length, num_types + 1]`` (type one-hot, feature)."""

  loss_term_names = ("loss", "elbo", "reconstruction", "kl", "type_nll", "feature_nll",
                     "type_accuracy", "generation_accuracy", "posterior_scale")

  def __init__(self, num_types: int, max_length: int, type_names: Optional[Sequence[str]] = None,
               feature_log2_max: float = 13.0, latent_dim: int = 16, encoder_units: int = 128,
               encoder_hidden_sizes: Sequence[int] = (), decoder_hidden_sizes: Sequence[int] = (128,),
               decoder_units: int = 128, activation: str = "relu",
               feature_likelihood: str = "sigmoid", feature_stddev: float = 0.1,
               posterior: str = "diag", posterior_kwargs=None, unroll: bool = False,
               decoder_input_dropout: float = 0.0, seed: int = 0, **kwargs):
    super().__init__(seed=seed, **kwargs)
    if feature_likelihood not in FEATURE_LIKELIHOODS:
      raise ValueError(f"feature_likelihood must be one of {FEATURE_LIKELIHOODS}, "
                       f"got {feature_likelihood!r}")
    if feature_stddev <= 0:
      raise ValueError(f"feature_stddev must be > 0, got {feature_stddev}")
    if not 0.0 <= decoder_input_dropout < 1.0:
      raise ValueError(f"decoder_input_dropout must be in [0, 1), got {decoder_input_dropout}")
    self.num_types = int(num_types)
    self.max_length = int(max_length)
    self.step_size = self.num_types + 1
    self.type_names = tuple(type_names) if type_names else tuple(
        f"type{i}" for i in range(self.num_types))
    if len(self.type_names) != self.num_types:
      raise ValueError(f"{len(self.type_names)} type_names for {self.num_types} types")
    self.feature_log2_max = float(feature_log2_max)
    self.latent_dim = int(latent_dim)
    self.decoder_units = int(decoder_units)
    self.feature_likelihood = feature_likelihood
    self.feature_stddev = float(feature_stddev)
    self.unroll = bool(unroll)
    self.decoder_input_dropout = float(decoder_input_dropout)

    self.encoder_lstm = keras.layers.LSTM(int(encoder_units), unroll=unroll,
                                          name="encoder_lstm")
    self.encoder_mlp = mlp(encoder_hidden_sizes, activation, name="encoder_mlp")
    self.posterior = make_posterior(posterior, self.latent_dim, name="posterior",
                                    **dict(posterior_kwargs or {}))
    # z -> [x_0 || h || c] through ReLU layers and a linear output (section 4.1).
    self.decoder_mlp = mlp(decoder_hidden_sizes, activation,
                           output_size=self.step_size + 2 * self.decoder_units,
                           name="decoder_mlp")
    self.decoder_lstm = keras.layers.LSTM(self.decoder_units, return_sequences=True,
                                          unroll=unroll, name="decoder_lstm")
    feature_params = 2 if feature_likelihood == "gaussian" else 1
    self.output_head = keras.layers.Dense(self.num_types + feature_params, name="output_head")
    self._generate_fn = None

  # ------------------------------------------------------------------ pieces
  @property
  def prior(self):
    return tfd.MultivariateNormalDiag(loc=tf.zeros([self.latent_dim]))

  def mask(self, x):
    return sequence_mask(x, self.num_types)

  def encode(self, x):
    """q(z|x) over ``[batch, latent_dim]`` from the LSTM's last real step."""
    mask = tf.reduce_any(tf.not_equal(x[..., :self.num_types], 0.0), axis=-1)
    h = self.encoder_lstm(x, mask=mask)
    return self.posterior(self.encoder_mlp(h))

  def posterior_moments(self, x):
    """``(mean, stddev)`` of q(z | x) (the contract's posterior statistics)."""
    return self.posterior.moments(self.encode(x))

  def initial_state(self, z):
    """Decoder MLP: z -> (x_0, h, c)."""
    out = self.decoder_mlp(z)
    x0 = out[..., :self.step_size]
    h, c = tf.split(out[..., self.step_size:], 2, axis=-1)
    return x0, h, c

  def step_distributions(self, outputs):
    """Element-wise linear head -> (Categorical over types, Normal over the feature)."""
    params = tf.cast(self.output_head(outputs), tf.float32)
    logits = params[..., :self.num_types]
    a = params[..., self.num_types]
    if self.feature_likelihood == "sigmoid":
      loc, scale = tf.sigmoid(a), tf.fill(tf.shape(a), self.feature_stddev)
    elif self.feature_likelihood == "relu":
      loc, scale = tf.nn.relu(a), tf.fill(tf.shape(a), self.feature_stddev)
    else:
      loc, scale = a, tf.nn.softplus(params[..., self.num_types + 1]) + 1e-3
    return tfd.Categorical(logits=logits), tfd.Normal(loc, scale)

  def teacher_forced(self, x, z, dropout_seed=None):
    """Algorithm 1: step distributions of x given z with inputs x_0 || x_{1:T-1}.

    With ``dropout_seed`` and ``decoder_input_dropout`` = p > 0, each teacher-forced input
    x_{t-1} (t > 1) is zeroed with probability p ("word dropout", Bowman et al. 2016),
    which makes the decoder rely on z (against KL collapse); training only.
    """
    x0, h, c = self.initial_state(z)
    x0 = tf.cast(x0, x.dtype)
    previous = x[:, :-1, :]
    if dropout_seed is not None and self.decoder_input_dropout > 0:
      noise = random_ops.stateless_uniform(tf.shape(previous)[:2], seed=dropout_seed)
      keep = tf.cast(noise >= self.decoder_input_dropout, previous.dtype)
      previous = previous * keep[..., None]
    inputs = tf.concat([x0[:, None, :], previous], axis=1)
    outputs = self.decoder_lstm(inputs, initial_state=[h, c])
    return self.step_distributions(outputs)

  def decoder_log_prob(self, x, z, return_parts: bool = False, dropout_seed=None):
    """Masked log p(x|z) summed over steps: ``[batch]`` (and its type/feature parts)."""
    x = tf.cast(x, tf.float32)
    types_dist, feature_dist = self.teacher_forced(x, z, dropout_seed)
    mask = self.mask(x)
    types = tf.argmax(x[..., :self.num_types], axis=-1, output_type=tf.int32)
    type_lp = tf.reduce_sum(mask * types_dist.log_prob(types), axis=-1)
    feature_lp = tf.reduce_sum(mask * feature_dist.log_prob(x[..., self.num_types]), axis=-1)
    if return_parts:
      return type_lp + feature_lp, type_lp, feature_lp, types_dist
    return type_lp + feature_lp

  def _kl(self, q, z, log_q):
    if getattr(self.posterior, "analytic_kl", False):
      return tfd.kl_divergence(q, self.prior)
    return log_q - self.prior.log_prob(z)

  # -------------------------------------------------------------- generation
  def generate_loop(self, z):
    """Algorithm 2 in one loop (``tf.while_loop``; unrolled if ``unroll``): ``[B, T]``.

    Returns ``types`` (int32), ``features``, ``type_probs`` ``[B, T, num_types]`` and
    ``mask`` (1 up to and including the first ``<end>``, type 0, when the vocabulary
    names it; else all ones).
    """
    z = tf.convert_to_tensor(z)
    x0, h, c = self.initial_state(z)
    cell = self.decoder_lstm.cell
    steps = self.max_length
    arrays = (tf.TensorArray(tf.int32, size=steps), tf.TensorArray(tf.float32, size=steps),
              tf.TensorArray(tf.float32, size=steps))

    def body(t, inputs, h, c, types_ta, feat_ta, probs_ta):
      out, (h, c) = cell(inputs, [h, c])
      types_dist, feature_dist = self.step_distributions(out)
      logits = types_dist.logits
      types = tf.argmax(logits, axis=-1, output_type=tf.int32)
      feature = feature_dist.mean()
      nxt = tf.concat([tf.one_hot(types, self.num_types, dtype=tf.float32),
                       feature[:, None]], axis=-1)
      return (t + 1, tf.cast(nxt, inputs.dtype), h, c, types_ta.write(t, types),
              feat_ta.write(t, feature), probs_ta.write(t, tf.nn.softmax(logits)))

    loop = (tf.constant(0), x0, h, c) + arrays
    if self.unroll:  # a Python loop unrolled in the graph: faster on CPU for short T
      for _ in range(steps):
        loop = body(*loop)
    else:
      loop = tf.while_loop(lambda t, *_: t < steps, body, loop, maximum_iterations=steps)
    types = tf.transpose(loop[4].stack())
    features = tf.transpose(loop[5].stack())
    probs = tf.transpose(loop[6].stack(), [1, 0, 2])
    types = tf.ensure_shape(types, [None, steps])
    return {"types": types, "features": features, "type_probs": probs,
            "mask": self._generated_mask(types)}

  def _generated_mask(self, types):
    if "<end>" not in self.type_names:
      return tf.ones_like(types, tf.float32)
    is_end = tf.cast(tf.equal(types, self.type_names.index("<end>")), tf.int32)
    ends_before = tf.cumsum(is_end, axis=-1, exclusive=True)
    return tf.cast(tf.equal(ends_before, 0), tf.float32)

  def generate(self, z):
    """``generate_loop`` compiled once (a ``tf.function``) for eager callers."""
    if tf.executing_eagerly():
      if self._generate_fn is None:
        self._generate_fn = tf.function(self.generate_loop, reduce_retracing=True)
      return self._generate_fn(z)
    return self.generate_loop(z)

  def as_steps(self, generated):
    """Generated dict -> ``[B, T, num_types + 1]`` sequences (zero after ``<end>``)."""
    x = tf.concat([tf.one_hot(generated["types"], self.num_types),
                   generated["features"][..., None]], axis=-1)
    return x * generated["mask"][..., None]

  # ------------------------------------------------------------------- maths
  def loss_terms(self, x, training=False):
    x = tf.cast(x, tf.float32)
    q = self.encode(x)
    z_seed, dropout_seed = tfp.random.split_seed(self.next_seed(), 2)
    z, log_q = q.experimental_sample_and_log_prob(seed=z_seed)
    log_px, type_lp, feature_lp, types_dist = self.decoder_log_prob(
        x, z, return_parts=True, dropout_seed=dropout_seed if training else None)
    kl = tf.reduce_mean(self._kl(q, z, log_q))
    reconstruction = tf.reduce_mean(log_px)
    mask = self.mask(x)
    real = tf.maximum(tf.reduce_sum(mask), 1.0)
    targets = tf.argmax(x[..., :self.num_types], axis=-1, output_type=tf.int32)
    predicted = tf.argmax(types_dist.logits, axis=-1, output_type=tf.int32)
    forced_acc = tf.reduce_sum(mask * tf.cast(tf.equal(predicted, targets), tf.float32)) / real
    generated = self.generate_loop(tf.stop_gradient(z))
    free_acc = tf.reduce_sum(
        mask * tf.cast(tf.equal(generated["types"], targets), tf.float32)) / real
    return {"loss": -(reconstruction - self.kl_weight * kl),
            "elbo": reconstruction - kl, "reconstruction": reconstruction, "kl": kl,
            "type_nll": -tf.reduce_mean(type_lp), "feature_nll": -tf.reduce_mean(feature_lp),
            "type_accuracy": forced_acc, "generation_accuracy": free_acc,
            "posterior_scale": tf.reduce_mean(self.posterior.moments(q)[1])}

  def log_importance_weights(self, x, num_samples, seed):
    x = tf.cast(x, tf.float32)
    q = self.encode(x)
    z, log_q = q.experimental_sample_and_log_prob(num_samples, seed=seed)  # [S, B, D]
    s, b = tf.shape(z)[0], tf.shape(z)[1]
    flat_z = tf.reshape(z, [s * b, self.latent_dim])
    flat_x = tf.reshape(tf.tile(x[None], [s, 1, 1, 1]),
                        [s * b, self.max_length, self.step_size])
    log_px = tf.reshape(self.decoder_log_prob(flat_x, flat_z), [s, b])
    return log_px + self.prior.log_prob(z) - log_q

  def reconstruct(self, x, seed=None):
    """Free-running decoding (algorithm 2) of z ~ q(z|x) (``seed``) or of its mean."""
    q = self.encode(tf.cast(x, tf.float32))
    z = q.sample(seed=seed) if seed is not None else self.posterior.moments(q)[0]
    return self.generate(z)

  def sample(self, num_samples, seed):
    """z ~ N(0, I) (stateless ``seed``), decoded by algorithm 2.

    ``probs`` ``[n, T, num_types + 1]`` are the type probabilities and feature means
    (zero after ``<end>``); ``samples`` the argmax one-hot steps; also ``types``,
    ``features``, ``mask``.
    """
    z = random_ops.stateless_normal([num_samples, self.latent_dim], seed=seed)
    return self._with_steps(self.generate(z))

  def _with_steps(self, generated):
    """Adds ``probs`` and ``samples`` ``[n, T, num_types + 1]`` to a ``generate`` dict."""
    out = dict(generated)
    mask = out["mask"][..., None]
    out["probs"] = tf.concat([out["type_probs"], out["features"][..., None]], -1) * mask
    out["samples"] = self.as_steps(out)
    return out

  def serving_endpoints(self):
    """``sample(num_samples, seed)`` (serving_default) and ``reconstruct(x)`` with
    ``x: float32[None, max_length, num_types + 1]``: algorithm 2 from the posterior mean.
    Both return ``types`` int32 ``[n, T]`` and float32 ``features``, ``mask`` ``[n, T]``,
    ``type_probs`` ``[n, T, num_types]``, ``probs``, ``samples`` ``[n, T, num_types + 1]``.
    """
    endpoints = super().serving_endpoints()

    def reconstruct(x):
      return self._with_steps(self.reconstruct(x))

    endpoints["reconstruct"] = (reconstruct, [
        tf.TensorSpec([None, self.max_length, self.step_size], tf.float32, name="x")])
    return endpoints

  def describe_samples(self, samples) -> list:
    """Readable layer lists of ``sample``/``generate`` outputs (or of raw sequences)."""
    from tfvae.data.architectures import describe_layers  # pylint: disable=g-import-not-at-top
    if isinstance(samples, dict):
      types, features = np.asarray(samples["types"]), np.asarray(samples["features"])
      masks = np.ones(types.shape, bool)
    else:
      x = np.asarray(samples)
      types = np.argmax(x[..., :self.num_types], -1)
      features = x[..., self.num_types]
      masks = np.any(x[..., :self.num_types] != 0, -1)
    return [describe_layers(t[m], f[m], self.type_names, self.feature_log2_max)
            for t, f, m in zip(types, features, masks)]
