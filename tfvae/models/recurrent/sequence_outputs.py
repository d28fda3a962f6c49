"""Per-step output distributions p(x_t | ...) of sequence models (VRNN report section 4.1).

A head is a Keras layer: ``call(features)`` returns float32 parameters (a Dense output cast
to float32, so mixed precision never reaches a distribution); the other methods read the
parameters. Kinds:

* ``gaussian``      diagonal Gaussian N(mu, diag sigma^2) over the whole step (real data);
* ``gmm``           mixture of K diagonal Gaussians
                    p(x) = sum_k pi_k N(x | mu_k, diag sigma_k^2)  (Chung et al. 2015);
* ``bernoulli``     independent Bernoulli pixels (binarized rows);
* ``pen_gaussian``, ``pen_gmm``  stroke-3 steps ``[dx, dy, pen]``: (dx, dy) Gaussian or GMM
                    times a *separate* Bernoulli pen-lift,
                    log p(x) = log p(dx, dy) + log Bern(pen | sigmoid(l)). Section 4.1: putting the
                    binary bit inside the Gaussian lets its variance collapse to 0.

``log_prob_parts`` returns the named pieces (``xy`` and ``pen`` for pen data) so their sum
is the log-likelihood and each piece can be monitored. The mixture log-density is computed
with a log-sum-exp (tested against ``tfd.MixtureSameFamily``); sampling draws the component
by Gumbel-max and then the Gaussian, all from stateless seeds.
"""

import keras
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae import random_ops
from tfvae.distributions.gaussian import HALF_LOG_2PI as _HALF_LOG_2PI

tfd = tfp.distributions

OUTPUTS = ("gaussian", "gmm", "bernoulli", "pen_gaussian", "pen_gmm")
#: which families fit which kind of sequence data (``SequenceSplits.model_kind``).
OUTPUTS_FOR_KIND = {"real": ("gaussian", "gmm"), "binary": ("bernoulli",),
                    "pen": ("pen_gaussian", "pen_gmm")}
DEFAULT_OUTPUT = {"real": "gaussian", "binary": "bernoulli", "pen": "pen_gaussian"}


