"""Gated dense layers: output equals a(xW + b) * sigmoid(xV + c) from the layer's weights."""
import numpy as np
import tensorflow as tf

from tfvae.nets.gated import GatedDense, gated_mlp


def test_gated_dense_matches_formula():
  tf.random.set_seed(0)
  layer = GatedDense(5)
  x = tf.random.normal([4, 3])
  y = layer(x).numpy()
  kernel, bias = (v.numpy() for v in layer.dense.weights)
  pre = x.numpy() @ kernel + bias
  expected = pre[:, :5] / (1.0 + np.exp(-pre[:, 5:]))
  np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)


def test_gated_dense_activation_applies_to_linear_part_only():
  layer = GatedDense(2, activation="relu")
  x = tf.constant([[1.0, -2.0]])
  y = layer(x).numpy()
  kernel, bias = (v.numpy() for v in layer.dense.weights)
  pre = x.numpy() @ kernel + bias
  np.testing.assert_allclose(y, np.maximum(pre[:, :2], 0) / (1 + np.exp(-pre[:, 2:])),
                             rtol=1e-5, atol=1e-6)


def test_gated_mlp_shapes_and_leading_axes():
  net = gated_mlp((6, 7), output_size=3)
  assert net(tf.zeros([2, 4])).shape == (2, 3)
  assert net(tf.zeros([5, 2, 4])).shape == (5, 2, 3)
  # two gated layers (one fused kernel each) + output layer: 3 kernels, 3 biases
  assert len(net.trainable_variables) == 6
