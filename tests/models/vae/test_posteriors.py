"""Posterior families: full covariance (eq. 24-25), planar (eq. 26-29), IAF (eq. 30-33)."""
import os

import keras
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.models.vae.gaussian_vae import GaussianVAE
from tfvae.models.vae.posteriors import POSTERIORS, make_posterior

tfd = tfp.distributions
D, H, B = 4, 8, 5


def _features(seed=0):
  return tf.constant(np.random.default_rng(seed).normal(size=(B, H)), tf.float32)


def _prior():
  return tfd.MultivariateNormalDiag(loc=tf.zeros([D]))


def _randomize(layer, seed, scale=0.3):
  for k, weight in enumerate(layer.weights):
    weight.assign(tf.random.stateless_normal(weight.shape, seed=[seed, k]) * scale)


def _mc_kl(q, num_samples, seed):
  """Per-example mean and standard error of log q(z) - log p(z), z ~ q."""
  z, log_q = q.experimental_sample_and_log_prob(num_samples, seed=seed)
  draws = (log_q - _prior().log_prob(z)).numpy()  # [S, B]
  return draws.mean(0), draws.std(0) / np.sqrt(num_samples)


def test_every_family_is_registered():
  assert {"diag", "full_cov", "planar", "iaf"} <= set(POSTERIORS.names())
  with pytest.raises(KeyError, match="full_cov"):
    make_posterior("full_covariance", D)


def test_full_cov_structure_and_kl_closed_form_tfp_and_monte_carlo():
  head = make_posterior("full_cov", D)
  h = _features()
  head(h)
  _randomize(head, 1)
  q = head(h)
  assert isinstance(q, tfd.MultivariateNormalTriL)
  scale_tril = q.scale.to_dense().numpy()
  assert np.all(np.triu(scale_tril, 1) == 0.0)
  assert np.all(np.abs(np.tril(scale_tril, -1)).sum((1, 2)) > 0)  # L* is used
  assert np.all(np.diagonal(scale_tril, axis1=1, axis2=2) > 0)
  # eq. 25 by hand.
  mu = q.mean().numpy().astype(np.float64)
  sigma = scale_tril.astype(np.float64) @ np.swapaxes(scale_tril, 1, 2)
  closed = 0.5 * (np.sum(mu**2, -1) + np.trace(sigma, axis1=1, axis2=2) - D
                  - np.linalg.slogdet(sigma)[1])
  kl = tfd.kl_divergence(q, _prior()).numpy()
  np.testing.assert_allclose(kl, closed, rtol=1e-4, atol=1e-4)
  # The chain-rule per-dimension terms sum to the KL.
  np.testing.assert_allclose(head.kl_per_dim(q).numpy().sum(-1), kl, rtol=1e-5, atol=1e-5)
  # Monte Carlo: within 4 standard errors.
  mean, stderr = _mc_kl(q, 20000, seed=[5, 6])
  assert np.all(np.abs(mean - kl) < 4 * stderr + 1e-4), (mean, kl, stderr)


def test_full_cov_starts_diagonal_and_matches_diag_kl_terms():
  head = make_posterior("full_cov", D)
  q = head(_features())
  scale_tril = q.scale.to_dense().numpy()
  np.testing.assert_array_equal(np.tril(scale_tril, -1), 0.0)
  diag_q = tfd.MultivariateNormalDiag(q.mean(), q.stddev())
  np.testing.assert_allclose(head.kl_per_dim(q).numpy(),
                             POSTERIORS.get("diag").kl_per_dim(diag_q).numpy(), atol=1e-6)


def test_off_diagonal_scale_multiplies_only_the_strictly_lower_part():
  h = _features(3)
  heads = {s: make_posterior("full_cov", D, off_diagonal_scale=s) for s in (1.0, 0.01)}
  for head in heads.values():
    head(h)
    _randomize(head, 4)  # same weights for both heads
  tril = {s: head(h).scale.to_dense().numpy() for s, head in heads.items()}
  np.testing.assert_allclose(np.tril(tril[0.01], -1), 0.01 * np.tril(tril[1.0], -1),
                             rtol=1e-5, atol=1e-8)
  np.testing.assert_allclose(np.diagonal(tril[0.01], axis1=1, axis2=2),
                             np.diagonal(tril[1.0], axis1=1, axis2=2), rtol=1e-6)
  with pytest.raises(ValueError, match="off_diagonal_scale must be > 0"):
    make_posterior("full_cov", D, off_diagonal_scale=0.0)


