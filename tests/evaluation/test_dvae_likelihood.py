"""IWAE minus log Z for the Discrete VAE."""
import math

import ml_collections
import numpy as np
import pytest
import tensorflow as tf

from tfvae.evaluation.dvae_likelihood import (dvae_log_likelihood, estimates_log_partition,
                                              log_z_settings)
from tfvae.models.discrete.discrete_vae import DiscreteVAE


def _model_and_data():
  rng = np.random.default_rng(0)
  x = (rng.random((6, 12)) < 0.3).astype(np.float32)
  model = DiscreteVAE(12, rbm_sides=(3, 4), rbm_chains=8, posterior_groups=2,
                      posterior_hidden=(8,), continuous_layers=1, continuous_dim=2,
                      continuous_posterior_hidden=(8,), prior_hidden=(4,))
  model(x)
  model.rbm.w.assign(rng.normal(0, 1.5, (3, 4)).astype(np.float32))
  model.rbm.b_left.assign(rng.normal(0, 1, 3).astype(np.float32))
  return model, tf.data.Dataset.from_tensor_slices(x).batch(3)


def test_log_likelihood_subtracts_log_z_and_tightens_with_k():
  model, data = _model_and_data()
  one = dvae_log_likelihood(model, data, 1, seed=1, log_z={"method": "exact"}, log=None)
  many = dvae_log_likelihood(model, data, 400, chunk_size=150, seed=1,
                             log_z={"method": "exact"}, log=None)
  assert many["log_z_stderr"] == 0.0 and many["examples"] == 6
  assert many["log_likelihood"] > one["log_likelihood"]
  np.testing.assert_allclose(model.log_z.numpy(), many["log_z"], rtol=1e-6)
  # The same weights without log Z are shifted by exactly log Z.
  model.log_z.assign(0.0)
  shifted = model.log_importance_weights(tf.ones([1, 12]), 3, tf.constant([0, 0]))
  model.log_z.assign(many["log_z"])
  unshifted = model.log_importance_weights(tf.ones([1, 12]), 3, tf.constant([0, 0]))
  np.testing.assert_allclose(shifted - unshifted, many["log_z"], rtol=1e-5)


def test_ais_error_bar_enters_the_reported_stderr():
  model, data = _model_and_data()
  exact = dvae_log_likelihood(model, data, 50, seed=2, log_z={"method": "exact"}, log=None)
  ais = dvae_log_likelihood(model, data, 50, seed=2, log=None,
                            log_z={"method": "ais", "num_chains": 100,
                                   "num_temperatures": 200})
  assert ais["log_z_stderr"] > 0
  np.testing.assert_allclose(ais["stderr"], math.hypot(ais["stderr_examples"],
                                                       ais["log_z_stderr"]))
  assert abs(ais["log_z"] - exact["log_z"]) < 4 * ais["log_z_stderr"]
  # Same seed, same IWAE samples: the log-likelihoods differ by the log Z difference.
  np.testing.assert_allclose(exact["log_likelihood"] - ais["log_likelihood"],
                             ais["log_z"] - exact["log_z"], atol=1e-3)


def test_refresh_callback_sets_log_z_before_validation():
  from tfvae.distributions.rbm_partition import exact_log_partition
  model, _ = _model_and_data()
  model.log_z_refresh_every = 2
  model.log_z_refresh = {"method": "exact"}
  (callback,) = model.training_callbacks()
  callback.set_model(model)
  callback.on_epoch_begin(0)
  callback.on_test_begin()
  assert model.log_z.numpy() == 0.0          # epoch 1 of every 2: no refresh
  callback.on_epoch_begin(1)
  callback.on_test_begin()
  expected = exact_log_partition(model.rbm.w.numpy(), model.rbm.b_left.numpy(),
                                 model.rbm.b_right.numpy()).numpy()
  np.testing.assert_allclose(model.log_z.numpy(), expected, rtol=1e-5)


def test_log_z_settings_default_to_the_config_and_refuse_what_a_method_does_not_take():
  configured = {"method": "ais", "num_chains": 500, "num_temperatures": 10000}
  assert log_z_settings(configured) == configured
  assert log_z_settings(configured, num_temperatures=2000, num_sweeps=None) == {
      "method": "ais", "num_chains": 500, "num_temperatures": 2000}
  # Another method starts from its own defaults: AIS's chains are no PT setting.
  assert log_z_settings(configured, "parallel_tempering", num_sweeps=100) == {
      "method": "parallel_tempering", "num_sweeps": 100}
  assert log_z_settings(configured, "exact") == {"method": "exact"}
  assert log_z_settings({"method": "auto"}) == {"method": "auto"}
  assert log_z_settings(None) == {"method": "auto"}
  with pytest.raises(ValueError, match="takes no num_sweeps"):
    log_z_settings(configured, num_sweeps=100)
  with pytest.raises(ValueError, match="'exact' takes no num_temperatures"):
    log_z_settings(configured, "exact", num_temperatures=10)
  with pytest.raises(ValueError, match="unknown log Z method"):
    log_z_settings(configured, "bridge")


def test_only_the_discrete_vae_takes_the_log_z_path():
  config = lambda name: ml_collections.ConfigDict({"model": {"name": name}})
  assert estimates_log_partition(config("discrete_vae"))
  assert not estimates_log_partition(config("gaussian_vae"))
  assert not estimates_log_partition(config("cp_vae"))
