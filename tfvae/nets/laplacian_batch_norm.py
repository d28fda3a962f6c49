"""Constrained Laplacian batch normalisation (DVAE paper, appendix H.2).

Normalises by the mean absolute deviation (the L1 analogue of the standard deviation):

    y = x - mean(x),    x_bn = y / (mean|y| + eps) * s + o,

per feature, over every axis but the last. With ``scale_bounds=(lo, hi)`` the learned
scale is kept in [lo, hi] and the offset in [-s, s] (s = lo + (hi - lo) sigmoid(u),
o = s tanh(v)); the paper uses (2, 3) on the logits of the posterior over the RBM units
so that every unit is both on and off within a minibatch. Unbounded: s = 1 + u, o = v.
Moving averages of the mean and of mean|y| replace the batch statistics at inference.

Under ``tf.distribute`` the training statistics are those of the global batch (replica
means all-reduced, as Keras' ``BatchNormalization(synchronized=True)``; exact for equal
per-replica batches), so every replica normalises alike and the moving averages (MEAN
aggregation) stay identical across replicas.
"""
from typing import Optional, Sequence

import keras
import tensorflow as tf

from tfvae import replicas


class LaplacianBatchNorm(keras.layers.Layer):
  """L1 batch norm with optional scale bounds; float32 statistics."""

  def __init__(self, scale_bounds: Optional[Sequence[float]] = None, momentum: float = 0.99,
               epsilon: float = 1e-3, **kwargs):
    kwargs.setdefault("dtype", "float32")  # float32 statistics under mixed precision
    super().__init__(**kwargs)
    if scale_bounds is not None:
      lo, hi = (float(b) for b in scale_bounds)
      if not 0 < lo < hi:
        raise ValueError(f"scale_bounds must satisfy 0 < lo < hi, got {scale_bounds}")
      scale_bounds = (lo, hi)
    self.scale_bounds = scale_bounds
    self.momentum = float(momentum)
    self.epsilon = float(epsilon)

  def build(self, input_shape):
    d = int(input_shape[-1])
    kw = dict(shape=(d,), dtype="float32")
    self.raw_scale = self.add_weight(initializer="zeros", name="raw_scale", **kw)
    self.raw_offset = self.add_weight(initializer="zeros", name="raw_offset", **kw)
    self.moving_mean = self.add_weight(initializer="zeros", trainable=False,
                                       aggregation="mean", name="moving_mean", **kw)
    self.moving_mad = self.add_weight(initializer="ones", trainable=False,
                                      aggregation="mean", name="moving_mad", **kw)

  def scale_and_offset(self):
    if self.scale_bounds is None:
      return 1.0 + self.raw_scale, self.raw_offset
    lo, hi = self.scale_bounds
    scale = lo + (hi - lo) * tf.sigmoid(self.raw_scale)
    return scale, scale * tf.tanh(self.raw_offset)

  def call(self, x, training=False):
    x = tf.cast(x, tf.float32)
    if training:
      axes = list(range(len(x.shape) - 1))
      mean = replicas.replica_mean(tf.reduce_mean(x, axis=axes))
      mad = replicas.replica_mean(tf.reduce_mean(tf.abs(x - mean), axis=axes))
      m = self.momentum
      self.moving_mean.assign(m * self.moving_mean + (1.0 - m) * tf.stop_gradient(mean))
      self.moving_mad.assign(m * self.moving_mad + (1.0 - m) * tf.stop_gradient(mad))
    else:
      mean, mad = self.moving_mean, self.moving_mad
    scale, offset = self.scale_and_offset()
    return (x - mean) / (mad + self.epsilon) * scale + offset

  def get_config(self):
    config = super().get_config()
    config.update(scale_bounds=self.scale_bounds, momentum=self.momentum,
                  epsilon=self.epsilon)
    return config
