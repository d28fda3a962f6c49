"""Observation models p(x|z): a Dense head and the TFP distribution it parameterises.

Distributions are always built in float32 (network outputs are cast first), so the
likelihood is exact under a mixed-precision policy.
"""
import keras
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

LIKELIHOODS = ("bernoulli", "gaussian")


class LikelihoodHead(keras.layers.Layer):
  """Maps decoder features to p(x|z) over a flat event of ``event_size`` values.

  ``bernoulli``: logits -> independent Bernoulli (binary data).
  ``gaussian``: loc and a per-pixel softplus scale -> independent Normal (real data).
  """

  def __init__(self, kind: str, event_size: int, min_scale: float = 1e-3, **kwargs):
    super().__init__(**kwargs)
    if kind not in LIKELIHOODS:
      raise ValueError(f"likelihood must be one of {LIKELIHOODS}, got {kind!r}")
    self.kind = kind
    self.event_size = int(event_size)
    self.min_scale = float(min_scale)
    units = event_size if kind == "bernoulli" else 2 * event_size
    self.dense = keras.layers.Dense(units, name="params")

  def call(self, h):
    params = tf.cast(self.dense(h), tf.float32)
    if self.kind == "bernoulli":
      return tfd.Independent(tfd.Bernoulli(logits=params, dtype=tf.float32), 1)
    loc, raw_scale = tf.split(params, 2, axis=-1)
    scale = tf.nn.softplus(raw_scale) + self.min_scale
    return tfd.Independent(tfd.Normal(loc, scale), 1)

  def mean(self, dist):
    """Decoder mean: pixel probabilities or Gaussian means."""
    if self.kind == "bernoulli":
      return tf.sigmoid(dist.distribution.logits)
    return dist.distribution.loc
