"""Tests of tfvae.distributions.gaussian_mixture (VRNN report section 5.1, eq. 3-8)."""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.distributions import gaussian_mixture as gm

tfd = tfp.distributions


def _random_mixture(rng, batch, k, d, spread=2.0):
  logits = rng.normal(size=batch + (k,)).astype(np.float32)
  loc = (spread * rng.normal(size=batch + (k, d))).astype(np.float32)
  scale = np.exp(0.5 * rng.normal(size=batch + (k, d))).astype(np.float32)
  return logits, loc, scale


def test_mixture_log_prob_matches_explicit_logsumexp():
  rng = np.random.default_rng(0)
  logits, loc, scale = _random_mixture(rng, (3,), 4, 2)
  x = rng.normal(size=(5, 3, 2)).astype(np.float32)
  mixture = gm.diag_gaussian_mixture(logits, loc, scale)
  log_pi = logits - np.log(np.sum(np.exp(logits), -1, keepdims=True))
  diff = (x[:, :, None, :] - loc) / scale
  log_comp = np.sum(-0.5 * diff**2 - np.log(scale) - 0.5 * np.log(2 * np.pi), -1)
  a = log_pi + log_comp
  expected = a.max(-1) + np.log(np.sum(np.exp(a - a.max(-1, keepdims=True)), -1))
  np.testing.assert_allclose(mixture.log_prob(x).numpy(), expected, rtol=1e-5, atol=1e-5)
  log_pi2, loc2, scale2 = gm.mixture_parameters(mixture)
  np.testing.assert_allclose(log_pi2.numpy(), log_pi, atol=1e-6)
  np.testing.assert_allclose(loc2.numpy(), loc, atol=1e-6)
  np.testing.assert_allclose(scale2.numpy(), scale, rtol=1e-6)


def test_diag_gaussian_kl_matches_tfp():
  rng = np.random.default_rng(1)
  _, loc_p, scale_p = _random_mixture(rng, (2,), 3, 4)
  _, loc_q, scale_q = _random_mixture(rng, (2,), 3, 4)
  ours = gm.diag_gaussian_kl(loc_p, scale_p, loc_q, scale_q)
  tfp_kl = tfd.kl_divergence(tfd.MultivariateNormalDiag(loc_p, scale_p),
                             tfd.MultivariateNormalDiag(loc_q, scale_q))
  np.testing.assert_allclose(ours.numpy(), tfp_kl.numpy(), rtol=1e-5, atol=1e-5)


def test_matched_bound_is_the_joint_kl_and_bounds_the_mc_kl():
  """Eq. 3 for the identity matching (the paper's) and for random permutations.

  The bound equals KL(pi_a f_a(z) || omega_m(a) g_m(a)(z)) on (a, z), estimated here by
  Monte Carlo, and is >= the Monte Carlo KL(f || g) between the mixtures.
  """
  rng = np.random.default_rng(2)
  batch, k, d, n = (6,), 3, 2, 20000
  f_params = _random_mixture(rng, batch, k, d, spread=1.0)
  g_params = _random_mixture(rng, batch, k, d, spread=1.0)
  f = gm.diag_gaussian_mixture(*f_params)
  g = gm.diag_gaussian_mixture(*g_params)
  mc, mc_se = gm.monte_carlo_kl(f, g, n, seed=tf.constant([3, 4]))
  for permutation in (None, [2, 0, 1], [1, 0, 2]):
    bound = gm.matched_bound_kl(f, g, permutation=permutation).numpy()
    # Upper bound on the mixture KL (true for any one-to-one matching).
    assert np.all(bound >= mc.numpy() - 4.0 * mc_se.numpy()), (permutation, bound, mc)
    # ... and it is exactly the KL between the joints over (component, z).
    perm = np.arange(k) if permutation is None else np.asarray(permutation)
    seed_a, seed_z = tfp.random.split_seed(tf.constant([5, 6]), 2)
    a = tfd.Categorical(logits=f_params[0]).sample(n, seed=seed_a)  # [n, B]
    f_comp = tfd.MultivariateNormalDiag(f_params[1], f_params[2])  # batch [B, K]
    z_all = f_comp.sample(n, seed=seed_z)  # [n, B, K, D]
    z = tf.gather(z_all, a, axis=2, batch_dims=2)  # [n, B, D]
    log_pf = tf.nn.log_softmax(f_params[0])
    log_pg = tf.gather(tf.nn.log_softmax(g_params[0]), perm, axis=-1)
    g_comp = tfd.MultivariateNormalDiag(tf.gather(g_params[1], perm, axis=-2),
                                        tf.gather(g_params[2], perm, axis=-2))
    zk = z[:, :, tf.newaxis, :]
    log_joint_f = tf.gather(log_pf + f_comp.log_prob(zk), a, axis=2, batch_dims=2)
    log_joint_g = tf.gather(log_pg + g_comp.log_prob(zk), a, axis=2, batch_dims=2)
    ratio = (log_joint_f - log_joint_g).numpy()
    joint, joint_se = ratio.mean(0), ratio.std(0) / np.sqrt(n)
    np.testing.assert_array_less(np.abs(bound - joint), 4.0 * joint_se + 1e-4)


