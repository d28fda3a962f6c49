"""Inverse autoregressive flow (Kingma et al. 2016; flows paper section 4.5, eq. 30-33).

One IAF step with the numerically stable gated update (Kingma et al. 2016, sec. 4):

    m, s = MADE(z, h)          autoregressive in z, context h fed everywhere
    σ = sigmoid(s)
    z' = σ ⊙ z + (1 - σ) ⊙ m                                           (eq. 31)
    log |det ∂z'/∂z| = Σ_t log σ_t                                      (eq. 32)

K steps are chained with the order of the variables reversed between steps, so
every dimension gets to depend on every other one (eq. 33 sums the log-dets).

The step is ``tfb.Invert(tfb.MaskedAutoregressiveFlow(bijector_fn=...))``: the MAF's
one-pass inverse is the IAF's forward (sampling and its log-det), the MAF's
D-pass forward is the IAF's inverse (``log_prob`` at arbitrary points).
The MADE is a Keras 3 layer (masked Dense kernels): it is trained by ``fit`` and
saved with the model, unlike ``tfb.AutoregressiveNetwork`` (a tf_keras layer).
"""
from typing import Optional, Sequence

import keras
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfb = tfp.bijectors


# ----------------------------------------------------------------------- MADE
def made_degrees(event_size: int, hidden_sizes: Sequence[int]):
  """MADE degrees (Germain et al. 2015): inputs 1..D, hidden units cycle 1..D-1."""
  degrees = [np.arange(1, event_size + 1)]
  for size in hidden_sizes:
    degrees.append(np.arange(size) % max(event_size - 1, 1) + 1)
  return degrees


def made_masks(event_size: int, hidden_sizes: Sequence[int], num_outputs: int):
  """Masks ``[n_in, n_out]``: hidden units see inputs of degree ≤ their own; output
  unit of dimension t (repeated ``num_outputs`` times) sees degrees < t only."""
  degrees = made_degrees(event_size, hidden_sizes)
  masks = [(d_out[None, :] >= d_in[:, None]).astype(np.float32)
           for d_in, d_out in zip(degrees[:-1], degrees[1:])]
  out_degrees = np.tile(np.arange(1, event_size + 1), num_outputs)
  masks.append((out_degrees[None, :] > degrees[-1][:, None]).astype(np.float32))
  return masks


class MaskedDense(keras.layers.Layer):
  """Dense layer whose kernel is multiplied by a fixed 0/1 ``mask`` ``[n_in, units]``."""

  def __init__(self, mask, activation=None, kernel_initializer="glorot_uniform",
               **kwargs):
    super().__init__(**kwargs)
    self.mask_array = np.asarray(mask, dtype=np.float32)
    self.units = int(self.mask_array.shape[1])
    self.activation = keras.activations.get(activation)
    self.kernel_initializer = keras.initializers.get(kernel_initializer)

  def build(self, input_shape):
    n_in = self.mask_array.shape[0]
    if input_shape[-1] is not None and input_shape[-1] != n_in:
      raise ValueError(f"MaskedDense expects {n_in} inputs, got {input_shape[-1]}")
    self.kernel = self.add_weight(shape=(n_in, self.units), name="kernel",
                                  initializer=self.kernel_initializer)
    self.bias = self.add_weight(shape=(self.units,), name="bias", initializer="zeros")

  def call(self, x):
    mask = tf.constant(self.mask_array, dtype=self.kernel.dtype)
    y = tf.matmul(x, self.kernel * mask) + self.bias
    return self.activation(y)


