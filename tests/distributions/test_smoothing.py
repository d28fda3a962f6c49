"""Smoothing transformations r(zeta|z): inverse CDFs, densities, sampling (DVAE sec. 2, D, E)."""
import numpy as np
import pytest
import tensorflow as tf

from tfvae.distributions import smoothing as sm

Q = np.array([0.02, 0.2, 0.5, 0.77, 0.98], np.float32)


def _families(q):
  q = tf.constant(q)
  return {
      "spike_and_exponential": sm.SpikeAndExponential(q, beta=3.0),
      "spike_and_slab": sm.SpikeAndSlab(q),
      "mixture_of_ramps": sm.MixtureOfRamps(q),
      "spike_and_gaussian": sm.SpikeAndGaussian(q, loc=tf.constant([0.5, -1.0, 2.0, 0.3, 1.0]),
                                                scale=tf.constant([1.0, 0.5, 2.0, 0.7, 1.5])),
  }


@pytest.mark.parametrize("name", sorted(sm.SMOOTHINGS))
def test_cdf_of_quantile_is_identity(name):
  dist = _families(Q)[name]
  rho = tf.constant(np.linspace(0.0005, 0.9995, 401, dtype=np.float32)[:, None])
  zeta = dist.quantile(rho)
  cdf = dist.cdf(zeta).numpy()
  rho = np.broadcast_to(rho.numpy(), cdf.shape)
  if dist.has_spike:
    # Inside the atom at 0 the generalized inverse returns 0 and F(0-) <= rho <= F(0).
    atom = zeta.numpy() == 0.0
    left = dist.cdf(tf.fill(zeta.shape, -1e-7)).numpy()
    assert np.all(left[atom] <= rho[atom] + 1e-5) and np.all(rho[atom] <= cdf[atom] + 1e-5)
    np.testing.assert_allclose(cdf[~atom], rho[~atom], atol=2e-5)
    assert atom.any() and (~atom).any()
  else:
    np.testing.assert_allclose(cdf, rho, atol=2e-5)


@pytest.mark.parametrize("name", sorted(sm.SMOOTHINGS))
def test_sample_histogram_matches_cdf_and_atom(name):
  n = 100_000
  q = np.full([n, 5], Q)
  dist = _families(q)[name]
  zeta = dist.sample(seed=tf.constant([3, 4])).numpy()
  for k, qk in enumerate(Q):
    col = zeta[:, k]
    single = _families(np.full([1, 5], Q))[name]
    if dist.has_spike:
      frac = np.mean(col == 0.0)
      se = np.sqrt(qk * (1 - qk) / n)
      assert abs(frac - (1 - qk)) < 5 * se + 1e-4, (k, frac, 1 - qk)
    cont = col[col != 0.0] if dist.has_spike else col
    lo, hi = np.quantile(cont, [0.001, 0.999])
    edges = np.linspace(lo, hi, 21)
    cdf_edges = single.cdf(tf.constant(np.tile(edges[:, None], [1, 5]),
                                       tf.float32)).numpy()[:, k]
    expected = np.diff(cdf_edges)
    observed = np.histogram(col, bins=edges)[0] / n
    se = np.sqrt(expected * (1 - expected) / n)
    assert np.all(np.abs(observed - expected) < 5 * se + 2e-4), (k, observed, expected)


@pytest.mark.parametrize("name", sorted(sm.SMOOTHINGS))
def test_log_prob_is_derivative_of_cdf(name):
  dist = _families(Q)[name]
  grid = np.linspace(0.05, 0.95, 19, dtype=np.float32)[:, None] * np.ones([1, 5], np.float32)
  grid = tf.constant(grid)
  with tf.GradientTape() as tape:
    tape.watch(grid)
    cdf = dist.cdf(grid)
  density = tape.gradient(cdf, grid).numpy()
  np.testing.assert_allclose(np.exp(dist.log_prob(grid).numpy()), density, rtol=1e-3, atol=1e-5)
  if dist.has_spike:
    np.testing.assert_allclose(np.exp(dist.log_prob(tf.zeros([5])).numpy()), 1 - Q, rtol=1e-5)


