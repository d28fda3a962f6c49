"""Maxout units (Goodfellow et al. 2013): h_i = max_j (W x + b)_{i, j}, j = 1..pieces.

Rezende & Mohamed (2015, section 6) build every network of their MNIST DLGMs from
400-unit hidden layers with maxout over windows of 4; ``activation="maxout4"`` in an
MLP config selects such a layer (400 units cost a Dense of 1600 outputs).
"""
import re
from typing import Optional

import keras
from keras import ops

_MAXOUT = re.compile(r"maxout(\d+)$")


def maxout_pieces(activation) -> Optional[int]:
  """The window size of a ``"maxout<k>"`` activation name (k >= 2), else None."""
  match = _MAXOUT.match(activation) if isinstance(activation, str) else None
  if match is None:
    return None
  pieces = int(match.group(1))
  if pieces < 2:
    raise ValueError(f"activation {activation!r}: maxout needs a window of at least 2 "
                     "pieces (e.g. 'maxout4')")
  return pieces


def elementwise_activation(activation, net: str):
  """``activation`` for a net whose layers keep their width; a maxout name is refused
  with a clear error (maxout changes the layer's width: only ``tfvae.nets.mlp`` builds it)."""
  if maxout_pieces(activation):
    raise ValueError(
        f"{net}: activation {activation!r} is maxout, which only the MLP nets "
        "(tfvae.nets.mlp) build; this net takes an element-wise Keras activation "
        "such as 'relu'")
  return activation


class Maxout(keras.layers.Layer):
  """``units`` maxout units, each the max of ``pieces`` affine maps of the input."""

  def __init__(self, units: int, pieces: int,
               kernel_initializer: str = "glorot_uniform", **kwargs):
    super().__init__(**kwargs)
    self.units, self.pieces = int(units), int(pieces)
    self.linear = keras.layers.Dense(self.units * self.pieces,
                                     kernel_initializer=kernel_initializer,
                                     name="linear")

  def call(self, x):
    y = self.linear(x)
    y = ops.reshape(y, tuple(ops.shape(y)[:-1]) + (self.units, self.pieces))
    return ops.max(y, axis=-1)
