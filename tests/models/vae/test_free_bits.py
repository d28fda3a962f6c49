"""Free bits (eq. 14) and beta (eq. 13) in the Gaussian VAE objective."""
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.models import regularizers
from tfvae.models.vae.gaussian_vae import GaussianVAE

tfd = tfp.distributions
D = 4


def _model(**kwargs):
  kwargs.setdefault("posterior", "diag")
  return GaussianVAE(input_size=6, latent_dim=D, hidden_sizes=(8,), seed=1, **kwargs)


def _q():
  # Per-dimension KLs (sigma = 1): mu^2 / 2 -> example 1 [2, 0, 0, 0], example 2
  # [0, 0, 0.5, 0]; batch means [1, 0, 0.25, 0].
  loc = tf.constant([[2.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]])
  return tfd.MultivariateNormalDiag(loc=loc, scale_diag=tf.ones([2, D]))


def _kl(q):
  return tfd.kl_divergence(q, tfd.MultivariateNormalDiag(tf.zeros([D])))


def test_group_sizes():
  assert regularizers.group_sizes(4, None) == (1, 1, 1, 1)
  assert regularizers.group_sizes(4, 2) == (2, 2)
  assert regularizers.group_sizes(4, [1, 3]) == (1, 3)
  for bad in (3, 0, [2, 1], [4, 0]):
    with pytest.raises(ValueError):
      regularizers.group_sizes(4, bad)


@pytest.mark.parametrize("groups,threshold,expected", [
    (2, 0.5, 1.0 + 0.5),          # groups {0,1}: 1.0, {2,3}: 0.25 -> clamped to 0.5
    (None, 0.5, 1.0 + 3 * 0.5),   # per dimension: 1, 0, 0.25, 0 -> 1 + 0.5 * 3
    (1, 0.5, 1.25),               # one group: 1.25 > 0.5, untouched
    (1, 2.0, 2.0),                # one group below lambda
    ([1, 3], 0.3, 1.0 + 0.3),     # {0}: 1.0, {1,2,3}: 0.25 -> 0.3
])
def test_free_bits_clamps_exactly(groups, threshold, expected):
  model = _model(free_bits=threshold, free_bits_groups=groups)
  q = _q()
  got = float(model.kl_objective(q, _kl(q)))
  assert got == pytest.approx(expected, abs=1e-6)


def test_no_free_bits_is_the_batch_mean_kl():
  q = _q()
  assert float(_model().kl_objective(q, _kl(q))) == pytest.approx(1.25, abs=1e-6)


def test_clamped_groups_get_no_gradient():
  model = _model(free_bits=0.5, free_bits_groups=2)
  loc = tf.Variable([[2.0, 0.3, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]])
  with tf.GradientTape() as tape:
    q = tfd.MultivariateNormalDiag(loc=loc, scale_diag=tf.ones([2, D]))
    objective = model.kl_objective(q, _kl(q))
  grad = tape.gradient(objective, loc).numpy()
  np.testing.assert_array_equal(grad[:, 2:], 0.0)  # group 2 KL 0.25 < 0.5
  np.testing.assert_allclose(grad[:, :2], loc.numpy()[:, :2] / 2)  # d/dmu mean mu^2/2


@pytest.mark.parametrize("posterior", ["diag", "full_cov"])
def test_loss_uses_beta_and_free_bits_elbo_stays_true(posterior):
  """loss = -rec + beta * KL_fb and elbo = rec - KL, so loss + elbo = beta KL_fb - KL;
  both posteriors' KLs are analytic, so this holds exactly for one call."""
  model = _model(posterior=posterior, free_bits=5.0, free_bits_groups=2)
  x = tf.constant((np.random.default_rng(0).random((5, 6)) > 0.5).astype(np.float32))
  model(x)
  model.kl_weight.assign(0.7)
  q = model.encode(x)
  kl = _kl(q)
  kl_fb = float(model.kl_objective(q, kl))
  assert kl_fb > float(tf.reduce_mean(kl))  # the clamp is active at initialisation
  terms = model.loss_terms(x)
  assert float(terms["kl"]) == pytest.approx(float(tf.reduce_mean(kl)), abs=1e-5)
  assert float(terms["loss"] + terms["elbo"]) == pytest.approx(
      0.7 * kl_fb - float(tf.reduce_mean(kl)), abs=1e-4)
  assert float(terms["elbo"]) == pytest.approx(
      float(terms["reconstruction"] - terms["kl"]), abs=1e-5)


def test_constant_beta_without_free_bits():
  model = _model()
  x = tf.constant((np.random.default_rng(1).random((5, 6)) > 0.5).astype(np.float32))
  model(x)
  model.kl_weight.assign(4.0)  # a beta-VAE
  terms = model.loss_terms(x)
  assert float(terms["loss"]) == pytest.approx(
      float(-terms["reconstruction"] + 4.0 * terms["kl"]), abs=1e-4)


def test_flow_posteriors_allow_one_group_only():
  with pytest.raises(ValueError, match="free_bits_groups=1"):
    _model(posterior="planar", posterior_kwargs=dict(num_flows=2), free_bits=0.5)
  model = _model(posterior="planar", posterior_kwargs=dict(num_flows=2), free_bits=3.0,
                 free_bits_groups=1)
  per_example_kl = tf.constant([1.0, 2.0, 4.0])
  assert float(model.kl_objective(None, per_example_kl)) == pytest.approx(3.0)
  assert float(model.kl_objective(None, per_example_kl * 2)) == pytest.approx(14 / 3)
