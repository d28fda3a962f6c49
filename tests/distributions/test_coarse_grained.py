"""Tests of the coarse-grained BPEF pieces (Sun & Zhang 2017, sec. 3.2-3.4)."""
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.distributions import coarse_grained as cg

tfd = tfp.distributions


def test_grid_points_match_the_paper_formula():
  np.testing.assert_allclose(cg.grid(5).numpy(), [-1.0, -0.5, 0.0, 0.5, 1.0], atol=1e-7)
  zeta = cg.grid(101).numpy()
  r = np.arange(1, 102)
  np.testing.assert_allclose(zeta, (2 * r - 102) / 100.0, atol=1e-7)
  np.testing.assert_allclose(np.diff(zeta), 0.02, atol=1e-6)
  with pytest.raises(ValueError):
    cg.grid(1)


def test_polynomial_logits_are_sum_of_powers():
  zeta = cg.grid(11, tf.float64)
  design = cg.powers(zeta, 3)
  b = tf.constant([[0.5, -2.0, 1.5], [1.0, 0.0, -1.0]], tf.float64)
  beta = cg.polynomial_logits(b, design).numpy()
  z = zeta.numpy()
  expected = np.stack([0.5 * z - 2.0 * z**2 + 1.5 * z**3, z - z**3])
  np.testing.assert_allclose(beta, expected, atol=1e-12)


def test_eq4_equals_tfp_categorical_kl_and_its_second_form():
  rng = np.random.default_rng(0)
  beta = rng.normal(scale=3.0, size=(4, 3, 101))
  alpha = rng.normal(scale=3.0, size=(4, 3, 101))
  ours = cg.category_kl(tf.constant(beta, tf.float64), tf.constant(alpha, tf.float64))
  tfp_kl = tfd.kl_divergence(tfd.Categorical(logits=beta), tfd.Categorical(logits=alpha))
  np.testing.assert_allclose(ours.numpy(), tfp_kl.numpy(), rtol=1e-10, atol=1e-12)
  # The expanded right-hand side of eq. 4.
  eb = np.exp(beta)
  lse = lambda a: np.log(np.sum(np.exp(a), axis=-1))
  second = (np.sum(eb * (beta - alpha), -1) / np.sum(eb, -1) + lse(alpha) - lse(beta))
  np.testing.assert_allclose(ours.numpy(), second, rtol=1e-9)
  # Large logits stay finite in float32.
  big = cg.category_kl(tf.constant(beta * 100, tf.float32), tf.constant(alpha, tf.float32))
  assert np.all(np.isfinite(big.numpy())) and np.all(big.numpy() >= 0)


@pytest.mark.parametrize("temperature", [0.01, 0.5, 5.0])
def test_z_lies_in_the_unit_interval(temperature):
  grid = cg.CoarseGrainedGrid(num_points=101, order=5)
  coeff = tf.random.stateless_normal([200, 5], seed=[1, 2]) * 20.0
  _, z = grid.sample(grid.logits(coeff), temperature, sample_shape=[5], seed=[3, 4])
  z = z.numpy()
  assert z.shape == (5, 200)
  assert np.all(np.isfinite(z))
  assert z.min() >= -1.0 - 1e-6 and z.max() <= 1.0 + 1e-6


def _snap(z, zeta):
  idx = np.argmin(np.abs(z[:, None] - zeta[None, :]), axis=1)
  return idx, np.abs(z - zeta[idx])


def test_small_temperature_concentrates_on_grid_with_softmax_frequencies():
  """Eq. 3: as T -> 0, z -> zeta_r with probability softmax(beta)_r."""
  grid = cg.CoarseGrainedGrid(num_points=7, order=3)
  zeta = grid.zeta.numpy()
  beta = grid.logits(tf.constant([0.8, -1.5, 0.7]))  # a bi-modal pmf
  p = tf.nn.softmax(beta).numpy()
  n = 20000
  _, z = grid.sample(beta, 1e-3, sample_shape=[n], seed=[5, 6])
  idx, dist = _snap(z.numpy(), zeta)
  assert np.mean(dist < 0.02) > 0.98  # grid spacing is 1/3
  freq = np.bincount(idx, minlength=7) / n
  se = np.sqrt(p * (1 - p) / n)
  assert np.all(np.abs(freq - p) < 4.5 * se + 2e-3), (freq, p)
  # A large temperature does not concentrate (the test can tell the difference).
  _, z_hot = grid.sample(beta, 2.0, sample_shape=[n], seed=[5, 6])
  assert np.mean(_snap(z_hot.numpy(), zeta)[1] < 0.02) < 0.5


