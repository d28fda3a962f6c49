"""Interrupted-and-resumed training equals uninterrupted training bit for bit."""
import os

import keras
import numpy as np

from tests.conftest import tiny_vae_config
from tfvae.training.trainer import train


def _state(result):
  model = result.model
  return ([v.numpy() for v in model.weights],
          [v.numpy() for v in model.optimizer.variables])


def test_resume_equals_uninterrupted(tmp_path):
  full = train(tiny_vae_config(epochs=3), str(tmp_path / "full"), log=lambda *_: None)
  weights_full, opt_full = _state(full)
  keras.backend.clear_session()

  train(tiny_vae_config(epochs=1), str(tmp_path / "part"), log=lambda *_: None)
  keras.backend.clear_session()  # a fresh process as far as the model is concerned
  messages = []
  resumed = train(tiny_vae_config(epochs=3), str(tmp_path / "part"), log=messages.append)
  assert any("Resuming" in m and "epoch 1" in m for m in messages)
  assert resumed.epochs_done == 3
  weights_resumed, opt_resumed = _state(resumed)
  assert len(weights_full) == len(weights_resumed)
  for a, b in zip(weights_full, weights_resumed):
    np.testing.assert_array_equal(a, b)
  for a, b in zip(opt_full, opt_resumed):
    np.testing.assert_array_equal(a, b)
  # artefacts
  assert os.path.exists(tmp_path / "part" / "samples" / "latest.png")
  assert os.path.exists(tmp_path / "part" / "history.json")
  assert os.listdir(tmp_path / "part" / "tensorboard")


def test_finished_run_does_nothing(tmp_path):
  train(tiny_vae_config(epochs=1), str(tmp_path), log=lambda *_: None)
  messages = []
  result = train(tiny_vae_config(epochs=1), str(tmp_path), log=messages.append)
  assert result.epochs_done == 1 and any("Nothing to do" in m for m in messages)
