"""Convolutional encoder/decoder for 32x32 grayscale images (Sun & Zhang 2017, appendix E).

Encoder ("iconv"), 'valid' convolutions with ReLU:
  1x32x32 -> conv 32 5x5 -> 32x28x28 -> pool 2 -> 32x14x14 -> conv 64 5x5 -> 64x10x10
  -> pool 2 -> 64x5x5 -> conv 128 5x5 -> 128x1x1 -> flatten 128.
Decoder ("oconv"): dense 128 ReLU -> 1x1x128 -> transposed convs 5x5 with strides 4, 2, 2, 2
  (64, 32, 16 channels with ReLU; ``channels`` linear outputs) -> channels x 32 x 32.

Both accept flat inputs with any number of leading batch axes (e.g. ``[L, B, D]``) and
keep them; the decoder returns ``[..., channels * 1024]`` ordered channel-major (all
pixels of channel 0, then of channel 1, ...), so a two-channel output splits into
``loc, raw_scale`` like a flat Dense head. Kernels use Glorot (Xavier) initialisation.
"""
import keras
import tensorflow as tf

from tfvae.nets.maxout import elementwise_activation

SIDE = 32


def _flatten_leading(x, trailing_rank):
  """Merges the leading axes of ``x`` into one; returns the tensor and their shape."""
  shape = tf.shape(x)
  lead = shape[: tf.rank(x) - trailing_rank]
  flat = tf.reshape(x, tf.concat([[-1], shape[tf.rank(x) - trailing_rank:]], 0))
  return flat, lead


class Conv32Encoder(keras.layers.Layer):
  """Flat ``[..., 1024]`` images -> ``[..., 128]`` features (appendix E encoder)."""

  def __init__(self, activation: str = "relu", **kwargs):
    super().__init__(**kwargs)
    self.activation = activation = elementwise_activation(activation, "Conv32Encoder")
    conv = lambda f, n: keras.layers.Conv2D(f, 5, padding="valid", activation=activation,
                                            kernel_initializer="glorot_uniform", name=n)
    self.conv1 = conv(32, "conv1")
    self.pool1 = keras.layers.MaxPooling2D(2, 2, name="pool1")
    self.conv2 = conv(64, "conv2")
    self.pool2 = keras.layers.MaxPooling2D(2, 2, name="pool2")
    self.conv3 = conv(128, "conv3")

  def call(self, x):
    x, lead = _flatten_leading(x, 1)
    h = tf.reshape(x, [-1, SIDE, SIDE, 1])
    h = self.conv3(self.pool2(self.conv2(self.pool1(self.conv1(h)))))
    h = tf.reshape(h, [-1, 128])
    return tf.reshape(h, tf.concat([lead, [128]], 0))


class Conv32Decoder(keras.layers.Layer):
  """Latent ``[..., d]`` -> ``[..., channels * 1024]`` linear outputs (appendix E decoder)."""

  def __init__(self, channels: int = 1, activation: str = "relu", **kwargs):
    super().__init__(**kwargs)
    self.channels = int(channels)
    activation = elementwise_activation(activation, "Conv32Decoder")
    self.dense = keras.layers.Dense(128, activation=activation,
                                    kernel_initializer="glorot_uniform", name="dense")
    deconv = lambda f, s, act, n: keras.layers.Conv2DTranspose(
        f, 5, strides=s, padding="same", activation=act,
        kernel_initializer="glorot_uniform", name=n)
    self.deconvs = [deconv(64, 4, activation, "deconv1"),   # 1 -> 4
                    deconv(32, 2, activation, "deconv2"),   # 4 -> 8
                    deconv(16, 2, activation, "deconv3"),   # 8 -> 16
                    deconv(self.channels, 2, None, "deconv4")]  # 16 -> 32

  def call(self, z):
    z, lead = _flatten_leading(z, 1)
    h = tf.reshape(self.dense(z), [-1, 1, 1, 128])
    for layer in self.deconvs:
      h = layer(h)
    h = tf.transpose(h, [0, 3, 1, 2])  # channel-major flattening
    out_size = self.channels * SIDE * SIDE
    return tf.reshape(h, tf.concat([lead, [out_size]], 0))
