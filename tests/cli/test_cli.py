"""The absl apps end to end: train -> evaluate -> sample -> export, and bad flags."""
import json
import os
import subprocess
import sys

from tests.conftest import REPO_ROOT

CONFIG = os.path.join(REPO_ROOT, "configs", "vae_binarized_mnist.py")
TINY = ["--config.model.hidden_sizes=(16,)", "--config.model.latent_dim=2",
        "--config.train.epochs=1", "--config.train.steps_per_epoch=5",
        "--config.train.jit_compile=False", "--config.train.steps_per_execution=1",
        "--config.eval.iwae_samples=4", "--config.eval.chunk_size=2"]


def _run(script, *args):
  env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
  return subprocess.run([sys.executable, os.path.join(REPO_ROOT, "bin", script), *args],
                        capture_output=True, text=True, env=env, cwd=REPO_ROOT)


def test_train_evaluate_sample_export(tmp_path):
  workdir, exports = str(tmp_path / "run"), str(tmp_path / "exports")
  out = _run("train.py", f"--config={CONFIG}", f"--workdir={workdir}",
             f"--config.export.base_dir={exports}", *TINY,
             "--config.model.free_bits=0.25")  # a setting the config file does not write
  assert out.returncode == 0, out.stderr[-3000:]
  for line in ("checkpoint:", "tensorboard logs:", "sample PNG:", "exported sampler:"):
    assert line in out.stdout
  assert json.load(open(os.path.join(workdir, "config.json")))["model"]["free_bits"] == 0.25
  assert os.path.exists(os.path.join(exports, "vae_binarized_mnist", "1", "saved_model.pb"))

  out = _run("evaluate.py", f"--workdir={workdir}", "--max_examples=200",
             "--batch_size=100")
  assert out.returncode == 0, out.stderr[-3000:]
  result = json.load(open(os.path.join(workdir, "eval_test.json")))
  assert result["examples"] == 200 and result["iwae_samples"] == 4
  assert result["nll"] > 0 and result["nll"] <= -result["elbo"] + 5.0

  png = str(tmp_path / "s.png")
  out = _run("sample.py", f"--workdir={workdir}", f"--output={png}", "--num_samples=9")
  assert out.returncode == 0, out.stderr[-3000:]
  assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
  out = _run("sample.py", f"--workdir={workdir}", f"--output={png}", "--temperature=0.5")
  assert out.returncode != 0 and "applies to sequence models only" in out.stderr
  out = _run("sample.py", f"--workdir={workdir}", "--temperature=0")
  assert out.returncode != 0 and "--temperature must be > 0" in out.stderr

  out = _run("export.py", f"--workdir={workdir}", f"--base_dir={exports}")
  assert out.returncode == 0, out.stderr[-3000:]
  assert os.path.isdir(os.path.join(exports, "vae_binarized_mnist", "2"))


def test_unknown_config_key_lists_valid_keys(tmp_path):
  out = _run("train.py", f"--config={CONFIG}", f"--workdir={tmp_path}",
             "--config.train.epochz=3")
  assert out.returncode != 0
  assert "unknown config key(s) train.epochz" in out.stderr
  assert "train.epochs" in out.stderr


def test_a_model_setting_the_model_does_not_have_is_one_line(tmp_path):
  out = _run("train.py", f"--config={CONFIG}", f"--workdir={tmp_path}/run",
             "--config.model.free_bitz=0.5")
  assert out.returncode != 0 and "Traceback" not in out.stderr
  lines = out.stderr.strip().splitlines()
  assert lines[-1].startswith("error: model 'gaussian_vae' has no setting(s) free_bitz "
                              "(config.model); valid settings: ")
  assert "free_bits" in lines[-1]
  assert not os.path.exists(tmp_path / "run")


def test_workdir_without_config_is_a_clear_error(tmp_path):
  out = _run("evaluate.py", f"--workdir={tmp_path}")
  assert out.returncode != 0
  assert "no config.json" in out.stderr


