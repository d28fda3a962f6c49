"""Ctrl-C during ``tfvae-train`` ends with one line saying what is kept and how to resume;
the epochs done are in history.json, and the same command resumes. Re-running the
finished run does not export a second version."""
import json
import os
import signal
import subprocess
import sys
import threading

from tests.conftest import REPO_ROOT
from tests.cli.test_cli import CONFIG, TINY

_MARKER = "TFVAE_TEST_CHECKPOINT_PAUSE:"


def test_ctrl_c_says_how_to_resume(tmp_path):
  workdir, exports = str(tmp_path / "run"), str(tmp_path / "exports")
  args = [sys.executable, os.path.join(REPO_ROOT, "bin", "train.py"), f"--config={CONFIG}",
          f"--workdir={workdir}", f"--config.export.base_dir={exports}", *TINY,
          "--config.train.epochs=2"]
  env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONUNBUFFERED": "1",
         "TFVAE_TEST_CHECKPOINT_PAUSE": "2:300"}
  # SIGINT at its default: a shell's background job (nohup ... &) starts its children
  # with SIGINT ignored, and Python then never raises KeyboardInterrupt.
  proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=env, cwd=REPO_ROOT,
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
  watchdog = threading.Timer(300, proc.kill)
  watchdog.start()
  try:
    for line in proc.stdout:
      if line.startswith(_MARKER):  # saving epoch 2: press Ctrl-C
        proc.send_signal(signal.SIGINT)
        break
    _, stderr = proc.communicate()
  finally:
    watchdog.cancel()
  assert proc.returncode == 1, stderr[-3000:]
  assert "Traceback" not in stderr, stderr[-3000:]
  last = stderr.strip().splitlines()[-1]
  assert last.startswith(f"interrupted: the last checkpoint is {workdir}/checkpoints/ckpt-1 "
                         f"(epochs so far in {workdir}/history.json); resume with the same "
                         "command: tfvae-train --config="), last
  runs = json.load(open(os.path.join(workdir, "history.json")))
  assert len(runs[0]["logs"]["loss"]) == 1

  env.pop("TFVAE_TEST_CHECKPOINT_PAUSE")
  out = subprocess.run(args, capture_output=True, text=True, env=env, cwd=REPO_ROOT,
                       timeout=300)
  assert out.returncode == 0, out.stderr[-3000:]
  assert "epochs done:      2" in out.stdout
  again = subprocess.run(args, capture_output=True, text=True, env=env, cwd=REPO_ROOT,
                         timeout=300)
  assert again.returncode == 0, again.stderr[-3000:]
  assert os.listdir(os.path.join(exports, "vae_binarized_mnist")) == ["1"]
