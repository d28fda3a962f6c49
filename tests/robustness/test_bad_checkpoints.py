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


def _copy(trained_run, tmp_path):
  workdir = str(tmp_path / "run")
  shutil.copytree(trained_run.workdir, workdir)
  return workdir


def _truncate(workdir, kind):
  """Cuts the newest checkpoint's ``index`` or ``data`` file to half its size."""
  directory = os.path.join(workdir, "checkpoints")
  name = next(n for n in os.listdir(directory) if n.startswith("ckpt-2.") and kind in n)
  path = os.path.join(directory, name)
  with open(path, "r+b") as f:
    f.truncate(os.path.getsize(path) // 2)


def _resume(workdir):
  train(run_config(epochs=3), workdir, log=lambda *_: None)


def _evaluate(workdir):
  restore_for_inference(workdir)


@pytest.mark.parametrize("kind", ["data", "index"])
@pytest.mark.parametrize("action", [_resume, _evaluate], ids=["resume", "evaluate"])
def test_truncated_checkpoint(trained_run, tmp_path, kind, action):
  workdir = _copy(trained_run, tmp_path)
  _truncate(workdir, kind)
  before = snapshot(workdir)
  with pytest.raises(CheckpointError, match=(
      r"checkpoint .*/checkpoints/ckpt-2 cannot be restored into this model \(.*\); it is "
      r"corrupt \(e.g. truncated\) or comes from a different config. Use a new --workdir, "
      r"or remove .*/checkpoints to start again")):
    action(workdir)
  assert snapshot(workdir) == before  # nothing written, nothing "repaired" away


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
