"""LSTMStack against Keras' own LSTM cells with the same weights."""
import keras
import numpy as np
import tensorflow as tf

from tfvae.nets.lstm import LSTMStack


def _keras_reference(stack, inputs, state):
  """One step through keras.layers.LSTMCell per layer, weights copied from ``stack``."""
  below, new_state = inputs, []
  for l in range(stack.num_layers):
    cell = keras.layers.LSTMCell(stack.units)
    cell.build((None, below.shape[-1]))
    kernel = (tf.concat(stack.input_kernels, 0) if l == 0 else stack.kernels[l])
    cell.set_weights([kernel.numpy(), stack.recurrent_kernels[l].numpy(),
                      stack.biases[l].numpy()])
    h, (h2, c2) = cell(below, [state[2 * l], state[2 * l + 1]])
    new_state += [h2, c2]
    below = h
  return new_state


def test_two_layer_step_matches_keras_cells_with_split_and_fused_inputs():
  tf.random.set_seed(0)
  stack = LSTMStack(6, num_layers=2, input_sizes=(3, 2))
  stack.build()
  for b in stack.biases:  # non-trivial biases
    b.assign(tf.random.normal(b.shape))
  a, z = tf.random.normal([4, 3]), tf.random.normal([4, 2])
  state = tuple(tf.random.normal([4, 6]) for _ in range(4))
  consts = stack.prepare()
  gates = stack.project(a, 0) + stack.project(z, 1)
  ours = stack.step(gates, state, consts)
  # The top layer's recurrent product supplied from outside (the VRNN's fused path).
  top = tf.matmul(state[2], consts["recurrent"][1])
  fused = stack.step(gates, state, consts, top_recurrent=top)
  reference = _keras_reference(stack, tf.concat([a, z], -1), state)
  for mine, other, ref in zip(ours, fused, reference):
    np.testing.assert_allclose(mine.numpy(), ref.numpy(), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(other.numpy(), ref.numpy(), rtol=1e-5, atol=1e-5)


def test_project_accepts_time_major_sequences():
  stack = LSTMStack(5, input_sizes=(3,))
  x = tf.random.normal([7, 2, 3])
  per_step = tf.stack([stack.project(x[t], 0) for t in range(7)])
  np.testing.assert_allclose(stack.project(x, 0).numpy(), per_step.numpy(), atol=1e-6)
