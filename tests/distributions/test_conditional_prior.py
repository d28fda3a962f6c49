"""Closed forms of the CP-VAE KL terms and the learned mixture prior vs TFP / Monte Carlo."""
import math

import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.distributions import conditional_prior as cp

tfd = tfp.distributions


def _random_gaussians(seed, shape):
  g = np.random.default_rng(seed)
  return (g.normal(size=shape).astype(np.float32),
          np.exp(0.5 * g.normal(size=shape)).astype(np.float32))


def test_b1_equals_log_k_minus_entropy_eq9():
  logits = tf.constant(np.random.default_rng(0).normal(size=[6, 5]) * 2, tf.float32)
  b1 = cp.categorical_kl_to_uniform(logits).numpy()
  q = tfd.Categorical(logits=logits)
  expected_kl = tfd.kl_divergence(q, tfd.Categorical(logits=tf.zeros([5]))).numpy()
  np.testing.assert_allclose(b1, expected_kl, rtol=1e-5, atol=1e-6)
  np.testing.assert_allclose(b1, math.log(5) - q.entropy().numpy(), rtol=1e-5, atol=1e-6)
  # a one-hot posterior pays log K, a uniform one nothing
  np.testing.assert_allclose(cp.categorical_kl_to_uniform(tf.constant([[50.0, 0, 0, 0]])),
                             [math.log(4)], atol=1e-5)
  np.testing.assert_allclose(cp.categorical_kl_to_uniform(tf.zeros([1, 4])), [0.0], atol=1e-6)


def test_kl_matrix_matches_tfp():
  q_loc, q_scale = _random_gaussians(1, [3, 4])
  p_loc, p_scale = _random_gaussians(2, [5, 4])
  got = cp.diag_gaussian_kl_matrix(q_loc, q_scale, p_loc, p_scale).numpy()
  q = tfd.MultivariateNormalDiag(q_loc[:, None], q_scale[:, None])
  p = tfd.MultivariateNormalDiag(p_loc[None], p_scale[None])
  np.testing.assert_allclose(got, tfd.kl_divergence(q, p).numpy(), rtol=1e-4, atol=1e-5)


def test_b2_matches_monte_carlo():
  """B2 = E_{c ~ pi} KL(q || p_c) vs the sample mean of log q(z) - log p(z|c)."""
  q_loc, q_scale = _random_gaussians(3, [2, 3])
  prior = cp.ConditionalGaussianPrior(4, 3, seed=1)
  pi = tf.nn.softmax(tf.constant(np.random.default_rng(4).normal(size=[2, 4]), tf.float32))
  b2 = prior.expected_kl(pi, q_loc, q_scale).numpy()
  n = 200000
  q = tfd.MultivariateNormalDiag(q_loc, q_scale)
  z = q.sample(n, seed=[5, 6])                                           # [n, 2, 3]
  c = tf.transpose(tf.random.stateless_categorical(tf.math.log(pi), n, seed=[7, 8]))
  log_p = tf.gather(prior.component_log_prob(z), c, batch_dims=2)       # [n, 2]
  samples = (q.log_prob(z) - log_p).numpy()
  stderr = samples.std(0) / math.sqrt(n)
  assert np.all(np.abs(samples.mean(0) - b2) < 4 * stderr), (samples.mean(0), b2, stderr)


def test_component_and_mixture_log_prob_match_tfp():
  prior = cp.ConditionalGaussianPrior(3, 2, seed=2)
  prior.raw_scale.assign(np.random.default_rng(0).normal(size=[3, 2]).astype(np.float32))
  z = tf.constant(np.random.default_rng(1).normal(size=[4, 5, 2]) * 2, tf.float32)
  components = prior.components()
  expected = components.log_prob(z[..., None, :]).numpy()
  np.testing.assert_allclose(prior.component_log_prob(z).numpy(), expected,
                             rtol=1e-4, atol=1e-4)
  np.testing.assert_allclose(prior.log_prob(z).numpy(), prior.mixture().log_prob(z).numpy(),
                             rtol=1e-4, atol=1e-4)
  weights = tf.constant([0.2, 0.5, 0.3])
  np.testing.assert_allclose(prior.log_prob(z, tf.math.log(weights)).numpy(),
                             prior.mixture(weights).log_prob(z).numpy(), rtol=1e-4, atol=1e-4)
  resp = prior.responsibilities(z).numpy()
  np.testing.assert_allclose(resp.sum(-1), 1.0, rtol=1e-5)


def test_prior_sample_moments():
  prior = cp.ConditionalGaussianPrior(3, 2, seed=3)
  n = 20000
  z = prior.sample(tf.fill([n], 1), tf.constant([1, 2])).numpy()
  loc, scale = (t.numpy() for t in prior.loc_and_scale())
  assert np.all(np.abs(z.mean(0) - loc[1]) < 4 * scale[1] / math.sqrt(n))
  np.testing.assert_allclose(z.std(0), scale[1], rtol=0.03)


def test_prior_is_trainable_and_starts_at_unit_scale():
  prior = cp.ConditionalGaussianPrior(3, 2)
  assert len(prior.trainable_variables) == 2
  np.testing.assert_allclose(prior.loc_and_scale()[1].numpy(), 1.0, rtol=1e-5)