@pytest.mark.parametrize("name", sorted(sm.SMOOTHINGS))
def test_quantile_gradient_obeys_implicit_function_theorem(name):
  """Eq. 21: r(zeta) dF^{-1}/dq = -dF/dq at zeta = F^{-1}(rho) (continuous part)."""
  rho = tf.constant(np.linspace(0.03, 0.97, 33, dtype=np.float32)[:, None])
  q = tf.constant(np.tile(Q, [33, 1]))
  with tf.GradientTape() as tape:
    tape.watch(q)
    zeta = _families(q)[name].quantile(rho)
  dzeta_dq = tape.gradient(zeta, q)
  zeta_fixed = tf.stop_gradient(zeta)
  with tf.GradientTape() as tape:
    tape.watch(q)
    cdf = _families(q)[name].cdf(zeta_fixed)
  dcdf_dq = tape.gradient(cdf, q)
  dens = tf.exp(_families(q)[name].log_prob(zeta_fixed))
  mask = (zeta_fixed.numpy() != 0.0)
  np.testing.assert_allclose((dens * dzeta_dq).numpy()[mask], -dcdf_dq.numpy()[mask],
                             rtol=2e-3, atol=2e-4)


def test_spike_and_gaussian_shifted_map_is_the_same_distribution():
  n = 200_000
  dist = sm.SpikeAndGaussian(tf.fill([n], 0.6), loc=0.4, scale=0.8)
  rho = tf.random.stateless_uniform([n], seed=[5, 6])
  a = np.sort(dist.quantile(rho).numpy())
  b = np.sort(dist.reparameterized_sample(rho).numpy())
  # Same law: compare quantiles (two-sample KS distance).
  grid = np.linspace(-3, 4, 200)
  ks = np.max(np.abs(np.searchsorted(a, grid) - np.searchsorted(b, grid))) / n
  assert ks < 1.36 * np.sqrt(2.0 / n) * 1.5
  assert not np.allclose(dist.quantile(rho).numpy(), dist.reparameterized_sample(rho).numpy())


def test_spike_and_gaussian_extra_kl_matches_monte_carlo():
  n = 200_000
  q, loc, scale = 0.7, 1.3, 0.6
  dist = sm.SpikeAndGaussian(tf.fill([n], q), loc=loc, scale=scale, prior_scale=1.0)
  zeta, z = dist.sample_with_z(seed=tf.constant([7, 8]))
  # eq. 22: sum_z q(z) KL[q(zeta|z,x) || p(zeta|z)] = E_q[ z (log q(zeta|1) - log p(zeta|1)) ].
  per = (z * -dist.slab_log_ratio(zeta)).numpy()
  se = per.std() / np.sqrt(n)
  assert abs(per.mean() - dist.extra_kl().numpy()[0]) < 5 * se


@pytest.mark.parametrize("name", sorted(sm.SMOOTHINGS))
def test_discrete_unit_and_conditional(name):
  """E[z] = q, and zeta | z is r(zeta | z) (checked through its mean)."""
  n = 100_000
  q = 0.35
  dist = _families(np.full([n, 5], 0.35, np.float32))[name]
  if name == "spike_and_gaussian":
    dist = sm.SpikeAndGaussian(tf.fill([n, 5], q), loc=0.0, scale=1.0)
  zeta, z = dist.sample_with_z(seed=tf.constant([1, 9]))
  z = z.numpy()[:, 0]
  zeta = zeta.numpy()[:, 0]
  assert abs(z.mean() - q) < 5 * np.sqrt(q * (1 - q) / n)
  mean_prob_one = dist.prob_one(tf.constant(zeta[:, None] * np.ones([1, 5], np.float32)))
  assert abs(mean_prob_one.numpy()[:, 0].mean() - q) < 5 * np.sqrt(q * (1 - q) / n)
  prior_one = dist.conditional(tf.ones([n, 5])).sample(seed=tf.constant([2, 2])).numpy()[:, 0]
  a, b = zeta[z == 1], prior_one
  se = np.sqrt(a.var() / len(a) + b.var() / len(b))
  assert abs(a.mean() - b.mean()) < 5 * se
  prior_zero = dist.conditional(tf.zeros([n, 5])).sample(seed=tf.constant([2, 3])).numpy()[:, 0]
  if dist.has_spike:
    assert np.all(prior_zero == 0.0) and np.all(zeta[z == 0] == 0.0)
  else:
    assert abs(prior_zero.mean() - 1.0 / 3.0) < 5 * prior_zero.std() / np.sqrt(n)


def test_spike_and_exponential_rectifies_and_matches_eq9():
  q = tf.constant([0.3, 0.8])
  beta = 3.0
  rho = tf.constant([0.5, 0.5])
  got = sm.SpikeAndExponential(q, beta).quantile(rho).numpy()
  expected = [0.0, np.log((0.5 + 0.8 - 1) / 0.8 * (np.exp(beta) - 1) + 1) / beta]
  np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_unknown_smoothing_is_a_clear_error():
  with pytest.raises(KeyError, match="known"):
    sm.smoothing_class("spike_and_banana")
