"""Constrained Laplacian batch norm (DVAE appendix H.2) and the normalised MLP."""
import numpy as np
import pytest
import tensorflow as tf

from tfvae.nets.laplacian_batch_norm import LaplacianBatchNorm
from tfvae.nets.normalized_mlp import NormalizedMLP


def test_training_output_has_offset_mean_and_scale_mad():
  layer = LaplacianBatchNorm()
  x = tf.constant(np.random.default_rng(0).normal(3.0, 5.0, (512, 4)), tf.float32)
  layer.build(x.shape)
  layer.raw_scale.assign([0.5, 1.0, -0.5, 2.0])
  layer.raw_offset.assign([0.0, 1.0, -2.0, 0.3])
  y = layer(x, training=True).numpy()
  scale, offset = (t.numpy() for t in layer.scale_and_offset())
  np.testing.assert_allclose(y.mean(0), offset, atol=1e-4)
  mad = np.abs(y - y.mean(0)).mean(0)
  np.testing.assert_allclose(mad, scale * (1 - 1e-3 / (np.abs(x.numpy() - x.numpy().mean(0))
                                                       .mean(0) + 1e-3)), rtol=1e-4)


def test_bounds_hold_for_any_parameters():
  layer = LaplacianBatchNorm(scale_bounds=(2.0, 3.0))
  layer.build((None, 5))
  layer.raw_scale.assign([-50.0, -1.0, 0.0, 1.0, 50.0])
  layer.raw_offset.assign([50.0, -50.0, 0.5, 3.0, -0.1])
  scale, offset = (t.numpy() for t in layer.scale_and_offset())
  assert np.all(scale >= 2.0) and np.all(scale <= 3.0)
  assert np.all(np.abs(offset) <= scale)
  with pytest.raises(ValueError):
    LaplacianBatchNorm(scale_bounds=(3.0, 2.0))


def test_moving_statistics_are_used_at_inference():
  layer = LaplacianBatchNorm(momentum=0.0)
  x = tf.constant(np.random.default_rng(1).normal(2.0, 1.0, (256, 3)), tf.float32)
  train = layer(x, training=True).numpy()
  infer = layer(x, training=False).numpy()
  np.testing.assert_allclose(train, infer, rtol=1e-4, atol=1e-5)
  # A shifted batch at inference is NOT re-centred.
  assert np.all(layer(x + 10.0, training=False).numpy().mean(0) > 5.0)
  # Rank-3 inputs ([samples, batch, features]) normalise over both leading axes.
  y = layer(tf.reshape(x, [4, 64, 3]), training=True).numpy()
  np.testing.assert_allclose(y.reshape(-1, 3).mean(0), 0.0, atol=1e-4)


@pytest.mark.parametrize("norm", ["laplacian", "batch", "none"])
def test_normalized_mlp_shapes_and_gradients(norm):
  net = NormalizedMLP((8, 8), 3, norm=norm)
  x = tf.random.stateless_normal([5, 4], seed=[1, 2])
  with tf.GradientTape() as tape:
    y = net(x, training=True)
    loss = tf.reduce_sum(tf.square(y))
  assert y.shape == (5, 3)
  grads = tape.gradient(loss, net.trainable_variables)
  assert all(g is not None for g in grads)
  with pytest.raises(ValueError):
    NormalizedMLP((4,), norm="group")
