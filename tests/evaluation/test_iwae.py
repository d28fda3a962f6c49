"""Chunked IWAE equals the unchunked bound; bad k is rejected."""
import numpy as np
import pytest
import tensorflow as tf

from tfvae.evaluation.iwae import iwae_log_likelihood, summarize


class _FixedWeights:
  """log w_s = fixed table (ignores x): the bound is logmeanexp of the table."""

  def __init__(self, table):
    self.table = tf.constant(table, tf.float32)

  def log_importance_weights(self, x, num_samples, seed):
    # seed[1] indexes the chunk; rows for chunk c are c*S ... c*S+S-1
    start = seed[1] * num_samples
    return self.table[start:start + num_samples, : tf.shape(x)[0]]


def test_chunks_combine_exactly():
  rng = np.random.default_rng(0)
  table = rng.normal(size=(12, 3)).astype(np.float32) * 3
  model = _FixedWeights(table)
  ds = tf.data.Dataset.from_tensors(tf.zeros([3, 2]))
  got = iwae_log_likelihood(model, ds, num_samples=12, chunk_size=4, log=None)
  expected = np.log(np.mean(np.exp(table.astype(np.float64)), axis=0))
  np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_bad_k_rejected():
  with pytest.raises(ValueError, match="num_samples must be >= 1"):
    iwae_log_likelihood(_FixedWeights(np.zeros((1, 1))), [], 0)


def test_summary_standard_error():
  stats = summarize(np.array([1.0, 3.0]))
  assert stats["mean"] == 2.0 and stats["stderr"] == pytest.approx(1.0)
