"""Multi-layer perceptrons built from Keras 3 layers."""
from typing import Optional, Sequence

import keras

from tfvae.nets.maxout import Maxout, maxout_pieces


class MLP(keras.layers.Layer):
  """Dense stack ``hidden_sizes`` (each followed by ``activation``) and an optional
  linear output layer of ``output_size`` units. Accepts inputs of any rank >= 2
  (leading axes are batch axes, e.g. ``[samples, batch, features]``).
  ``activation="maxout<k>"`` makes each hidden layer ``h`` maxout units over windows
  of k (``tfvae.nets.maxout``)."""

  def __init__(self, hidden_sizes: Sequence[int], activation: str = "relu",
               output_size: Optional[int] = None,
               kernel_initializer: str = "glorot_uniform", **kwargs):
    super().__init__(**kwargs)
    self.hidden_sizes = tuple(int(h) for h in hidden_sizes)
    pieces = maxout_pieces(activation)
    if pieces:
      self.layers = [Maxout(h, pieces, kernel_initializer=kernel_initializer,
                            name=f"maxout_{i}")
                     for i, h in enumerate(self.hidden_sizes)]
    else:
      self.layers = [keras.layers.Dense(h, activation=activation,
                                        kernel_initializer=kernel_initializer,
                                        name=f"dense_{i}")
                     for i, h in enumerate(self.hidden_sizes)]
    if output_size is not None:
      self.layers.append(keras.layers.Dense(output_size, name="output",
                                            kernel_initializer=kernel_initializer))

  def call(self, x):
    for layer in self.layers:
      x = layer(x)
    return x


def mlp(hidden_sizes: Sequence[int], activation: str = "relu",
        output_size: Optional[int] = None, name: Optional[str] = None,
        kernel_initializer: str = "glorot_uniform") -> MLP:
  return MLP(hidden_sizes, activation, output_size, kernel_initializer, name=name)
