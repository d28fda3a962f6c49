"""Shapes of the appendix-E convolutional nets (Sun & Zhang 2017)."""
import numpy as np
import pytest
import tensorflow as tf

from tfvae.nets.conv32 import Conv32Decoder, Conv32Encoder
from tfvae.nets.factory import make_decoder, make_encoder


def test_encoder_layer_shapes_follow_appendix_e():
  encoder = Conv32Encoder()
  x = tf.random.stateless_uniform([3, 1024], seed=[1, 2])
  assert encoder(x).shape == (3, 128)
  h = tf.reshape(x, [3, 32, 32, 1])
  shapes = []
  for layer in (encoder.conv1, encoder.pool1, encoder.conv2, encoder.pool2, encoder.conv3):
    h = layer(h)
    shapes.append(tuple(h.shape[1:]))
  assert shapes == [(28, 28, 32), (14, 14, 32), (10, 10, 64), (5, 5, 64), (1, 1, 128)]
  assert all(layer.kernel_size == (5, 5) for layer in
             (encoder.conv1, encoder.conv2, encoder.conv3))


def test_decoder_layer_shapes_follow_appendix_e():
  decoder = Conv32Decoder(channels=1)
  z = tf.random.stateless_normal([2, 7], seed=[3, 4])
  assert decoder(z).shape == (2, 1024)
  h = tf.reshape(decoder.dense(z), [2, 1, 1, 128])
  shapes = []
  for layer in decoder.deconvs:
    h = layer(h)
    shapes.append(tuple(h.shape[1:]))
  assert shapes == [(4, 4, 64), (8, 8, 32), (16, 16, 16), (32, 32, 1)]
  assert decoder.deconvs[-1].activation.__name__ == "linear"


def test_leading_axes_are_kept_and_channels_are_channel_major():
  encoder, decoder = Conv32Encoder(), Conv32Decoder(channels=2)
  x = tf.random.stateless_uniform([4, 3, 1024], seed=[5, 6])  # [L, B, D]
  assert encoder(x).shape == (4, 3, 128)
  z = tf.random.stateless_normal([4, 3, 5], seed=[7, 8])
  out = decoder(z)
  assert out.shape == (4, 3, 2048)
  h = tf.reshape(decoder.dense(tf.reshape(z, [12, 5])), [12, 1, 1, 128])
  for layer in decoder.deconvs:
    h = layer(h)
  out = tf.reshape(out, [12, 2048]).numpy()
  np.testing.assert_allclose(out[:, :1024], tf.reshape(h[..., 0], [12, 1024]), atol=1e-6)
  np.testing.assert_allclose(out[:, 1024:], tf.reshape(h[..., 1], [12, 1024]), atol=1e-6)


def test_factory_selects_networks():
  mlp_enc = make_encoder("mlp", 784, (400, 400))
  assert mlp_enc(tf.zeros([2, 784])).shape == (2, 400)
  mlp_dec = make_decoder("mlp", 784, 784, (400, 400))
  assert mlp_dec(tf.zeros([2, 20])).shape == (2, 784)
  assert isinstance(make_encoder("conv32", 1024), Conv32Encoder)
  assert make_decoder("conv32", 1024, 2048).channels == 2
  with pytest.raises(ValueError, match="1024"):
    make_encoder("conv32", 784)
  with pytest.raises(ValueError, match="network"):
    make_encoder("resnet", 784)
