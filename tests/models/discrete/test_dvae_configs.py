"""The DVAE configs build, and one trains end to end through the trainer (schedules, PNG)."""
import importlib.util
import json
import os

import numpy as np
import pytest

from tests.conftest import REPO_ROOT

TINY = dict(rbm_sides=(4, 4), rbm_chains=20, rbm_gibbs_steps=2, posterior_groups=2,
            posterior_hidden=(16,), continuous_layers=2, continuous_dim=4,
            continuous_posterior_hidden=(16,), prior_hidden=(8,), sample_gibbs_steps=5,
            figure_gibbs_steps=2)


def _config(name):
  path = os.path.join(REPO_ROOT, "configs", name)
  spec = importlib.util.spec_from_file_location(name[:-3], path)
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return module.get_config()


def test_binarized_mnist_config_trains_one_epoch(tmp_path):
  from tfvae.training.trainer import train
  config = _config("dvae_binarized_mnist.py")
  config.model.update(TINY)
  config.train.update(epochs=1, steps_per_epoch=2, batch_size=20, jit_compile=False,
                      steps_per_execution=1, eval_batch_size=5000, verbose=0)
  result = train(config, str(tmp_path / "w"), log=lambda *_: None)
  model = result.model
  assert result.epochs_done == 1 and os.path.exists(result.samples_png)
  np.testing.assert_allclose(model.kl_weight.numpy(), 1 / 20)   # warm-up, epoch 0
  np.testing.assert_allclose(model.rbm_kl_weight.numpy(), 1 / 2)
  np.testing.assert_allclose(model.beta_cap.numpy(), 2.0)
  assert np.isfinite(result.history["val_elbo_plus_log_z"][-1])


def test_no_rbm_and_caltech_configs_build(shared_data):
  from tfvae.training.trainer import build
  config = _config("dvae_binarized_mnist_no_rbm.py")
  config.model.update({k: v for k, v in TINY.items() if not k.startswith("rbm")})
  config.train.update(jit_compile=False, eval_batch_size=100)
  _, model = build(config)
  assert model.rbm is None and "rbm_kl_weight" not in config.train.schedules
  config = _config("dvae_caltech.py")
  config.dataset.path = os.path.join(shared_data, "caltech101_silhouettes",
                                     "caltech101_silhouettes_28_split1.mat")
  config.model.update(TINY)
  config.train.update(jit_compile=False, eval_batch_size=100)
  splits, model = build(config)
  assert splits.name == "caltech101_silhouettes" and model.input_size == 784


# Table 2 of the paper: (num layers, vars per layer, hids per prior layer, param sharing).
PAPER_TABLE_2 = {"dvae_binarized_mnist_paper.py": (20, 256, (2000,), "2"),
                 "dvae_caltech_paper.py": (12, 80, (100,), "complete")}


@pytest.mark.parametrize("name", sorted(PAPER_TABLE_2))
def test_paper_configs_hold_appendix_h_and_table_2(name):
  config = _config(name)
  m, t = config.model, config.train
  assert (m.continuous_layers, m.continuous_dim, tuple(m.prior_hidden),
          m.prior_sharing) == PAPER_TABLE_2[name]
  assert tuple(m.rbm_sides) == (64, 64) and m.rbm_couplings and m.posterior_groups == 4
  assert tuple(m.posterior_hidden) == tuple(m.continuous_posterior_hidden) == (2000, 2000)
  assert m.rbm_gibbs_steps == 100 and m.rbm_chains == 20 * t.batch_size
  assert tuple(m.decoder_hidden) == () and m.norm == "laplacian" and m.activation == "relu"
  assert tuple(m.posterior_logit_bounds) == (2.0, 3.0)
  assert m.smoothing == "spike_and_exponential" and m.beta_trainable
  assert dict(t.schedules.kl_weight) == dict(kind="linear", start=1 / 20, end=1.0, duration=5)
  assert dict(t.schedules.rbm_kl_weight) == dict(kind="linear", start=1 / 2, end=1.0,
                                                 duration=20)
  assert t.lr_schedule.start == t.learning_rate and config.eval.iwae_samples == 10000
  # The chains follow the batch size, the bound's ramp and the decay follow the epochs.
  t.batch_size, t.epochs, t.learning_rate = 7, 30, 5e-4
  assert m.rbm_chains == 140 and t.lr_schedule.start == 5e-4
  assert t.lr_schedule.duration == t.schedules.beta_cap.duration == 30
  assert json.loads(config.to_json())["model"]["rbm_chains"] == 140


@pytest.mark.parametrize("name", sorted(PAPER_TABLE_2))
def test_paper_configs_train_one_step_at_tiny_sizes(name, tmp_path, shared_data):
  """The paper configs' plumbing (chains per example, schedules, step-size decay) through
  the trainer, with the networks shrunk (the full models are checked by hand: 1e8+
  parameters)."""
  from tfvae.training.trainer import train
  config = _config(name)
  if config.dataset.name == "caltech101_silhouettes":
    config.dataset.path = os.path.join(shared_data, "caltech101_silhouettes",
                                       "caltech101_silhouettes_28_split1.mat")
  config.model.update({k: v for k, v in TINY.items() if k != "rbm_chains"})
  config.train.update(batch_size=4, epochs=3, steps_per_epoch=1, jit_compile=False,
                      validation_every=5, sample_every=0, verbose=0)
  result = train(config, str(tmp_path / "w"), log=lambda *_: None)
  model = result.model
  assert result.epochs_done == 3 and model.rbm.chains.shape[0] == 20 * 4
  assert all(np.isfinite(v).all() for v in result.history.values())
  np.testing.assert_allclose(result.history["schedule_learning_rate"],
                             [1e-3 * 0.1 ** (e / 3) for e in range(3)], rtol=1e-5)
  np.testing.assert_allclose(result.history["schedule_beta_cap"], [2.0, 2 + 10 / 3,
                                                                    2 + 20 / 3], rtol=1e-5)
  np.testing.assert_allclose(result.history["schedule_kl_weight"],
                             [1 / 20 + (1 - 1 / 20) * e / 5 for e in range(3)], rtol=1e-5)