class MADE(keras.layers.Layer):
  """Masked autoencoder (Germain et al. 2015) returning ``(m, s)``, each ``[..., D]``.

  Output t depends on ``z[..., :t]`` (strictly earlier dimensions) and on the
  context ``h`` (added, through an unmasked linear map, into every hidden layer and
  the output layer; the output term lets the first dimension depend on h too).
  Computed in float32 whatever the global policy (it sits inside a bijector).
  """

  def __init__(self, event_size: int, hidden_sizes: Sequence[int] = (320, 320),
               context_size: Optional[int] = None, activation: str = "elu",
               **kwargs):
    kwargs.setdefault("dtype", "float32")
    super().__init__(**kwargs)
    self.event_size = int(event_size)
    self.hidden_sizes = tuple(int(h) for h in hidden_sizes)
    self.context_size = None if not context_size else int(context_size)
    self.activation = keras.activations.get(activation)
    masks = made_masks(self.event_size, self.hidden_sizes, num_outputs=2)
    self.masked = [MaskedDense(mask, dtype="float32", name=f"masked_{i}")
                   for i, mask in enumerate(masks)]
    if self.context_size:
      sizes = self.hidden_sizes + (2 * self.event_size,)
      self.context_layers = [
          keras.layers.Dense(n, use_bias=False, dtype="float32", name=f"context_{i}")
          for i, n in enumerate(sizes)]
    else:
      self.context_layers = []

  def build(self, input_shape=None):
    sizes = (self.event_size,) + self.hidden_sizes
    for layer, n_in in zip(self.masked, sizes):
      layer.build((None, n_in))
    for layer in self.context_layers:
      layer.build((None, self.context_size))
    self.built = True

  def call(self, z, context=None):
    z = tf.cast(z, tf.float32)
    if self.context_size:
      if context is None:
        raise ValueError("this MADE was built with a context; pass one")
      context = tf.cast(context, tf.float32)
    x = z
    for i, layer in enumerate(self.masked):
      x = layer(x)
      if self.context_size:
        x = x + self.context_layers[i](context)
      if i < len(self.masked) - 1:
        x = self.activation(x)
    m, s = tf.split(x, 2, axis=-1)
    return m, s


# ------------------------------------------------------------------------ IAF
def gated_affine(m, s, gate_bias: float = 0.0):
  """The bijector x -> σ ⊙ x + (1 - σ) ⊙ m with σ = sigmoid(s + gate_bias)."""
  s = s + gate_bias
  sigma = tf.sigmoid(s)
  return tfb.Chain([tfb.Shift((1.0 - sigma) * m),
                    tfb.Scale(log_scale=tf.math.log_sigmoid(s))])


def _memoized_bijector_fn(made: MADE, context, gate_bias: float):
  """``bijector_fn`` for the MAF: ``Invert(gated_affine(MADE(z, h)))``.

  Results are cached per input tensor, so the forward pass and its log-det (which
  TFP computes in two calls) share one MADE evaluation.
  """
  cache = {}

  def bijector_fn(z):
    key = z.ref() if hasattr(z, "ref") else id(z)
    if key not in cache:
      m, s = made(z, context)
      cache[key] = tfb.Invert(gated_affine(m, s, gate_bias))
    return cache[key]

  return bijector_fn


def iaf_step(made: MADE, context=None, gate_bias: float = 1.0, name: str = "iaf_step"):
  """One IAF step as an inverted ``tfb.MaskedAutoregressiveFlow`` (eq. 31-32)."""
  maf = tfb.MaskedAutoregressiveFlow(
      bijector_fn=_memoized_bijector_fn(made, context, gate_bias), name=f"{name}_maf")
  return tfb.Invert(maf, name=name)


def reverse_permutation(event_size: int):
  return tfb.Permute(permutation=np.arange(event_size)[::-1].copy(), name="reverse")


def iaf_chain(mades: Sequence[MADE], context=None, gate_bias: float = 1.0,
              name: str = "iaf"):
  """K IAF steps with the variable order reversed between consecutive steps.

  ``mades[0]`` acts first. K = 0 gives the identity.
  """
  steps = []
  for k, made in enumerate(mades):
    if k > 0:
      steps.append(reverse_permutation(made.event_size))
    steps.append(iaf_step(made, context, gate_bias, name=f"iaf_step_{k}"))
  # tfb.Chain applies its list right to left.
  return tfb.Chain(list(reversed(steps)), name=name)
