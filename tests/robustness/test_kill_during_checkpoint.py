"""SIGKILL while a checkpoint is being written, then resume: only complete checkpoints are
used, the leftovers are cleared, and the resumed run ends with the same weights as an
uninterrupted one.

The kill is made deterministic with the trainer's test hook
``TFVAE_TEST_CHECKPOINT_PAUSE=<epoch>:<seconds>`` (``tfvae.training.checkpoints``): the
save of epoch 2 writes its data and index files, prints a line and sleeps *before* the
``checkpoint`` state file commits it; the test kills the process on that line. What a
kill a moment earlier leaves (TF's ``ckpt-2_temp/`` shard folder, written before the
shards are merged into ``ckpt-2.*``, and the state file's ``checkpoint.tmp<hex>``) is
added by hand, since no hook can stop TF inside its C++ writer.
"""
import os
import signal
import subprocess
import sys
import threading

import keras
import numpy as np
import tensorflow as tf

from tests.conftest import REPO_ROOT
from tests.robustness.files import assert_no_partial_files
from tests.robustness.runs import run_config
from tfvae.training.trainer import train

_TRAIN = r"""
import sys
sys.path.insert(0, sys.argv[1])
from tests.robustness.runs import run_config
from tfvae.training.trainer import train
train(run_config(), sys.argv[2], log=print)
"""
_MARKER = "TFVAE_TEST_CHECKPOINT_PAUSE:"


def _train_and_kill_while_saving(workdir: str, epoch: int, timeout: float = 400.0) -> str:
  """Runs ``run_config()`` in a subprocess and SIGKILLs it while it saves ``epoch``."""
  env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONUNBUFFERED": "1",
         "TFVAE_TEST_CHECKPOINT_PAUSE": f"{epoch}:{timeout}"}
  proc = subprocess.Popen([sys.executable, "-c", _TRAIN, REPO_ROOT, workdir], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
  watchdog = threading.Timer(timeout, proc.kill)
  watchdog.start()
  try:
    for line in proc.stdout:
      if line.startswith(_MARKER):
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return line
    proc.wait()
    raise AssertionError(f"trainer ended (rc {proc.returncode}) without reaching the "
                         f"save of epoch {epoch}:\n{proc.stderr.read()[-3000:]}")
  finally:
    watchdog.cancel()
    proc.stdout.close()
    proc.stderr.close()


def test_kill_during_checkpoint_write_then_resume(trained_run, tmp_path):
  workdir = str(tmp_path / "run")
  directory = os.path.join(workdir, "checkpoints")
  line = _train_and_kill_while_saving(workdir, epoch=2)
  assert "ckpt-2 written, not committed" in line

  # Killed mid-save: ckpt-2's files exist but only the complete ckpt-1 is committed.
  assert tf.train.latest_checkpoint(directory).endswith("ckpt-1")
  state = tf.train.get_checkpoint_state(directory)
  assert [os.path.basename(p) for p in state.all_model_checkpoint_paths] == ["ckpt-1"]
  assert os.path.exists(os.path.join(directory, "ckpt-2.index"))
  tf.train.load_checkpoint(os.path.join(directory, "ckpt-1")).get_tensor(
      "epoch/.ATTRIBUTES/VARIABLE_VALUE")
  # ... and what an earlier kill leaves: a half-written shard folder, a state temp file.
  os.makedirs(os.path.join(directory, "ckpt-2_temp"))
  with open(os.path.join(directory, "ckpt-2_temp", "part-00000-of-00001.data-00000-of-00001"),
            "wb") as f:
    f.write(b"\x00" * 100)
  with open(os.path.join(directory, "checkpoint.tmp0123abcd"), "w") as f:
    f.write('model_checkpoint_path: "ckpt-')

  keras.backend.clear_session()  # a fresh process as far as Keras is concerned
  messages = []
  resumed = train(run_config(), workdir, log=messages.append)
  assert any("Resuming from" in m and "ckpt-1 (epoch 1 done)" in m for m in messages), messages
  assert resumed.epochs_done == 2
  state = tf.train.get_checkpoint_state(directory)
  assert [os.path.basename(p) for p in state.all_model_checkpoint_paths] == ["ckpt-1", "ckpt-2"]
  assert_no_partial_files(workdir)  # the leftovers are gone, every checkpoint complete

  weights = [v.numpy() for v in resumed.model.weights]
  assert len(weights) == len(trained_run.weights)
  for resumed_value, uninterrupted in zip(weights, trained_run.weights):
    np.testing.assert_array_equal(resumed_value, uninterrupted)