class SequenceOutput(keras.layers.Layer):
  """Dense head -> parameters of p(x_t) over an event of ``event_size`` values."""

  def __init__(self, kind: str, event_size: int, num_components: int = 1,
               min_scale: float = 1e-3, **kwargs):
    super().__init__(**kwargs)
    if kind not in OUTPUTS:
      raise ValueError(f"output must be one of {OUTPUTS}, got {kind!r}")
    self.kind = kind
    self.event_size = int(event_size)
    self.pen = kind.startswith("pen_")
    if self.pen and self.event_size != 3:
      raise ValueError(f"{kind!r} needs stroke-3 steps [dx, dy, pen]; event_size is "
                       f"{self.event_size}")
    self.mixture = kind.endswith("gmm")
    self.num_components = int(num_components) if self.mixture else 1
    if self.num_components < 1:
      raise ValueError(f"num_components must be >= 1, got {num_components}")
    self.min_scale = float(min_scale)
    self.real_size = self.event_size - 1 if self.pen else self.event_size
    k, d = self.num_components, self.real_size
    if kind == "bernoulli":
      self.params_size = d
    elif self.mixture:
      self.params_size = k + 2 * k * d
    else:
      self.params_size = 2 * d
    if self.pen:
      self.params_size += 1
    self.dense = keras.layers.Dense(self.params_size, name="params")

  def build(self, input_shape):
    self.dense.build(input_shape)
    super().build(input_shape)

  def call(self, features):
    return tf.cast(self.dense(features), tf.float32)

  # ------------------------------------------------------------- unpacking
  def _split(self, params):
    """Dict of named parameter tensors (leading axes are batch axes)."""
    out = {}
    if self.pen:
      params, out["pen_logit"] = params[..., :-1], params[..., -1]
    if self.kind == "bernoulli":
      out["logits"] = params
      return out
    k, d = self.num_components, self.real_size
    if self.mixture:
      lead = tf.shape(params)[:-1]
      out["mix_logits"] = params[..., :k]
      loc, raw = tf.split(params[..., k:], 2, axis=-1)
      out["loc"] = tf.reshape(loc, tf.concat([lead, [k, d]], 0))
      out["scale"] = tf.nn.softplus(tf.reshape(raw, tf.concat([lead, [k, d]], 0))) + self.min_scale
    else:
      loc, raw = tf.split(params, 2, axis=-1)
      out["loc"], out["scale"] = loc, tf.nn.softplus(raw) + self.min_scale
    return out

  @staticmethod
  def _normal_log_prob(x, loc, scale):
    z = (x - loc) / scale
    return -0.5 * tf.square(z) - tf.math.log(scale) - _HALF_LOG_2PI

  # ------------------------------------------------------------- densities
  def log_prob_parts(self, params, x):
    """``{'x': ...}`` or ``{'xy': ..., 'pen': ...}``: log-densities over the leading axes."""
    p = self._split(params)
    x = tf.cast(x, tf.float32)
    real = x[..., :-1] if self.pen else x
    if self.kind == "bernoulli":
      main = -tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(real, p["logits"]), -1)
    elif self.mixture:
      comp = tf.reduce_sum(self._normal_log_prob(real[..., None, :], p["loc"], p["scale"]), -1)
      main = tf.reduce_logsumexp(tf.nn.log_softmax(p["mix_logits"]) + comp, -1)
    else:
      main = tf.reduce_sum(self._normal_log_prob(real, p["loc"], p["scale"]), -1)
    if not self.pen:
      return {"x": main}
    pen = -tf.nn.sigmoid_cross_entropy_with_logits(x[..., -1], p["pen_logit"])
    return {"xy": main, "pen": pen}

  def log_prob(self, params, x):
    return tf.add_n(list(self.log_prob_parts(params, x).values()))

  def distribution(self, params):
    """The same density as a TFP distribution (for users and tests)."""
    p = self._split(params)
    if self.kind == "bernoulli":
      main = tfd.Independent(tfd.Bernoulli(logits=p["logits"], dtype=tf.float32), 1)
    elif self.mixture:
      main = tfd.MixtureSameFamily(
          tfd.Categorical(logits=p["mix_logits"]),
          tfd.Independent(tfd.Normal(p["loc"], p["scale"]), 1))
    else:
      main = tfd.Independent(tfd.Normal(p["loc"], p["scale"]), 1)
    if not self.pen:
      return main
    pen = tfd.Independent(tfd.Bernoulli(logits=p["pen_logit"][..., None], dtype=tf.float32), 1)
    return tfd.Blockwise([main, pen])

  # -------------------------------------------------------------- sampling
  def sample(self, params, seed, temperature=1.0):
    """One draw per leading index, from a stateless ``int32[2]`` seed.

    ``temperature`` tau (> 0) sharpens (< 1) or flattens (> 1) the draw as sketch-rnn
    does (Ha & Eck 2017): mixture and Bernoulli logits are divided by tau and Gaussian
    standard deviations multiplied by sqrt(tau); tau = 1 is the model's own distribution
    (the same draws as without the argument), tau -> 0 its most likely component, mean
    and pen bit."""
    p = self._split(params)
    tau = tf.convert_to_tensor(temperature, tf.float32)
    seed_c, seed_x, seed_p = tfp.random.split_seed(seed, 3)
    if self.kind == "bernoulli":
      u = random_ops.stateless_uniform(tf.shape(p["logits"]), seed=seed_x)
      main = tf.cast(u < tf.sigmoid(p["logits"] / tau), tf.float32)
    else:
      loc, scale = p["loc"], p["scale"]
      if self.mixture:
        loc, scale = self._pick_component(dict(p, mix_logits=p["mix_logits"] / tau), seed_c)
      noise = random_ops.stateless_normal(tf.shape(loc), seed=seed_x)
      main = loc + scale * tf.sqrt(tau) * noise
    if not self.pen:
      return main
    u = random_ops.stateless_uniform(tf.shape(p["pen_logit"]), seed=seed_p)
    pen = tf.cast(u < tf.sigmoid(p["pen_logit"] / tau), tf.float32)
    return tf.concat([main, pen[..., None]], -1)

  def _pick_component(self, p, seed):
    """Gumbel-max draw of the component; its ``(loc, scale)`` ``[..., d]``."""
    u = random_ops.stateless_uniform(tf.shape(p["mix_logits"]), seed=seed,
                                    minval=1e-20, maxval=1.0)
    k = tf.argmax(p["mix_logits"] - tf.math.log(-tf.math.log(u)), axis=-1)
    one_hot = tf.one_hot(k, self.num_components)[..., None]
    return (tf.reduce_sum(one_hot * p["loc"], -2), tf.reduce_sum(one_hot * p["scale"], -2))

  def mean(self, params):
    """E[x_t]: pixel/pen probabilities and (mixture) means."""
    p = self._split(params)
    if self.kind == "bernoulli":
      main = tf.sigmoid(p["logits"])
    elif self.mixture:
      main = tf.reduce_sum(tf.nn.softmax(p["mix_logits"])[..., None] * p["loc"], -2)
    else:
      main = p["loc"]
    if not self.pen:
      return main
    return tf.concat([main, tf.sigmoid(p["pen_logit"])[..., None]], -1)

  # ------------------------------------------------------------ monitoring
  def pen_lift_indicators(self, params, x):
    """Per position: the data lifts the pen (``true``), the model predicts a lift
    (P(lift) > 1/2, ``predicted``) and both (``hit``); 0/1 floats ``[..., T]``."""
    predicted = tf.cast(self._split(params)["pen_logit"] > 0.0, tf.float32)
    true = tf.cast(x[..., -1] > 0.5, tf.float32)
    return {"true": true, "predicted": predicted, "hit": true * predicted}

  def summaries(self, params, x):
    """Per-position monitoring values: mean output scale, pen-lift correctness."""
    p = self._split(params)
    out = {}
    if "scale" in p:
      scale = p["scale"]
      if self.mixture:
        scale = tf.reduce_sum(tf.nn.softmax(p["mix_logits"])[..., None] * scale, -2)
      out["output_scale"] = tf.reduce_mean(scale, -1)
    if self.pen:
      predicted = tf.cast(p["pen_logit"] > 0.0, tf.float32)
      out["pen_accuracy"] = tf.cast(tf.equal(predicted, tf.cast(x[..., -1], tf.float32)),
                                    tf.float32)
    return out
