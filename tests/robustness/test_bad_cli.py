"""Bad command lines end with one ``error:``/flag line naming the flag or config key and
what is valid, before TensorFlow is imported (each call here takes a fraction of a
second), and create no workdir or export."""
import os
import re
import subprocess
import sys

import ml_collections
import pytest

from tests.conftest import REPO_ROOT
from tfvae.cli.common import apply_model_overrides, check_config_overrides

CONFIG = os.path.join(REPO_ROOT, "configs", "vae_binarized_mnist.py")


def _run(script, *args):
  env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
  out = subprocess.run([sys.executable, os.path.join(REPO_ROOT, "bin", script), *args],
                       capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=120)
  assert out.returncode != 0
  assert "Traceback" not in out.stderr, out.stderr
  assert "tensorflow" not in out.stderr.lower(), out.stderr
  return out.stderr


@pytest.mark.parametrize("override, message", [
    ("--config.train.batch_size=-5",
     "error: config.train.batch_size must be a positive integer, got -5 (int)"),
    ("--config.train.learning_rate=0.0",
     "error: config.train.learning_rate must be a finite number > 0, got 0.0 (float)"),
    ("--config.eval.iwae_samples=0",
     "error: config.eval.iwae_samples must be a positive integer, got 0 (int)"),
], ids=["batch_size", "learning_rate", "iwae_samples"])
def test_train_with_a_bad_value(tmp_path, override, message):
  workdir = tmp_path / "run"
  stderr = _run("train.py", f"--config={CONFIG}", f"--workdir={workdir}", override)
  assert message in stderr
  assert not workdir.exists()


def test_train_with_a_missing_config_file(tmp_path):
  stderr = _run("train.py", f"--config={tmp_path}/nope.py", f"--workdir={tmp_path}/run")
  assert f"error: --config file not found: {tmp_path}/nope.py" in stderr
  assert not os.listdir(tmp_path)


def test_unknown_config_key_lists_the_valid_keys(tmp_path):
  argv = ["train", f"--config={CONFIG}", f"--workdir={tmp_path}", "--config.train.epochz=3"]
  with pytest.raises(SystemExit, match=(r"unknown config key\(s\) train.epochz for .*"
                                        r"vae_binarized_mnist.py.\nValid keys: .*"
                                        r"train.epochs")):
    check_config_overrides(argv)
  assert not os.listdir(tmp_path)


def test_new_model_keys_are_taken_out_of_argv_for_the_trainer(tmp_path):
  argv = ["train", f"--config={CONFIG}", f"--workdir={tmp_path}",
          "--config.model.free_bits=0.5", "--config.model.free_bits_groups=(2, 2)",
          "--config.model.activation=tanh", "--config.train.epochs=3",
          "--config.train.fused_optimizer=False"]
  extra = check_config_overrides(argv, new_model_keys=True)
  assert extra == {"model.free_bits": 0.5, "model.free_bits_groups": (2, 2),
                   "train.fused_optimizer": False}
  assert argv == ["train", f"--config={CONFIG}", f"--workdir={tmp_path}",
                  "--config.model.activation=tanh", "--config.train.epochs=3"]
  config = ml_collections.ConfigDict(dict(model=dict(activation="relu"),
                                          train=dict(epochs=1)))
  apply_model_overrides(config, extra)
  assert config.model.free_bits == 0.5 and config.train.fused_optimizer is False
  with pytest.raises(SystemExit, match="unknown config key"):  # not a train setting
    check_config_overrides(["train", f"--config={CONFIG}", "--config.train.epochz=1"],
                           new_model_keys=True)
  with pytest.raises(SystemExit, match="unknown config key"):  # other tools: refused
    check_config_overrides(["evaluate", f"--config={CONFIG}", "--config.model.free_bits=1"])
  with pytest.raises(SystemExit, match="unknown config key"):  # only model.<key>
    check_config_overrides(["train", f"--config={CONFIG}", "--config.trian.epochs=1"],
                           new_model_keys=True)


@pytest.mark.parametrize("script, flag", [
    ("evaluate.py", "--iwae_samples=0"), ("evaluate.py", "--iwae_samples=-3"),
    ("evaluate.py", "--chunk_size=0"), ("sample.py", "--num_samples=0"),
    ("export.py", "--version=0"),
])
def test_non_positive_counts(tmp_path, script, flag):
  stderr = _run(script, f"--workdir={tmp_path}", flag)
  name, value = flag[2:].split("=")
  assert f"flag --{name}={value}: {value} is not a positive integer" in stderr
  assert not os.listdir(tmp_path)


def test_logical_cpus_without_a_strategy(tmp_path):
  stderr = _run("train.py", f"--config={CONFIG}", f"--workdir={tmp_path}/run",
                "--logical_cpus=2")
  assert "--logical_cpus needs --strategy=mirrored" in stderr
  assert not os.listdir(tmp_path)


def test_unknown_strategy_lists_the_valid_ones(tmp_path):
  stderr = _run("train.py", f"--config={CONFIG}", f"--workdir={tmp_path}/run",
                "--strategy=tpu")
  assert "value should be one of <default|mirrored|multi_worker>" in stderr
  assert not os.listdir(tmp_path)


@pytest.mark.parametrize("source, message", [
    ("def get_config(:\n", r"has a syntax error at line 1"),
    ("raise RuntimeError('boom')\n", r"failed to load: RuntimeError: boom"),
    ("x = 1\n", r"failed to load: AttributeError: .* defines no get_config\(\) function"),
    ("def get_config():\n  return {}['model']\n", r"failed to load: KeyError: 'model'"),
], ids=["syntax_error", "raises", "no_get_config", "get_config_raises"])
def test_broken_config_file_is_one_line(tmp_path, source, message):
  """A config file that does not load ends with one ``error:`` line naming it."""
  path = tmp_path / "broken.py"
  path.write_text(source)
  stderr = _run("train.py", f"--config={path}", f"--workdir={tmp_path}/run")
  lines = [l for l in stderr.splitlines() if l.strip()]
  assert len(lines) == 1, stderr
  assert re.search(rf"error: config file {re.escape(str(path))} {message}", lines[0]), stderr
  assert not (tmp_path / "run").exists()


def test_empty_workdir_flag(tmp_path):
  stderr = _run("train.py", f"--config={CONFIG}", "--workdir=")
  assert "error: --workdir is empty" in stderr, stderr


def test_missing_data_path_fails_before_tensorflow(tmp_path):
  stderr = _run("train.py", f"--config={CONFIG}", f"--workdir={tmp_path}/run",
                f"--config.dataset.path={tmp_path}/nope.npz")
  assert f"error: config.dataset.path: {tmp_path}/nope.npz does not exist" in stderr
  assert not (tmp_path / "run").exists()


def test_unknown_posterior_is_one_line(tmp_path):
  env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
  out = subprocess.run([sys.executable, os.path.join(REPO_ROOT, "bin", "train.py"),
                        f"--config={CONFIG}", f"--workdir={tmp_path}/run",
                        "--config.model.posterior=diagg"],
                       capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=120)
  assert out.returncode != 0 and "Traceback" not in out.stderr, out.stderr
  lines = [l for l in out.stderr.splitlines() if l.strip()]
  assert lines[-1] == ("error: unknown posterior 'diagg'; known posteriors: diag, full_cov, "
                       "iaf, planar"), out.stderr
  assert not (tmp_path / "run").exists()
