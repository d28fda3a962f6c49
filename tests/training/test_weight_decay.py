"""``train.weight_decay``: decoupled decay of kernels (AdamW), biases left alone."""
import keras
import ml_collections
import numpy as np
import pytest

from tfvae.training.trainer import make_optimizer


def _train_config(**kwargs):
  return ml_collections.ConfigDict(dict(learning_rate=1e-2, clipnorm=0.0, **kwargs))


@pytest.mark.parametrize("weight_decay", [0.0, 0.5])
def test_zero_gradient_step_shrinks_kernels_only(weight_decay):
  # With a zero gradient Adam's own update is 0, so one step leaves exactly the decay:
  # kernel <- kernel * (1 - lr * weight_decay), bias unchanged.
  layer = keras.layers.Dense(3, bias_initializer="ones")
  layer.build((None, 4))
  kernel, bias = np.array(layer.kernel), np.array(layer.bias)
  optimizer = make_optimizer(_train_config(weight_decay=weight_decay))
  optimizer.apply([np.zeros_like(kernel), np.zeros_like(bias)],
                  [layer.kernel, layer.bias])
  np.testing.assert_allclose(np.array(layer.kernel), kernel * (1 - 1e-2 * weight_decay),
                             rtol=1e-6)
  np.testing.assert_array_equal(np.array(layer.bias), bias)


def test_absent_weight_decay_is_plain_adam():
  optimizer = make_optimizer(_train_config())
  assert isinstance(optimizer, keras.optimizers.Adam)
  assert not isinstance(optimizer, keras.optimizers.AdamW)
  assert not optimizer.weight_decay
