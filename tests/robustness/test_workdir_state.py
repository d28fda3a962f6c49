"""What a workdir guarantees: one trainer at a time, resume from the newest complete
checkpoint, a truthful config.json after changed settings, the epochs of a killed run in
history.json, and exports that neither leak temporary folders nor duplicate versions."""
import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from tests.robustness.runs import run_config
from tfvae.export import versions
from tfvae.export.sampler import export_sampler
from tfvae.training.checkpoints import checkpoint_dir
from tfvae.training.trainer import restore_for_inference, train
from tfvae.training.workdir_lock import LOCK_NAME, WorkdirBusyError, WorkdirLock


def _quiet(*_):
  pass


def _train(workdir, log=_quiet, **train_overrides):
  keras.backend.clear_session()
  return train(run_config(**train_overrides), str(workdir), log=log)


def test_second_trainer_is_refused_naming_the_holder(tmp_path):
  workdir = tmp_path / "run"
  workdir.mkdir()
  with WorkdirLock(str(workdir)):
    with pytest.raises(WorkdirBusyError, match=(
        rf"workdir .*run is in use by pid {os.getpid()} on .* since .*; wait for it to "
        r"finish, stop it, or use another --workdir")):
      _train(workdir)
  assert not (workdir / "checkpoints").exists()


def test_lock_of_a_dead_process_is_taken_over(tmp_path):
  """A lock file left by a killed trainer does not block the next run (the kernel
  released its lock when it died)."""
  workdir = tmp_path / "run"
  workdir.mkdir()
  dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                        capture_output=True, text=True, check=True)
  (workdir / LOCK_NAME).write_text(json.dumps({"pid": int(dead.stdout), "host": "x"}))
  result = _train(workdir)
  assert result.epochs_done == 2


def test_resume_falls_back_to_the_newest_complete_checkpoint(tmp_path):
  """If the newest checkpoint's files are gone (e.g. deleted by a concurrent run), resume
  and export use the one before it instead of failing."""
  workdir = tmp_path / "run"
  _train(workdir)
  for name in os.listdir(checkpoint_dir(str(workdir))):
    if name.startswith("ckpt-2."):
      os.remove(os.path.join(checkpoint_dir(str(workdir)), name))
  lines = []
  keras.backend.clear_session()
  _, _, _, epoch = restore_for_inference(str(workdir))
  assert epoch == 1
  result = _train(workdir, log=lines.append, epochs=3)
  assert any("skipping checkpoint" in l and "ckpt-2" in l for l in lines), lines
  assert any(l.startswith("Resuming from") and l.endswith("ckpt-1 (epoch 1 done)")
             for l in lines), lines
  assert result.epochs_done == 3


def test_changed_learning_rate_is_applied_and_recorded(tmp_path):
  workdir = tmp_path / "run"
  _train(workdir, learning_rate=1e-3)
  lines = []
  result = _train(workdir, log=lines.append, learning_rate=1e-4, epochs=3)
  assert np.isclose(float(result.model.optimizer.learning_rate.numpy()), 1e-4)
  saved = json.loads((workdir / "config.json").read_text())
  assert saved["train"]["learning_rate"] == 1e-4
  assert "changed on resume (applied): train.learning_rate: 0.001 -> 0.0001" in lines
  runs = json.loads((workdir / "history.json").read_text())
  assert runs[-1]["config_changes"] == ["train.epochs: 2 -> 3",
                                        "train.learning_rate: 0.001 -> 0.0001"]


@pytest.mark.parametrize("key, value", [("precision", "mixed_bfloat16"), ("seed", 3),
                                        ("batch_size", 25)])
def test_settings_that_cannot_change_on_resume(tmp_path, key, value):
  """Refused with what was and what is asked, before anything is written."""
  workdir = tmp_path / "run"
  (workdir).mkdir()
  (workdir / "config.json").write_text(run_config().to_json())
  with pytest.raises(ValueError, match=(
      rf"config.train.{key} cannot change when resuming workdir .*run \(.* in the "
      rf"workdir, {value!r} now\): .* Resume with .*, or use a new workdir")):
    _train(workdir, **{key: value})
  assert os.listdir(workdir) == ["config.json"]


def test_history_keeps_the_epochs_of_a_killed_run(tmp_path):
  """The run dies in epoch 2 (no clean-up runs, as under SIGKILL): epoch 1 is recorded."""

  class Die(keras.callbacks.Callback):

    def on_epoch_begin(self, epoch, logs=None):
      if epoch == 1:
        raise KeyboardInterrupt

  workdir = tmp_path / "run"
  keras.backend.clear_session()
  with pytest.raises(KeyboardInterrupt):
    train(run_config(), str(workdir), log=_quiet, extra_callbacks=[Die()])
  runs = json.loads((workdir / "history.json").read_text())
  assert len(runs) == 1 and runs[0]["initial_epoch"] == 0
  assert len(runs[0]["logs"]["loss"]) == 1 and len(runs[0]["logs"]["val_elbo"]) == 1
  _train(workdir)
  runs = json.loads((workdir / "history.json").read_text())
  assert [r["initial_epoch"] for r in runs] == [0, 1]
  assert len(runs[1]["logs"]["loss"]) == 1


def test_export_once_per_checkpoint_and_no_leftover_tmp(tmp_path):
  workdir = tmp_path / "run"
  result = _train(workdir)
  base = tmp_path / "saved_models"
  dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                        capture_output=True, text=True, check=True)
  leftover = base / "tiny" / f".tmp-1-{int(dead.stdout)}"
  leftover.mkdir(parents=True)
  (leftover / "saved_model.pb").write_bytes(b"half")
  live = base / "tiny" / f".tmp-9-{os.getpid()}"  # an export in progress: kept
  live.mkdir()
  origin = versions.checkpoint_origin(str(workdir), result.checkpoint)
  first = export_sampler(result.model, str(base), "tiny", origin=origin,
                         reuse_existing=True)
  again = export_sampler(result.model, str(base), "tiny", origin=origin,
                         reuse_existing=True)
  assert first == again == str(base / "tiny" / "1")
  assert sorted(os.listdir(base / "tiny")) == [f".tmp-9-{os.getpid()}", "1"]
  result = _train(workdir, epochs=3)  # a new checkpoint: a new version
  newer = export_sampler(result.model, str(base), "tiny",
                         origin=versions.checkpoint_origin(str(workdir), result.checkpoint),
                         reuse_existing=True)
  assert newer == str(base / "tiny" / "2")
  explicit = export_sampler(result.model, str(base), "tiny",  # tfvae-export: always new
                            origin=versions.checkpoint_origin(str(workdir), result.checkpoint))
  assert explicit == str(base / "tiny" / "3")


def test_history_holds_every_logged_key(tmp_path):
  """history.json records what the callbacks add to the logs (posterior statistics,
  throughput, schedules), not only the loss terms."""
  config = run_config()
  config.train.schedules = {"kl_weight": dict(kind="linear", start=0.0, end=1.0,
                                              duration=2, unit="epoch")}
  keras.backend.clear_session()
  train(config, str(tmp_path / "run"), log=_quiet)
  logs = json.loads((tmp_path / "run" / "history.json").read_text())[0]["logs"]
  for key in ("loss", "val_elbo", "val_active_units", "examples_per_sec",
              "schedule_kl_weight"):
    assert len(logs[key]) == 2, (key, sorted(logs))
