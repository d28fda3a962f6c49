"""Gated dense layers (Dauphin et al. 2017), the non-linearity of the CP-VAE paper (sec. 5).

A gated dense layer computes

    h(x) = a(x W + b) * sigmoid(x V + c)

(``a`` the identity by default, i.e. a gated linear unit). ``W`` and ``V`` are held as one
fused kernel so a layer costs one matmul. Tomczak & Welling's VampPrior code uses the same
unit for every hidden layer, so all CP-VAE baselines share it.
"""
from typing import Optional, Sequence

import keras
import tensorflow as tf

from tfvae.nets.maxout import elementwise_activation


class GatedDense(keras.layers.Layer):
  """``units`` gated units: ``activation(x W + b) * sigmoid(x V + c)``."""

  def __init__(self, units: int, activation: Optional[str] = None,
               kernel_initializer: str = "glorot_uniform", **kwargs):
    super().__init__(**kwargs)
    self.units = int(units)
    self.activation = keras.activations.get(elementwise_activation(activation, "GatedDense"))
    self.dense = keras.layers.Dense(2 * self.units, kernel_initializer=kernel_initializer,
                                    dtype=self.dtype_policy, name="linear_and_gate")

  def call(self, x):
    linear, gate = tf.split(self.dense(x), 2, axis=-1)
    return self.activation(linear) * tf.sigmoid(gate)


class GatedMLP(keras.layers.Layer):
  """Stack of ``GatedDense`` layers (``hidden_sizes``), optionally followed by a linear
  output layer of ``output_size`` units. Accepts inputs of any rank >= 2."""

  def __init__(self, hidden_sizes: Sequence[int], output_size: Optional[int] = None,
               activation: Optional[str] = None,
               kernel_initializer: str = "glorot_uniform", **kwargs):
    super().__init__(**kwargs)
    self.hidden_sizes = tuple(int(h) for h in hidden_sizes)
    self.layers = [GatedDense(h, activation, kernel_initializer, dtype=self.dtype_policy,
                              name=f"gated_{i}")
                   for i, h in enumerate(self.hidden_sizes)]
    if output_size is not None:
      self.layers.append(keras.layers.Dense(output_size, kernel_initializer=kernel_initializer,
                                            dtype=self.dtype_policy, name="output"))

  def call(self, x):
    for layer in self.layers:
      x = layer(x)
    return x


def gated_mlp(hidden_sizes: Sequence[int], output_size: Optional[int] = None,
              name: Optional[str] = None, **kwargs) -> GatedMLP:
  return GatedMLP(hidden_sizes, output_size, name=name, **kwargs)
