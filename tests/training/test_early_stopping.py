"""Early stopping on the validation ELBO: counted after the warm-up, kept across a resume,
with the best checkpoint kept for evaluation."""
import os

import keras
import pytest
import tensorflow as tf

from tests.conftest import tiny_vae_config
from tfvae.training.early_stopping import (EarlyStoppingState, best_checkpoint_dir)


def test_state_counts_only_after_start_and_stops_after_patience():
  state = EarlyStoppingState(patience=2, start=3)
  assert not state.update(2, 5.0)  # during the warm-up: ignored
  assert not state.should_stop(3)
  assert state.update(4, -90.0)
  assert not state.update(5, -91.0)
  assert not state.should_stop(5)
  assert state.should_stop(6)  # epochs 5 and 6 without a better value
  assert state.update(7, -89.0) and not state.should_stop(8)
  assert int(state.best_epoch.numpy()) == 7
  # Never a best before start: the count runs from start.
  fresh = EarlyStoppingState(patience=2, start=3)
  assert not fresh.should_stop(4) and fresh.should_stop(5)


def test_non_finite_validation_is_never_best():
  state = EarlyStoppingState(patience=1)
  assert not state.update(1, float("nan"))
  assert int(state.best_epoch.numpy()) == 0


def test_patience_must_be_positive():
  with pytest.raises(ValueError, match="patience"):
    EarlyStoppingState(patience=0)


def _stopping_config(epochs, patience=1):
  # A learning rate this small leaves the model as it is: the validation ELBO only
  # fluctuates with the sampling noise, so patience 1 stops the run early.
  return tiny_vae_config(epochs=epochs, steps_per_epoch=2, sample_every=0,
                         learning_rate=1e-9, early_stopping_patience=patience,
                         early_stopping_start=1)


def test_stopped_run_keeps_best_checkpoint_and_stays_stopped_on_resume(tmp_path):
  from tfvae.evaluation.run_evaluation import evaluate_run  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import train  # pylint: disable=g-import-not-at-top
  workdir = str(tmp_path / "run")
  keras.backend.clear_session()
  lines = []
  first = train(_stopping_config(12), workdir, log=lines.append)
  assert first.epochs_done < 12, lines
  assert any(line.startswith("Early stopping after epoch") for line in lines), lines
  val = first.history["val_elbo"]
  best_epoch = 2 + max(range(len(val) - 1), key=lambda i: val[i + 1])  # after epoch 1
  best = tf.train.latest_checkpoint(best_checkpoint_dir(workdir))
  assert best is not None and best.endswith(f"ckpt-{best_epoch}")

  keras.backend.clear_session()
  lines = []
  again = train(_stopping_config(12), workdir, log=lines.append)
  assert again.epochs_done == first.epochs_done
  assert any("stopped early" in line for line in lines), lines

  keras.backend.clear_session()
  result = evaluate_run(workdir, iwae_samples=2, max_examples=20, checkpoint="best",
                        log=lambda *_: None)
  assert result["epoch"] == best_epoch


def test_resumed_run_counts_on_from_the_checkpoint(tmp_path):
  """Stopped after epoch 4 and resumed: the same epochs and the same best as one run
  (with patience 3 from epoch 1 no run stops before epoch 5)."""
  from tfvae.training.trainer import train  # pylint: disable=g-import-not-at-top
  keras.backend.clear_session()
  whole = train(_stopping_config(20, 3), str(tmp_path / "whole"), log=lambda *_: None)
  assert 4 < whole.epochs_done < 20
  keras.backend.clear_session()
  split = str(tmp_path / "split")
  train(_stopping_config(4, 3), split, log=lambda *_: None)
  keras.backend.clear_session()
  resumed = train(_stopping_config(20, 3), split, log=lambda *_: None)
  assert resumed.epochs_done == whole.epochs_done
  assert (os.path.basename(tf.train.latest_checkpoint(best_checkpoint_dir(split)))
          == os.path.basename(tf.train.latest_checkpoint(
              best_checkpoint_dir(str(tmp_path / "whole")))))


def test_evaluating_best_without_one_is_a_clear_error(tmp_path):
  from tfvae.training.trainer import restore_for_inference, train  # pylint: disable=g-import-not-at-top
  keras.backend.clear_session()
  workdir = str(tmp_path / "run")
  train(tiny_vae_config(epochs=1, steps_per_epoch=2, sample_every=0), workdir,
        log=lambda *_: None)
  with pytest.raises(FileNotFoundError, match="no best checkpoint"):
    restore_for_inference(workdir, checkpoint="best")
