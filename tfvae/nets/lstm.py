"""A stack of LSTM layers stepped by hand, for loops that interleave other work per step.

Each layer l computes (Hochreiter & Schmidhuber 1997; Keras gate order i, f, c, o)

    [i, f, g, o] = W_l u_t + U_l h^l_{t-1} + b_l
    c^l_t = sigmoid(f) * c^l_{t-1} + sigmoid(i) * tanh(g),   h^l_t = sigmoid(o) * tanh(c^l_t)

with u_t the input of layer 1 and h^{l-1}_t above it. The first layer's input kernel is
split into one block per *input part*, so parts known before the loop (phi_x(x_t) during
training, x_{t-1} in the LSTM baseline) are projected for every step in one large matmul
(``project``) and only the parts produced inside the loop cost a per-step matmul. The
recurrent product ``U_L h^L_{t-1}`` of the top layer can be supplied by the caller, which
lets a VRNN fuse it with every other network that reads ``h_{t-1}`` (one matmul per step).
"""
from typing import Sequence

import keras
import tensorflow as tf


class LSTMStack(keras.layers.Layer):
  """``num_layers`` LSTM layers of ``units``; the first reads inputs of ``input_sizes``."""

  def __init__(self, units: int, num_layers: int = 1, input_sizes: Sequence[int] = (),
               **kwargs):
    super().__init__(**kwargs)
    if num_layers < 1:
      raise ValueError(f"num_layers must be >= 1, got {num_layers}")
    if not input_sizes:
      raise ValueError("input_sizes must list the size of every input part")
    self.units = int(units)
    self.num_layers = int(num_layers)
    self.input_sizes = tuple(int(s) for s in input_sizes)

  def build(self, input_shape=None):
    h4 = 4 * self.units
    glorot = keras.initializers.GlorotUniform(seed=None)
    ortho = keras.initializers.Orthogonal()

    def bias_init(shape, dtype=None):  # unit forget bias (Jozefowicz et al. 2015)
      return tf.concat([tf.zeros([self.units]), tf.ones([self.units]),
                        tf.zeros([2 * self.units])], 0)

    self.input_kernels = [
        self.add_weight(shape=(size, h4), initializer=glorot, name=f"input_kernel_{i}")
        for i, size in enumerate(self.input_sizes)]
    self.kernels = [None] + [
        self.add_weight(shape=(self.units, h4), initializer=glorot, name=f"kernel_{l}")
        for l in range(1, self.num_layers)]
    self.recurrent_kernels = [
        self.add_weight(shape=(self.units, h4), initializer=ortho,
                        name=f"recurrent_kernel_{l}") for l in range(self.num_layers)]
    self.biases = [self.add_weight(shape=(h4,), initializer=bias_init, name=f"bias_{l}")
                   for l in range(self.num_layers)]
    super().build(input_shape)

  # ----------------------------------------------------------------- helpers
  def _ensure_built(self):
    if not self.built:
      self.build()

  def initial_state(self, batch_size):
    """Zero state: a flat tuple ``(h_1, c_1, ..., h_L, c_L)`` of ``[batch, units]``."""
    zeros = tf.zeros(tf.stack([batch_size, self.units]), self.compute_dtype)
    return tuple(zeros for _ in range(2 * self.num_layers))

  @staticmethod
  def top(state):
    """h of the top layer."""
    return state[-2]

  def top_recurrent_kernel(self):
    self._ensure_built()
    return self.recurrent_kernels[-1]

  def project(self, x, part: int):
    """``x @ W_1[part]`` (+ b_1 for part 0): the first layer's gate input from one part.

    ``x`` may carry any leading axes (e.g. ``[T, B, size]``).
    """
    self._ensure_built()
    kernel = tf.cast(self.input_kernels[part], x.dtype)
    out = tf.tensordot(x, kernel, 1) if x.shape.rank != 2 else tf.matmul(x, kernel)
    if part == 0:
      out = out + tf.cast(self.biases[0], x.dtype)
    return out

  def prepare(self):
    """Per-call constants (cast/concatenated kernels), computed once outside the loop."""
    self._ensure_built()
    dtype = self.compute_dtype
    consts = {"recurrent": [tf.cast(k, dtype) for k in self.recurrent_kernels]}
    # Layers above the first read [h^{l-1}_t, h^l_{t-1}] through one stacked kernel.
    consts["stacked"] = [None] + [
        tf.cast(tf.concat([self.kernels[l], self.recurrent_kernels[l]], 0), dtype)
        for l in range(1, self.num_layers)]
    consts["kernel"] = [None] + [tf.cast(k, dtype) for k in self.kernels[1:]]
    consts["bias"] = [None] + [tf.cast(b, dtype) for b in self.biases[1:]]
    return consts

  @staticmethod
  def _cell(gates, c):
    i, f, g, o = tf.split(gates, 4, axis=-1)
    c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
    return tf.sigmoid(o) * tf.tanh(c), c

  def step(self, input_gates, state, consts, top_recurrent=None):
    """One time step.

    Args:
      input_gates: sum of ``project`` over the input parts (bias included), ``[B, 4H]``.
      state: flat tuple from ``initial_state`` or a previous step.
      consts: ``prepare()``.
      top_recurrent: optional precomputed ``U_L h^L_{t-1}`` (without bias).
    Returns:
      the new flat state tuple (``top(state)`` is the output h_t).
    """
    new_state = []
    below = None
    for l in range(self.num_layers):
      h, c = state[2 * l], state[2 * l + 1]
      own = top_recurrent if (top_recurrent is not None and l == self.num_layers - 1) else None
      if l == 0:
        gates = input_gates + (own if own is not None else tf.matmul(h, consts["recurrent"][0]))
      elif own is not None:
        gates = (tf.matmul(below, consts["kernel"][l]) + own
                 + consts["bias"][l])
      else:
        gates = tf.matmul(tf.concat([below, h], -1), consts["stacked"][l]) + consts["bias"][l]
      h, c = self._cell(gates, c)
      new_state += [h, c]
      below = h
    return tuple(new_state)
