"""The DVAE configs build, and one trains end to end through the trainer (schedules, PNG)."""
import importlib.util
import os

import numpy as np

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