def test_benchmark_resume_keeps_the_finished_run(tmp_path):
  """``--resume`` resumes each entry's workdir: a finished entry trains no epoch again."""
  import shutil  # pylint: disable=g-import-not-at-top
  repo = tmp_path / "repo"  # the suite writes docs/ under --repo_root: not this checkout's
  shutil.copytree(os.path.join(REPO_ROOT, "configs"), repo / "configs")
  (repo / "docs").mkdir()  # a checkout: its docs/benchmarks.md gets the suite's block
  (repo / "docs" / "benchmarks.md").write_text("# Benchmarks\n")
  suite = tmp_path / "tiny.py"  # one small entry: the resume logic, not the budget
  suite.write_text(
      "def get_suite():\n"
      "  return [dict(name='vae_diag', config='configs/vae_binarized_mnist.py',\n"
      "               overrides={'train.epochs': 2, 'train.steps_per_epoch': 10,\n"
      "                          'train.verbose': 0, 'export.enabled': False},\n"
      "               iwae_samples=2, eval_examples=100, speed_steps=0)]\n")
  args = [f"--suite={suite}", f"--repo_root={repo}", f"--workdir={tmp_path / 'runs'}"]
  def row():
    with open(tmp_path / "runs" / "tiny" / "vae_diag.json") as f:
      return json.load(f)
  out = _run("benchmark.py", *args)
  assert out.returncode == 0, out.stderr[-3000:]
  assert len(row()["epoch_seconds"]) == 2
  out = _run("benchmark.py", *args, "--resume")
  assert out.returncode == 0, out.stderr[-3000:]
  assert row()["epoch_seconds"] == [] and row()["test"]["examples"] == 100
  assert "tfvae-benchmark:tiny:begin" in (repo / "docs" / "benchmarks.md").read_text()


def test_default_export_lives_with_its_run(tmp_path):
  """With ``export.base_dir=""`` (the configs' default) a run exports into its own
  workdir, so separate runs never stack versions in one shared folder."""
  workdir = str(tmp_path / "run")
  out = _run("train.py", f"--config={CONFIG}", f"--workdir={workdir}", *TINY)
  assert out.returncode == 0, out.stderr[-3000:]
  expected = os.path.join(workdir, "export", "vae_binarized_mnist", "1")
  assert f"exported sampler: {expected}" in out.stdout
  assert os.path.exists(os.path.join(expected, "saved_model.pb"))
  assert not os.path.exists(os.path.join(REPO_ROOT, "saved_models", "vae_binarized_mnist"))



def test_benchmark_flop_rate_and_profile_of_the_configs_own_step(tmp_path):
  """``--variants=config`` times (and profiles) the config's own settings; ``--flop_rate``
  reports its GFLOP/s as examples/s times the matmul FLOPs counted from the traced step."""
  out_json = str(tmp_path / "speed.json")
  out = _run("benchmark.py", f"--config={CONFIG}", "--config.model.hidden_sizes=(16,)",
             "--config.model.latent_dim=2", "--variants=config", "--steps_per_window=10",
             "--windows=1", "--flop_rate", "--profile_ops=10", f"--output={out_json}")
  assert out.returncode == 0, out.stderr[-3000:]
  result = json.load(open(out_json))
  (row,) = result["results"]
  forward = 784 * 16 + 16 * 4 + 2 * 16 + 16 * 784
  assert row["variant"] == "config"
  assert row["flops_per_example"] == 2 * (3 * forward - 784 * 16)
  assert abs(row["gflops"] - row["examples_per_sec"] * row["flops_per_example"] / 1e9) < 1e-9
  assert 0 < row["fraction_of_peak"] == row["gflops"] / row["matmul_peak_gflops_fp32"]
  assert "GFLOP/s" in out.stdout and "% of peak" in out.stdout
  profile = result["op_profile"]
  assert profile["settings"]["jit_compile"] is True  # the config's, not a named variant's
  assert profile["settings"]["steps_per_execution"] == 10 and profile["top_ops"]
