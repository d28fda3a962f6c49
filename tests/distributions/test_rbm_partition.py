"""log Z of an RBM: enumeration vs brute force; AIS and parallel tempering vs enumeration."""
import itertools

import numpy as np
import pytest

from tfvae.distributions import rbm_partition as rp


def _params(n_left, n_right, scale, seed):
  rng = np.random.default_rng(seed)
  return (rng.normal(0, scale, (n_left, n_right)), rng.normal(0, 1, n_left),
          rng.normal(0, 1, n_right))


def _brute_force_log_z(w, bl, br):
  n_left, n_right = w.shape
  values = []
  for z in itertools.product([0.0, 1.0], repeat=n_left + n_right):
    z = np.array(z)
    l, r = z[:n_left], z[n_left:]
    values.append(l @ w @ r + bl @ l + br @ r)
  values = np.array(values)
  return values.max() + np.log(np.exp(values - values.max()).sum())


@pytest.mark.parametrize("shape", [(4, 5), (6, 3)])
def test_exact_log_z_matches_brute_force(shape):
  params = _params(*shape, 1.0, 0)
  np.testing.assert_allclose(rp.exact_log_partition(*params).numpy(),
                             _brute_force_log_z(*params), rtol=1e-10)


def test_exact_log_z_enumerates_the_small_side_of_a_wide_rbm():
  w, bl, br = _params(3, 40, 0.5, 1)
  a = rp.exact_log_partition(w, bl, br).numpy()
  b = rp.exact_log_partition(w.T, br, bl).numpy()
  np.testing.assert_allclose(a, b, rtol=1e-12)
  with pytest.raises(ValueError, match="24"):
    rp.exact_log_partition(np.zeros([25, 25]), np.zeros(25), np.zeros(25))


def test_exact_marginals_match_brute_force():
  w, bl, br = _params(5, 3, 1.0, 2)
  states = np.array(list(itertools.product([0.0, 1.0], repeat=8)))
  logp = np.einsum("si,ij,sj->s", states[:, :5], w, states[:, 5:]) + states @ np.r_[bl, br]
  p = np.exp(logp - logp.max())
  p /= p.sum()
  np.testing.assert_allclose(rp.exact_marginals(w, bl, br).numpy(), p @ states, rtol=1e-9)


@pytest.mark.parametrize("seed,shape,scale", [(0, (8, 8), 1.0), (1, (12, 6), 1.0),
                                              (2, (10, 30), 0.5), (3, (6, 6), 2.0)])
def test_ais_is_within_its_error_bar_of_the_exact_log_z(seed, shape, scale):
  params = _params(*shape, scale, seed)
  exact = rp.exact_log_partition(*params).numpy()
  est = rp.ais_log_partition(*params, num_chains=200, num_temperatures=500,
                             seed=(seed, 1))
  assert 0 < est.stderr < 0.2
  assert abs(est.log_z - exact) < 4 * est.stderr, (est.log_z, exact, est.stderr)


def test_ais_geometric_schedule_and_more_temperatures():
  params = _params(8, 8, 1.0, 4)
  exact = rp.exact_log_partition(*params).numpy()
  geo = rp.ais_log_partition(*params, num_chains=200, num_temperatures=500,
                             schedule="geometric", seed=(4, 1))
  assert abs(geo.log_z - exact) < 4 * geo.stderr
  few = rp.ais_log_partition(*params, num_chains=200, num_temperatures=5, seed=(4, 2))
  many = rp.ais_log_partition(*params, num_chains=200, num_temperatures=2000, seed=(4, 3))
  assert many.stderr < few.stderr


def test_parallel_tempering_is_within_its_error_bar():
  params = _params(10, 12, 1.0, 5)
  exact = rp.exact_log_partition(*params).numpy()
  est = rp.parallel_tempering_log_partition(*params, num_temperatures=20, num_sweeps=800,
                                            num_runs=8, seed=(5, 1))
  assert 0 < est.stderr < 0.2
  assert abs(est.log_z - exact) < 4 * est.stderr, (est.log_z, exact, est.stderr)


def test_schedules():
  lin = rp.temperature_schedule(4)
  np.testing.assert_allclose(lin, [0, 0.25, 0.5, 0.75, 1.0])
  geo = rp.temperature_schedule(10, "geometric")
  assert geo[0] == 0 and geo[-1] == 1 and np.all(np.diff(geo) > 0)
  with pytest.raises(ValueError):
    rp.temperature_schedule(3, "cosine")
  with pytest.raises(ValueError, match="strictly"):
    rp.ais_log_partition(*_params(2, 2, 1.0, 0), betas=[0.0, 0.7, 0.5, 1.0])
