"""Several Dense layers that read the same input, evaluated as one matmul.

Inside a recurrent loop every network that reads ``h_{t-1}`` (prior, encoder, the LSTM's
recurrent product) would cost its own small matmul per step; concatenating their kernels
once per call, before the loop, turns them into a single ``[B, H] x [H, sum units]``
product whose result is split back. The layers keep their own weights (and names), so
checkpoints and the per-layer view are unchanged.
"""
from typing import List, Sequence

import tensorflow as tf


def fused_kernel(kernels: Sequence[tf.Tensor], biases: Sequence, dtype):
  """Concatenates ``kernels`` (``[in, u_i]``) and biases (``None`` = zeros).

  Returns ``(kernel [in, sum u_i], bias [sum u_i], sizes)`` cast to ``dtype``.
  """
  sizes = [int(k.shape[-1]) for k in kernels]
  kernel = tf.cast(tf.concat(list(kernels), axis=1), dtype)
  parts = [tf.zeros([s]) if b is None else tf.cast(b, tf.float32)
           for s, b in zip(sizes, biases)]
  bias = tf.cast(tf.concat(parts, 0), dtype)
  return kernel, bias, sizes


def dense_parts(layers) -> tuple:
  """``(kernels, biases)`` of built Keras ``Dense`` layers (bias ``None`` if unused)."""
  kernels = [layer.kernel for layer in layers]
  biases = [layer.bias if layer.use_bias else None for layer in layers]
  return kernels, biases


def apply_fused(x, fused) -> List[tf.Tensor]:
  """``x @ kernel + bias`` split into the original layers' pre-activations."""
  kernel, bias, sizes = fused
  return tf.split(tf.matmul(x, kernel) + bias, sizes, axis=-1)
