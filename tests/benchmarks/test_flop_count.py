"""Matmul FLOPs counted from traced graphs: single ops, nested calls, a VAE train step."""
import pytest
import tensorflow as tf

from tests.conftest import tiny_vae_config
from tfvae.benchmarks import flop_count


def _graph(fn, *specs):
  return tf.function(fn, autograph=True).get_concrete_function(*specs).graph


def _spec(*shape):
  return tf.TensorSpec(shape, tf.float32)


@pytest.mark.parametrize("transpose_a,transpose_b", [(False, False), (True, False),
                                                      (False, True), (True, True)])
def test_matmul_counts_2mnk_whatever_the_transposes(transpose_a, transpose_b):
  a = _spec(*((5, 3) if transpose_a else (3, 5)))
  b = _spec(*((7, 5) if transpose_b else (5, 7)))
  graph = _graph(lambda x, y: tf.matmul(x, y, transpose_a=transpose_a,
                                        transpose_b=transpose_b), a, b)
  assert flop_count.graph_flops(graph) == 2 * 3 * 7 * 5


def test_batch_matmul_multiplies_in_the_broadcast_batch():
  graph = _graph(lambda x, y: tf.matmul(x, y, adjoint_b=True),
                 _spec(2, 1, 3, 4), _spec(5, 6, 4))
  assert flop_count.graph_flops(graph) == 2 * (2 * 5) * 3 * 6 * 4


def test_nested_functions_are_followed():
  inner = tf.function(lambda x: tf.matmul(x, x))

  def outer(x):
    return inner(x) + tf.matmul(x, x, transpose_a=True)

  assert flop_count.graph_flops(_graph(outer, _spec(4, 4))) == 2 * (2 * 4 * 4 * 4)


def test_a_loop_or_cond_with_a_matmul_is_refused():
  def loop(x):
    for _ in tf.range(3):
      x = tf.matmul(x, x)
    return x

  def cond(x):
    return tf.cond(tf.reduce_sum(x) > 0, lambda: tf.matmul(x, x), lambda: x)

  for fn in (loop, cond):
    with pytest.raises(ValueError, match="matmuls in its"):
      flop_count.graph_flops(_graph(fn, _spec(4, 4)))


def test_a_loop_without_matmuls_is_fine():
  def fn(x):
    for _ in tf.range(3):
      x = tf.tanh(x)
    return tf.matmul(x, x)

  assert flop_count.graph_flops(_graph(fn, _spec(2, 2))) == 2 * 2 * 2 * 2


def test_dynamic_shapes_are_refused():
  with pytest.raises(ValueError, match="fixed batch"):
    flop_count.graph_flops(_graph(lambda x: tf.matmul(x, x), _spec(None, None)))


def test_gaussian_vae_step_is_its_forward_and_backward_matmuls():
  """784-h-(2d) encoder, d-h-784 decoder: the forward pass, a weight gradient for every
  layer and an input gradient for every layer but the first (the data is not
  differentiated): 2 (3 F - 784 h) FLOPs per example, F the forward multiply-adds."""
  from tfvae.training.trainer import build  # pylint: disable=g-import-not-at-top
  config = tiny_vae_config(batch_size=20)
  h, d = config.model.hidden_sizes[0], config.model.latent_dim
  _, model = build(config, steps_per_epoch=1)
  batch = tf.zeros([20, 784])
  forward = 784 * h + h * 2 * d + d * h + h * 784
  expected = 2 * (3 * forward - 784 * h)
  assert flop_count.train_flops_per_example(model, batch) == expected