def test_matched_bound_special_cases():
  rng = np.random.default_rng(3)
  logits, loc, scale = _random_mixture(rng, (4,), 3, 2)
  f = gm.diag_gaussian_mixture(logits, loc, scale)
  np.testing.assert_allclose(gm.matched_bound_kl(f, f).numpy(), 0.0, atol=1e-5)
  # Identical components: the bound is KL(pi || omega) while KL(f || g) = 0.
  same = np.repeat(loc[:, :1], 3, axis=1), np.repeat(scale[:, :1], 3, axis=1)
  logits_g = rng.normal(size=(4, 3)).astype(np.float32)
  f1 = gm.diag_gaussian_mixture(logits, *same)
  g1 = gm.diag_gaussian_mixture(logits_g, *same)
  expected = gm.categorical_kl(tf.nn.log_softmax(logits), tf.nn.log_softmax(logits_g))
  np.testing.assert_allclose(gm.matched_bound_kl(f1, g1).numpy(), expected.numpy(),
                             rtol=1e-5, atol=1e-6)


def test_gumbel_softmax_low_temperature_matches_mixture():
  """At tau = 0.01 the relaxed weights are almost one-hot, the argmax frequencies match
  pi, and z has the mixture's mean and variance (tolerances from the MC standard error)."""
  logits = np.log(np.array([0.2, 0.5, 0.3], np.float32))
  loc = np.array([[-4.0, 0.0], [0.0, 1.0], [5.0, -2.0]], np.float32)
  scale = np.array([[0.5, 1.0], [1.0, 0.3], [0.7, 0.7]], np.float32)
  n = 20000
  z, v = gm.gumbel_softmax_mixture_sample(logits, loc, scale, 0.01,
                                          seed=tf.constant([7, 8]), sample_shape=(n,))
  v = v.numpy()
  assert v.shape == (n, 3) and z.shape == (n, 2)
  assert np.mean(v.max(-1) > 0.99) > 0.9
  freq = np.bincount(v.argmax(-1), minlength=3) / n
  pi = np.exp(logits)
  np.testing.assert_array_less(np.abs(freq - pi), 4.0 * np.sqrt(pi * (1 - pi) / n))
  mixture = gm.diag_gaussian_mixture(logits, loc, scale)
  z = z.numpy()
  mean, var = mixture.mean().numpy(), np.diag(mixture.covariance().numpy())
  np.testing.assert_array_less(np.abs(z.mean(0) - mean), 4.0 * np.sqrt(var / n))
  fourth = np.mean((z - mean)**4, 0)
  np.testing.assert_array_less(np.abs(z.var(0) - var),
                               4.0 * np.sqrt((fourth - var**2) / n) + 1e-3)


def test_hard_and_straight_through_samples():
  rng = np.random.default_rng(4)
  logits, loc, scale = _random_mixture(rng, (5,), 4, 3)
  seed = tf.constant([1, 1])
  z_hard, v_hard = gm.gumbel_softmax_mixture_sample(logits, loc, scale, 1.0, seed, hard=True)
  assert np.all(np.sum(v_hard.numpy() == 1.0, -1) == 1)
  # Same noise: the hard sample is the component picked by the relaxed sample's argmax.
  _, v_soft = gm.gumbel_softmax_mixture_sample(logits, loc, scale, 1.0, seed)
  np.testing.assert_array_equal(v_hard.numpy().argmax(-1), v_soft.numpy().argmax(-1))
  logits_v = tf.Variable(logits)
  for kwargs in ({}, {"straight_through": True}):
    with tf.GradientTape() as tape:
      z, _ = gm.gumbel_softmax_mixture_sample(logits_v, loc, scale, 0.7, seed, **kwargs)
      loss = tf.reduce_sum(z**2)
    grad = tape.gradient(loss, logits_v)
    assert grad is not None and np.all(np.isfinite(grad.numpy()))
    assert np.abs(grad.numpy()).sum() > 0


def test_gumbel_temperature_schedule():
  steps = np.array([0, 100, 1000, 10**6])
  rate = 1e-3
  tau = gm.gumbel_temperature(steps, rate).numpy()
  np.testing.assert_allclose(tau, np.maximum(0.5, np.exp(-rate * steps)), rtol=1e-6)
  assert tau[0] == 1.0 and tau[-1] == 0.5


def test_noise_based_relaxed_sample_matches_tfp_relaxed_one_hot():
  """Eq. 4-5 from pre-drawn Gumbel noise (the in-loop path) has the distribution of
  tfd.RelaxedOneHotCategorical: same E[v_k] and P(v_k > 0.5) within MC error."""
  logits = np.array([[0.3, -1.0, 0.8], [2.0, 0.0, -0.5]], np.float32)
  tau, n = 0.7, 20000
  g = gm.gumbel_noise([n, 2, 3], seed=tf.constant([11, 12]))
  ours = gm.relaxed_one_hot(logits, g, tau).numpy()
  theirs = tfd.RelaxedOneHotCategorical(tau, logits=logits).sample(
      n, seed=tf.constant([13, 14])).numpy()
  for stat in (lambda v: v, lambda v: (v > 0.5).astype(np.float64)):
    a, b = stat(ours), stat(theirs)
    se = np.sqrt(a.var(0) / n + b.var(0) / n)
    np.testing.assert_array_less(np.abs(a.mean(0) - b.mean(0)), 4.0 * se + 1e-6)
  np.testing.assert_allclose(ours.sum(-1), 1.0, rtol=1e-5)
  # The full eq. 5-8 sample from the same noise equals combine_components of v.
  loc = np.zeros((2, 3, 2), np.float32) + np.arange(3, dtype=np.float32)[:, None]
  eps = np.zeros((n, 2, 3, 2), np.float32)
  z, v = gm.mixture_sample_from_noise(logits, loc, np.ones_like(loc), g, eps, tau)
  np.testing.assert_allclose(z.numpy()[..., 0], (v.numpy() * np.arange(3)).sum(-1), atol=1e-5)
