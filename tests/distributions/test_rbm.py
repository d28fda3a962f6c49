"""Bipartite RBM: energy, free energy, block Gibbs and persistent chains (DVAE eq. 6)."""
import numpy as np
import pytest
import tensorflow as tf

from tfvae.distributions import rbm as rbm_lib
from tfvae.distributions.rbm_partition import exact_marginals


def _random_params(n_left, n_right, scale, seed):
  rng = np.random.default_rng(seed)
  return (rng.normal(0, scale, (n_left, n_right)).astype(np.float32),
          rng.normal(0, 1, n_left).astype(np.float32),
          rng.normal(0, 1, n_right).astype(np.float32))


def _make_layer(params, **kwargs):
  layer = rbm_lib.BipartiteRBM(len(params[1]), len(params[2]), **kwargs)
  layer.w.assign(params[0])
  layer.b_left.assign(params[1])
  layer.b_right.assign(params[2])
  return layer


def test_energy_matches_quadratic_form_and_free_energy():
  w, bl, br = _random_params(3, 4, 1.0, 0)
  states = rbm_lib.all_binary_states(7)
  e = rbm_lib.energy(tf.constant(states), w, bl, br).numpy()
  full = np.zeros([7, 7], np.float32)
  full[:3, 3:] = w
  b = np.concatenate([bl, br])
  expected = -(np.einsum("si,ij,sj->s", states, full, states) + states @ b)
  np.testing.assert_allclose(e, expected, rtol=1e-5, atol=1e-5)
  # -F(l) = log sum_r exp(-E(l, r)).
  left = rbm_lib.all_binary_states(3)
  neg_f = rbm_lib.neg_free_energy_left(tf.constant(left), w, bl, br).numpy()
  for k, l in enumerate(left):
    rows = np.all(states[:, :3] == l, axis=1)
    np.testing.assert_allclose(neg_f[k], np.log(np.exp(-e[rows]).sum()), rtol=1e-5)


def test_block_gibbs_marginals_match_exact_marginals():
  params = _random_params(3, 4, 1.5, 1)
  layer = _make_layer(params, num_chains=4000, gibbs_steps=30)
  z = layer.sample(4000, 30, tf.constant([1, 2])).numpy()
  exact = exact_marginals(*params).numpy()
  se = np.sqrt(exact * (1 - exact) / len(z))
  assert np.all(np.abs(z.mean(0) - exact) < 5 * se + 1e-3), (z.mean(0), exact)
  # Pairwise statistic E[l_0 r_0] against enumeration of the joint.
  states = rbm_lib.all_binary_states(7)
  logp = -rbm_lib.energy(tf.constant(states), *params).numpy()
  p = np.exp(logp - logp.max())
  p /= p.sum()
  pair = np.sum(p * states[:, 0] * states[:, 3])
  se = np.sqrt(pair * (1 - pair) / len(z))
  assert abs(np.mean(z[:, 0] * z[:, 3]) - pair) < 5 * se


def test_gibbs_is_not_trivially_right():
  """Zero sweeps from the uniform start do NOT match the marginals (the test has power)."""
  params = _random_params(3, 4, 1.5, 1)
  layer = _make_layer(params)
  z = layer.sample(4000, 0, tf.constant([1, 2])).numpy()
  exact = exact_marginals(*params).numpy()
  se = np.sqrt(exact * (1 - exact) / len(z))
  assert np.any(np.abs(z.mean(0) - exact) > 5 * se)


def test_persistent_chains_advance_and_converge():
  params = _random_params(4, 3, 1.0, 2)
  layer = _make_layer(params, num_chains=3000, gibbs_steps=5)
  before = layer.chains.numpy().copy()
  for i in range(6):
    state = layer.advance_chains(tf.constant([7, i]))
  np.testing.assert_array_equal(state.numpy(), layer.chains.numpy())
  assert not np.array_equal(before, layer.chains.numpy())
  assert not layer.chains.trainable
  exact = exact_marginals(*params).numpy()
  se = np.sqrt(exact * (1 - exact) / 3000)
  assert np.all(np.abs(layer.chains.numpy().mean(0) - exact) < 5 * se + 1e-3)
  # Rao-Blackwellised right side: its mean is the exact right marginal, lower variance.
  rb = layer.negative_phase_state().numpy()
  np.testing.assert_array_equal(rb[:, :4], layer.chains.numpy()[:, :4])
  assert np.all(np.abs(rb[:, 4:].mean(0) - exact[4:]) < 5 * se[4:] + 1e-3)
  assert np.all(rb[:, 4:].var(0) < layer.chains.numpy()[:, 4:].var(0))


def test_gibbs_is_seeded():
  params = _random_params(5, 6, 1.0, 3)
  layer = _make_layer(params)
  fn = tf.function(lambda seed: layer.sample(16, 7, seed))
  a, b = fn(tf.constant([1, 1])), fn(tf.constant([1, 1]))
  c = fn(tf.constant([1, 2]))
  np.testing.assert_array_equal(a.numpy(), b.numpy())
  assert not np.array_equal(a.numpy(), c.numpy())
  assert set(np.unique(a.numpy())) <= {0.0, 1.0}


def test_factorial_rbm_keeps_zero_couplings():
  layer = rbm_lib.BipartiteRBM(4, 4, couplings=False)
  assert not layer.w.trainable
  assert layer.w in layer.non_trainable_weights
  np.testing.assert_array_equal(layer.w.numpy(), 0.0)
  layer.b_left.assign([0.5, -1.0, 2.0, 0.0])
  from tfvae.distributions.rbm_partition import exact_log_partition
  np.testing.assert_allclose(layer.log_partition_factorial().numpy(),
                             exact_log_partition(layer.w.numpy(), layer.b_left.numpy(),
                                                 layer.b_right.numpy()).numpy(), rtol=1e-6)


def test_bad_sizes_raise():
  with pytest.raises(ValueError, match="both sides"):
    rbm_lib.BipartiteRBM(0, 4)


@pytest.mark.parametrize("beta", [1.0, 0.5])
def test_chain_makes_the_draws_of_repeated_sweeps(beta):
  """``gibbs_chain`` carries the sides apart for speed; it must draw what ``num_sweeps``
  calls of ``gibbs_sweep`` with seeds fold_in(seed, i) draw (exactly at beta = 1; at
  beta != 1 the couplings are scaled before the product, so a draw within rounding of
  its threshold may differ)."""
  rng = np.random.default_rng(3)
  n_l, n_r, chains, sweeps = 5, 4, 300, 7
  w = tf.constant(rng.normal(0.0, 1.0, (n_l, n_r)), tf.float32)
  b_l = tf.constant(rng.normal(0.0, 1.0, n_l), tf.float32)
  b_r = tf.constant(rng.normal(0.0, 1.0, n_r), tf.float32)
  z0 = tf.constant(rng.integers(0, 2, (chains, n_l + n_r)), tf.float32)
  seed = tf.constant([4, 9], tf.int32)
  expected = z0
  for i in range(sweeps):
    expected = rbm_lib.gibbs_sweep(expected, w, b_l, b_r,
                                   tf.random.experimental.stateless_fold_in(seed, i), beta)
  got = rbm_lib.gibbs_chain(z0, w, b_l, b_r, sweeps, seed, beta)
  same = np.mean(got.numpy() == expected.numpy())
  assert same == 1.0 if beta == 1.0 else same > 0.999
  assert np.mean(got.numpy() != z0.numpy()) > 0.2  # the chain moved
