"""The checks run before the ops that consume the checked value, in every graph run."""
import pytest
import tensorflow as tf

from tfvae import request_checks


@tf.function(input_signature=[tf.TensorSpec([], tf.int32)])
def _draw(n):
  n = request_checks.positive(n, "num_samples")
  return tf.random.stateless_normal(tf.stack([n, 3]), seed=[1, 2])


def test_positive_passes_valid_value_through():
  assert _draw(tf.constant(4)).shape == (4, 3)


@pytest.mark.parametrize("bad", [0, -2])
def test_positive_fails_with_its_own_message_every_time(bad):
  # Without the control dependency the sampler's shape error wins some of these races.
  for _ in range(20):
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_samples must be a positive"):
      _draw(tf.constant(bad))


def test_in_range_rejects_both_ends():
  f = tf.function(lambda c: tf.one_hot(request_checks.in_range(c, 5, "category"), 5))
  assert f(tf.constant(4)).numpy()[4] == 1.0
  with pytest.raises(tf.errors.InvalidArgumentError, match="category must be >= 0"):
    f(tf.constant(-1))
  with pytest.raises(tf.errors.InvalidArgumentError, match="category must be < 5"):
    f(tf.constant(5))


def test_non_negative_accepts_zero():
  f = tf.function(lambda g: request_checks.non_negative(g, "gibbs_steps") + 1)
  assert int(f(tf.constant(0))) == 1
  with pytest.raises(tf.errors.InvalidArgumentError, match="gibbs_steps must be >= 0"):
    f(tf.constant(-1))
