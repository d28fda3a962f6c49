"""The tiny training run the robustness tests share (see ``conftest.trained_run``)."""
from tests.conftest import tiny_vae_config


def run_config(**train_overrides):
  """The tiny Gaussian VAE of ``tests/conftest.py`` cut to 2 epochs of 2 steps."""
  settings = dict(epochs=2, steps_per_epoch=2, sample_every=0, eval_batch_size=5000)
  settings.update(train_overrides)
  return tiny_vae_config(**settings)
