"""Tests of tfvae.distributions.gmvae_terms: each analytic piece of eq. 19 vs Monte Carlo."""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.distributions import gaussian_mixture as gm
from tfvae.distributions import gmvae_terms as gt

tfd = tfp.distributions
N = 20000


def _gauss(rng, shape, spread=1.0):
  return ((spread * rng.normal(size=shape)).astype(np.float32),
          np.exp(0.4 * rng.normal(size=shape)).astype(np.float32))


def _assert_close_mc(analytic, samples, num_se=4.0):
  """|analytic - mean(samples)| < num_se standard errors (samples on axis 0)."""
  samples = np.asarray(samples, np.float64)
  mean = samples.mean(0)
  se = samples.std(0) / np.sqrt(samples.shape[0])
  np.testing.assert_array_less(np.abs(np.asarray(analytic) - mean), num_se * se + 1e-5)


def test_w_prior_kl_vs_monte_carlo():
  rng = np.random.default_rng(0)
  q_loc, q_scale = _gauss(rng, (4, 3))
  p_loc, p_scale = _gauss(rng, (4, 3))
  kl = gt.w_prior_kl(q_loc, q_scale, p_loc, p_scale).numpy()
  q = tfd.MultivariateNormalDiag(q_loc, q_scale)
  p = tfd.MultivariateNormalDiag(p_loc, p_scale)
  w = q.sample(N, seed=tf.constant([1, 2]))
  _assert_close_mc(kl, (q.log_prob(w) - p.log_prob(w)).numpy())


def test_v_posterior_is_bayes_rule_and_averages_to_the_prior():
  """Eq. 15 equals pi_k N_k(z) / p(z | w) exactly, and E_{z ~ p(z|w)}[tau(z)] = pi."""
  rng = np.random.default_rng(1)
  log_pi = tf.nn.log_softmax(rng.normal(size=(2, 3)).astype(np.float32)).numpy()
  loc_k, scale_k = _gauss(rng, (2, 3, 2), spread=1.5)
  mixture = gm.diag_gaussian_mixture(log_pi, loc_k, scale_k)
  z = mixture.sample(N, seed=tf.constant([3, 4]))  # [N, 2, 2]
  log_tau = gt.v_posterior_log_probs(log_pi, z, loc_k, scale_k)
  comps = tfd.MultivariateNormalDiag(loc_k, scale_k)
  bayes = log_pi + comps.log_prob(z[:, :, tf.newaxis, :]) - mixture.log_prob(z)[..., None]
  np.testing.assert_allclose(log_tau.numpy(), bayes.numpy(), rtol=1e-4, atol=1e-4)
  np.testing.assert_allclose(gt.mixture_log_prob(log_pi, z, loc_k, scale_k).numpy(),
                             mixture.log_prob(z).numpy(), rtol=1e-5, atol=1e-4)
  _assert_close_mc(np.exp(log_pi), np.exp(log_tau.numpy()))


def test_conditional_prior_kl_vs_monte_carlo():
  """sum_k tau_k KL(q(z) || N_k) = E_{v ~ tau, z ~ q}[log q(z) - log N_v(z)]."""
  rng = np.random.default_rng(2)
  log_tau = tf.nn.log_softmax(rng.normal(size=(3, 4)).astype(np.float32))
  q_loc, q_scale = _gauss(rng, (3, 2))
  loc_k, scale_k = _gauss(rng, (3, 4, 2))
  analytic = gt.conditional_prior_kl(log_tau, q_loc, q_scale, loc_k, scale_k).numpy()
  seed_v, seed_z = tfp.random.split_seed(tf.constant([5, 6]), 2)
  v = tfd.Categorical(logits=log_tau).sample(N, seed=seed_v)  # [N, 3]
  q = tfd.MultivariateNormalDiag(q_loc, q_scale)
  z = q.sample(N, seed=seed_z)  # [N, 3, 2]
  log_nk = gt.component_log_prob(z, loc_k, scale_k)  # [N, 3, 4]
  log_nv = tf.gather(log_nk, v, axis=2, batch_dims=2)
  _assert_close_mc(analytic, (q.log_prob(z) - log_nv).numpy())


def test_v_prior_kl_vs_monte_carlo():
  rng = np.random.default_rng(3)
  log_tau = tf.nn.log_softmax(rng.normal(size=(5, 4)).astype(np.float32))
  log_pi = tf.nn.log_softmax(rng.normal(size=(5, 4)).astype(np.float32))
  analytic = gt.v_prior_kl(log_tau, log_pi).numpy()
  v = tfd.Categorical(logits=log_tau).sample(N, seed=tf.constant([7, 8]))
  diff = tf.broadcast_to(log_tau - log_pi, [N, 5, 4])
  ratio = tf.gather(diff, v, axis=2, batch_dims=2)
  _assert_close_mc(analytic, ratio.numpy())
  assert np.all(analytic >= 0)


