"""Missing, corrupt and foreign checkpoints on resume (training) and on evaluation: a
clear error naming the checkpoint, and the workdir left exactly as it was."""
import json
import os
import shutil

import pytest

from tests.robustness.files import snapshot
from tests.robustness.runs import run_config
from tfvae.training.checkpoints import CheckpointError
from tfvae.training.trainer import restore_for_inference, train
from tfvae.training.workdir_lock import LOCK_NAME


def _copy(trained_run, tmp_path):
  workdir = str(tmp_path / "run")
  shutil.copytree(trained_run.workdir, workdir)
  return workdir


def _truncate(workdir, kind, epochs=(2,)):
  """Cuts the ``index`` or ``data`` file of the checkpoints of ``epochs`` to half size."""
  directory = os.path.join(workdir, "checkpoints")
  for epoch in epochs:
    name = next(n for n in os.listdir(directory)
                if n.startswith(f"ckpt-{epoch}.") and kind in n)
    path = os.path.join(directory, name)
    with open(path, "r+b") as f:
      f.truncate(os.path.getsize(path) // 2)


def _resume(workdir, log=lambda *_: None):
  return train(run_config(epochs=3), workdir, log=log)


def _evaluate(workdir, log=None):
  del log
  return restore_for_inference(workdir)


@pytest.mark.parametrize("kind", ["data", "index"])
@pytest.mark.parametrize("action", [_resume, _evaluate], ids=["resume", "evaluate"])
def test_every_checkpoint_truncated(trained_run, tmp_path, kind, action):
  workdir = _copy(trained_run, tmp_path)
  _truncate(workdir, kind, epochs=(1, 2))
  before = snapshot(workdir)
  with pytest.raises(CheckpointError, match=(
      r"checkpoint .*/checkpoints/ckpt-2 cannot be restored into this model \(.*\); it is "
      r"corrupt \(e.g. truncated\) or comes from a different config. Use a new --workdir, "
      r"or remove .*/checkpoints to start again")):
    action(workdir)
  # Nothing written, nothing "repaired" away; only the trainer's lock file (which names
  # its holder while it runs) was touched.
  after = snapshot(workdir)
  after.pop(LOCK_NAME, None), before.pop(LOCK_NAME, None)
  assert after == before


@pytest.mark.parametrize("kind", ["data", "index"])
def test_truncated_newest_checkpoint_falls_back_to_the_one_before(trained_run, tmp_path,
                                                                  kind, capsys):
  """Resume and evaluation skip a truncated newest checkpoint, say so, and use the newest
  complete one (issue: a concurrent run could leave the newest one broken)."""
  workdir = _copy(trained_run, tmp_path)
  _truncate(workdir, kind)
  _, _, _, epoch = _evaluate(workdir)
  assert epoch == 1
  assert "skipping checkpoint" in capsys.readouterr().out
  lines = []
  result = _resume(workdir, log=lines.append)
  assert any(l.startswith("skipping checkpoint") and "ckpt-2" in l for l in lines), lines
  assert result.epochs_done == 3


def test_evaluate_a_workdir_without_config(tmp_path):
  with pytest.raises(FileNotFoundError, match=(r"no config.json in .*: is it a tfvae "
                                               r"training workdir \(made by tfvae-train\)")):
    restore_for_inference(str(tmp_path))
  assert not os.listdir(tmp_path)


def test_evaluate_a_workdir_without_checkpoints(trained_run, tmp_path):
  workdir = _copy(trained_run, tmp_path)
  shutil.rmtree(os.path.join(workdir, "checkpoints"))
  before = snapshot(workdir)
  with pytest.raises(FileNotFoundError, match=r"no checkpoint in .*/checkpoints; train first"):
    restore_for_inference(workdir)
  assert snapshot(workdir) == before


def test_evaluate_a_missing_checkpoint_path(trained_run):
  before = snapshot(trained_run.workdir)
  missing = os.path.join(trained_run.workdir, "checkpoints", "ckpt-7")
  with pytest.raises(FileNotFoundError, match=(
      r"checkpoint .*/ckpt-7 not found \(no .*/ckpt-7.index\); pass a prefix such as "
      r"<workdir>/checkpoints/ckpt-3")):
    restore_for_inference(trained_run.workdir, missing)
  assert snapshot(trained_run.workdir) == before


def test_evaluate_with_another_models_config(trained_run, tmp_path):
  """config.json edited to another architecture: its checkpoint does not fit."""
  workdir = _copy(trained_run, tmp_path)
  path = os.path.join(workdir, "config.json")
  config = json.load(open(path))
  config["model"]["hidden_sizes"] = [16]
  json.dump(config, open(path, "w"))
  before = snapshot(workdir)
  with pytest.raises(CheckpointError, match=r"ckpt-2 cannot be restored into this model"):
    restore_for_inference(workdir)
  assert snapshot(workdir) == before
