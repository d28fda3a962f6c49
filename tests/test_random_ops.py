"""Explicit RNG algorithm for tfvae's draws and, inside the context, for TFP's."""
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp
from tensorflow_probability.python.internal import samplers

from tfvae import random_ops

tfd = tfp.distributions
SEED = tf.constant([3, 7], tf.int32)


def test_own_draws_use_the_explicit_algorithm():
  np.testing.assert_array_equal(
      random_ops.stateless_normal([4, 3], SEED),
      tf.random.stateless_normal([4, 3], seed=SEED, alg=random_ops.ALGORITHM))
  np.testing.assert_array_equal(
      random_ops.stateless_uniform([5], SEED, minval=-1.0, maxval=2.0),
      tf.random.stateless_uniform([5], seed=SEED, minval=-1.0, maxval=2.0,
                                  alg=random_ops.ALGORITHM))


@tf.function(jit_compile=True)
def _tfp_and_direct_draws(seed):
  return (tfd.Normal(0.0, 1.0).sample(64, seed=seed),
          tf.random.stateless_normal([64], seed=seed, alg="philox"),
          tf.random.stateless_normal([64], seed=seed),
          tfd.Uniform(0.0, 1.0).sample(64, seed=seed),
          tf.random.stateless_uniform([64], seed=seed, alg="philox"))


def test_tfp_samples_switch_algorithm_inside_the_context_only():
  outside = _tfp_and_direct_draws.get_concrete_function(SEED)
  with random_ops.explicit_algorithm():
    inside = _tfp_and_direct_draws.python_function
    traced = tf.function(inside, jit_compile=True)(SEED)
  tfp_normal, philox_normal, _, tfp_uniform, philox_uniform = traced
  np.testing.assert_array_equal(tfp_normal, philox_normal)
  np.testing.assert_array_equal(tfp_uniform, philox_uniform)
  # Traced outside the context, TFP keeps TF's default algorithm.
  tfp_normal, philox_normal, default_normal, _, _ = outside(SEED)
  np.testing.assert_array_equal(tfp_normal, default_normal)
  assert samplers.tf is not None and not isinstance(
      samplers.tf, random_ops._TensorFlowWithAlgorithm)  # pylint: disable=protected-access


def test_context_is_reentrant_and_restores_on_error():
  original = samplers.tf
  with pytest.raises(RuntimeError):
    with random_ops.explicit_algorithm():
      with random_ops.explicit_algorithm():
        assert samplers.tf is not original
      assert samplers.tf is not original
      raise RuntimeError("boom")
  assert samplers.tf is original
  # Everything else of tf stays reachable through the stand-in.
  with random_ops.explicit_algorithm():
    assert samplers.tf.float32 == tf.float32
    assert samplers.tf.random.stateless_categorical is tf.random.stateless_categorical