def test_exact_latent_kl_identity():
  """With tau evaluated at the same z, the conditional-prior and v-prior integrands sum
  to log q(z) - log p(z | w) (pointwise; the v terms marginalise out)."""
  rng = np.random.default_rng(4)
  log_pi = tf.nn.log_softmax(rng.normal(size=(6, 3)).astype(np.float32))
  q_loc, q_scale = _gauss(rng, (6, 2))
  loc_k, scale_k = _gauss(rng, (6, 3, 2))
  z = q_loc + q_scale * rng.normal(size=(6, 2)).astype(np.float32)
  log_tau = gt.v_posterior_log_probs(log_pi, z, loc_k, scale_k)
  log_q = gt.diag_gaussian_log_prob(z, q_loc, q_scale)
  conditional = tf.reduce_sum(
      tf.exp(log_tau) * (log_q[..., None] - gt.component_log_prob(z, loc_k, scale_k)), -1)
  total = conditional + gt.v_prior_kl(log_tau, log_pi)
  exact = gt.latent_kl_exact(z, q_loc, q_scale, log_pi, loc_k, scale_k)
  np.testing.assert_allclose(total.numpy(), exact.numpy(), rtol=1e-4, atol=1e-4)


def _toy_step(rng, k):
  q_z = _gauss(rng, (3, 2))
  q_w = _gauss(rng, (3, 2))
  p_w = _gauss(rng, (3, 2))
  log_pi = tf.nn.log_softmax(rng.normal(size=(3, k)).astype(np.float32))
  a = rng.normal(size=(2, k, 2)).astype(np.float32)

  def mixture_fn(w):  # phi_GM: affine in w, K components of size 2
    loc = tf.einsum("...i,ikd->...kd", w, a)
    return loc, tf.nn.softplus(loc) + 0.5

  x = rng.normal(size=(3, 2)).astype(np.float32)

  def log_likelihood_fn(z):  # log N(x | z, I)
    return gt.diag_gaussian_log_prob(x, z, tf.ones_like(z))

  return q_z, q_w, p_w, log_pi, mixture_fn, log_likelihood_fn, x


def test_eq19_terms_vs_monte_carlo():
  """Reconstruction vs its closed form for p(x|z) = N(z, I); w-prior is analytic; for
  K = 1 (tau = 1) the conditional-prior term and the exact latent KL estimate the same
  E_w[KL(q(z) || p(z|w))] and the v-prior term vanishes."""
  rng = np.random.default_rng(5)
  q_z, q_w, p_w, log_pi, mixture_fn, log_lik, x = _toy_step(rng, k=1)
  out = gt.eq19_terms(*q_z, *q_w, *p_w, log_pi, mixture_fn, log_lik, N,
                      seed=tf.constant([9, 10]))
  z, w = out["z"].numpy(), out["w"].numpy()
  assert z.shape == (N, 3, 2) and w.shape == (N, 3, 2)
  # Samples follow q(z) and q(w).
  _assert_close_mc(q_z[0], z)
  _assert_close_mc(q_w[0], w)
  # Reconstruction: E_q log N(x | z, I) = log N(x | mu_z, I) - sum sigma_z^2 / 2.
  closed = (gt.diag_gaussian_log_prob(x, q_z[0], np.ones_like(x)).numpy()
            - 0.5 * np.sum(q_z[1]**2, -1))
  _assert_close_mc(closed, log_lik(out["z"]).numpy())
  np.testing.assert_allclose(out["reconstruction"].numpy(),
                             log_lik(out["z"]).numpy().mean(0), rtol=1e-5)
  np.testing.assert_allclose(out["w_prior"].numpy(),
                             gt.w_prior_kl(*q_w, *p_w).numpy(), rtol=1e-6)
  np.testing.assert_allclose(out["v_prior"].numpy(), 0.0, atol=1e-6)
  loc_k, scale_k = mixture_fn(out["w"])
  per_sample_cond = gt.conditional_prior_kl(out["log_tau"], *q_z, loc_k, scale_k).numpy()
  per_sample_exact = gt.latent_kl_exact(out["z"], *q_z, log_pi, loc_k, scale_k).numpy()
  diff = per_sample_cond - per_sample_exact
  _assert_close_mc(np.zeros(3), diff)
  np.testing.assert_allclose(out["latent_kl_exact"].numpy(),
                             per_sample_exact.mean(0) + out["w_prior"].numpy(), rtol=1e-5)


def test_eq19_terms_shapes_and_finite_for_mixtures():
  rng = np.random.default_rng(6)
  q_z, q_w, p_w, log_pi, mixture_fn, log_lik, _ = _toy_step(rng, k=4)
  out = gt.eq19_terms(*q_z, *q_w, *p_w, log_pi, mixture_fn, log_lik, 3,
                      seed=tf.constant([1, 2]))
  for name in ("reconstruction", "conditional_prior", "w_prior", "v_prior",
               "latent_kl_exact"):
    assert out[name].shape == (3,), name
    assert np.all(np.isfinite(out[name].numpy())), name
  assert np.all(out["v_prior"].numpy() >= 0)
  assert out["log_tau"].shape == (3, 3, 4)