def test_diag_kl_per_dim_sums_to_kl():
  head = make_posterior("diag", D)
  q = head(_features(2))
  np.testing.assert_allclose(head.kl_per_dim(q).numpy().sum(-1),
                             tfd.kl_divergence(q, _prior()).numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,kwargs", [
    ("planar", dict(num_flows=0, amortized=True)),
    ("planar", dict(num_flows=0, amortized=False)),
    ("iaf", dict(num_steps=0, context_size=2)),
])
def test_zero_flows_monte_carlo_kl_equals_analytic_gaussian_kl(name, kwargs):
  head = make_posterior(name, D, **kwargs)
  h = _features(3)
  head(h)
  _randomize(head, 3)
  q = head(h)
  analytic = tfd.kl_divergence(q.distribution, _prior()).numpy()
  mean, stderr = _mc_kl(q, 20000, seed=[7, 8])
  assert np.all(np.abs(mean - analytic) < 4 * stderr), (mean, analytic, stderr)
  mu, sigma = head.moments(q)
  np.testing.assert_array_equal(mu.numpy(), q.distribution.mean().numpy())
  np.testing.assert_array_equal(sigma.numpy(), q.distribution.stddev().numpy())


@pytest.mark.parametrize("name,kwargs", [
    ("planar", dict(num_flows=3, amortized=True)),
    ("planar", dict(num_flows=3, amortized=False)),
    ("iaf", dict(num_steps=2, context_size=3, hidden_sizes=(12,))),
])
def test_flow_log_q_matches_density_through_the_inverse(name, kwargs):
  """log q_K from the forward pass (eq. 18) equals log_prob evaluated by inverting z_K."""
  head = make_posterior(name, D, **kwargs)
  h = _features(4)
  head(h)
  _randomize(head, 4)
  q = head(h)
  assert not head.analytic_kl
  z, log_q = q.experimental_sample_and_log_prob(6, seed=[1, 2])
  assert z.shape == (6, B, D) and log_q.shape == (6, B)
  z0 = q.distribution.sample(6, seed=[1, 2])
  assert np.max(np.abs(z.numpy() - z0.numpy())) > 1e-3  # the flow moved the samples
  fresh = tf.constant(z.numpy())  # a new tensor, so TFP's bijector cache is unused
  np.testing.assert_allclose(q.log_prob(fresh).numpy(), log_q.numpy(), atol=2e-3)


def test_planar_amortized_parameters_per_example_global_shared():
  h = _features(5)
  amortized = make_posterior("planar", D, num_flows=2, amortized=True)
  amortized(h)
  u, w, b = amortized.flow_parameters(amortized.base_and_extra(h)[1])
  assert u.shape == (B, 2, D) and w.shape == (B, 2, D) and b.shape == (B, 2)
  assert np.std(u.numpy(), axis=0).max() > 0  # differs between data points
  shared = make_posterior("planar", D, num_flows=2, amortized=False)
  shared(h)
  names = sorted(v.name for v in shared.trainable_weights)
  assert {"u", "w", "b"} <= set(names)
  u, w, b = shared.flow_parameters(None)
  assert u.shape == (2, D) and b.shape == (2,)


def test_planar_parameter_scale_multiplies_the_amortized_parameters():
  h = _features(6)
  heads = {s: make_posterior("planar", D, num_flows=2, parameter_scale=s) for s in (1.0, 0.1)}
  for head in heads.values():
    head(h)
    _randomize(head, 7)
  params = {s: head.flow_parameters(head.base_and_extra(h)[1]) for s, head in heads.items()}
  for small, full in zip(params[0.1], params[1.0]):
    np.testing.assert_allclose(small.numpy(), 0.1 * full.numpy(), rtol=1e-5, atol=1e-7)
  with pytest.raises(ValueError, match="parameter_scale must be > 0"):
    make_posterior("planar", D, parameter_scale=-1.0)


def _iaf_model():
  return GaussianVAE(input_size=12, latent_dim=3, hidden_sizes=(8,), posterior="iaf",
                     posterior_kwargs=dict(num_steps=2, context_size=2,
                                           hidden_sizes=(8, 8)), seed=3)


def test_iaf_made_weights_train_and_survive_save_load(tmp_path):
  x = (np.random.default_rng(0).random((32, 12)) > 0.5).astype(np.float32)
  model = _iaf_model()
  model(x[:2])
  made_weights = [w for made in model.posterior.mades for w in made.weights]
  assert len(made_weights) == 2 * (3 * 2 + 3)  # per MADE: 3 masked (kernel, bias), 3 context
  trainable = {id(v) for v in model.trainable_weights}
  assert all(id(w) in trainable for w in made_weights)
  before = [w.numpy().copy() for w in made_weights]
  model.compile(optimizer=keras.optimizers.Adam(1e-2))
  model.fit(x, batch_size=8, epochs=1, verbose=0)
  for w, old in zip(made_weights, before):
    assert np.any(w.numpy() != old), w.path  # trained by fit
  path = os.path.join(tmp_path, "iaf.weights.h5")
  model.save_weights(path)
  restored = _iaf_model()
  restored(x[:2])
  restored.load_weights(path)
  restored_made = [w for made in restored.posterior.mades for w in made.weights]
  for w, v in zip(made_weights, restored_made):
    np.testing.assert_array_equal(w.numpy(), v.numpy())
  seed = tf.constant([4, 5])
  np.testing.assert_allclose(restored.log_importance_weights(x[:4], 3, seed).numpy(),
                             model.log_importance_weights(x[:4], 3, seed).numpy(),
                             rtol=1e-6, atol=1e-5)
