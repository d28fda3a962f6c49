"""``--help`` of every command lists that command's own flags (not only ``--helpfull``),
both for the ``bin/`` wrappers and for the installed console scripts."""
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

FLAGS = {"train": ["--config", "--workdir", "--strategy"],
         "evaluate": ["--workdir", "--iwae_samples", "--checkpoint", "--compare",
                      "--[no]cluster_accuracy", "--[no]toy_1d", "--log_z_method"],
         "sample": ["--workdir", "--num_samples", "--seed"],
         "export": ["--workdir", "--base_dir", "--version"],
         "benchmark": ["--suite", "--entries", "--[no]resume"]}


def _help(command):
  env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
  out = subprocess.run(command + ["--help"], capture_output=True, text=True, env=env,
                       cwd=REPO_ROOT, timeout=120)
  assert "Traceback" not in out.stderr, out.stderr  # (absl's --help exits with 1)
  return out.stdout


@pytest.mark.parametrize("script", sorted(FLAGS))
def test_bin_help_lists_the_flags(script):
  text = _help([sys.executable, os.path.join(REPO_ROOT, "bin", f"{script}.py")])
  for flag in FLAGS[script]:
    assert f"  {flag}" in text, text


@pytest.mark.parametrize("script", ["train", "export"])
def test_console_script_help_lists_the_flags(script):
  path = shutil.which(f"tfvae-{script}") or os.path.join(
      os.path.dirname(sys.executable), f"tfvae-{script}")
  if not os.path.exists(path):
    pytest.skip(f"tfvae-{script} is not installed in this environment")
  text = _help([path])
  for flag in FLAGS[script]:
    assert f"  {flag}" in text, text


def test_micro_benchmark_flags_are_checked():

  script = os.path.join(REPO_ROOT, "bin", "benchmark.py")
  out = subprocess.run([sys.executable, script, "--micro=optimizer_update"],
                       capture_output=True, text=True, timeout=300)
  assert out.returncode != 0 and "pass --config" in out.stderr
  out = subprocess.run([sys.executable, script, "--micro=gibbs_loop", "--suite=quick"],
                       capture_output=True, text=True, timeout=300)
  assert out.returncode != 0 and "not with --suite" in out.stderr