def test_polynomial_of_order_r_minus_1_reproduces_any_categorical():
  """Least squares: with M = R - 1 the polynomial logits hit any pmf exactly (sec. 3.3)."""
  rng = np.random.default_rng(1)
  r = 8
  zeta = cg.grid(r, tf.float64)
  for _ in range(5):
    p = rng.dirichlet(np.ones(r))
    target = np.log(p)
    full = np.concatenate([np.ones((r, 1)), cg.powers(zeta, r - 1).numpy()], axis=1)
    coef, *_ = np.linalg.lstsq(full, target, rcond=None)
    beta = cg.polynomial_logits(tf.constant(coef[1:]), cg.powers(zeta, r - 1))
    np.testing.assert_allclose(tf.nn.softmax(beta).numpy(), p, rtol=1e-8, atol=1e-10)
    # A low order cannot (the check is not vacuous).
    low = np.concatenate([np.ones((r, 1)), cg.powers(zeta, 2).numpy()], axis=1)
    coef_low, *_ = np.linalg.lstsq(low, target, rcond=None)
    beta_low = cg.polynomial_logits(tf.constant(coef_low[1:]), cg.powers(zeta, 2))
    assert np.max(np.abs(tf.nn.softmax(beta_low).numpy() - p)) > 1e-3


def test_order_must_be_below_grid_size():
  with pytest.raises(ValueError):
    cg.CoarseGrainedGrid(num_points=5, order=5)


def test_samples_are_reparameterised():
  grid = cg.CoarseGrainedGrid(num_points=21, order=3)
  coeff = tf.Variable([[0.3, -0.2, 0.1]])
  with tf.GradientTape() as tape:
    _, z = grid.sample(grid.logits(coeff), 0.5, sample_shape=[64], seed=[7, 8])
    mean = tf.reduce_mean(z)
  grad = tape.gradient(mean, coeff)
  assert grad is not None and np.all(np.isfinite(grad.numpy()))
  assert np.any(np.abs(grad.numpy()) > 0)


def test_density_integrates_to_one_and_pmf_mean():
  grid = cg.CoarseGrainedGrid(num_points=101, order=5)
  logits = grid.logits(tf.constant([[1.0, -3.0, 0.5, 2.0, -1.0]]))
  density = grid.density(logits).numpy()
  np.testing.assert_allclose(density.sum() * 0.02, 1.0, rtol=1e-5)
  mean = grid.reduce(grid.pmf(logits)).numpy()
  np.testing.assert_allclose(mean, [np.sum(grid.pmf(logits).numpy() * grid.zeta.numpy())],
                             rtol=1e-6)


def test_concrete_draws_are_exactly_tfps_and_gumbel_max_under_xla():
  logits = tf.random.stateless_normal([4, 3, 11], seed=[1, 1]) * 2.0
  seed = tf.constant([5, 9])
  ours = cg.sample_log_concrete(logits, 0.5, [7], seed)
  theirs = cg.exp_concrete(logits, 0.5).sample(7, seed=seed)
  np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
  y = cg.sample_concrete(logits, 0.5, [7], seed)
  np.testing.assert_array_equal(y.numpy(), cg.concrete(logits, 0.5).sample(7, seed=seed))
  # Under XLA the Philox stream differs, but the Gumbel-max property must hold:
  # argmax y ~ Categorical(softmax(logits)) at any temperature.
  n = 20000
  jitted = tf.function(lambda s: cg.sample_log_concrete(logits[0, 0], 0.5, [n], s),
                       jit_compile=True)(seed)
  freq = np.bincount(np.argmax(jitted.numpy(), -1), minlength=11) / n
  p = tf.nn.softmax(logits[0, 0]).numpy()
  assert np.all(np.abs(freq - p) < 4.5 * np.sqrt(p * (1 - p) / n) + 1e-3), (freq, p)


def test_one_hot_draws_have_softmax_frequencies_and_log_prob():
  logits = tf.constant([1.0, -0.5, 0.2, 2.0, -3.0])
  n = 20000
  draws = cg.sample_one_hot(logits, [n], tf.constant([2, 3])).numpy()
  assert draws.shape == (n, 5) and np.all(draws.sum(-1) == 1)
  p = tf.nn.softmax(logits).numpy()
  freq = draws.mean(0)
  assert np.all(np.abs(freq - p) < 4.5 * np.sqrt(p * (1 - p) / n) + 1e-3), (freq, p)
  np.testing.assert_allclose(cg.one_hot_log_prob(tf.eye(5), logits).numpy(), np.log(p),
                             rtol=1e-5)
