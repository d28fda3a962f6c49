"""collect_histories: per-epoch logs of resumed workdirs line up with their epochs."""
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT
from tfvae.benchmarks.collect_histories import collect, epoch_logs


def _write(workdir, runs, config=None):
  workdir.mkdir()
  (workdir / "history.json").write_text(json.dumps(runs))
  (workdir / "config.json").write_text(json.dumps(config or {"model": {"name": "m"}}))


def test_resumed_runs_are_placed_at_their_initial_epoch(tmp_path):
  runs = [{"initial_epoch": 0, "logs": {"val_elbo": [-3.0, -2.0, -1.5], "loss": [1, 2, 3]}},
          # killed after epoch 3 was logged, resumed from the checkpoint of epoch 2
          {"initial_epoch": 2, "logs": {"val_elbo": [-1.4, -1.2], "loss": [4, 5]}}]
  _write(tmp_path / "run", runs)
  assert epoch_logs(str(tmp_path / "run"), ["val_elbo"]) == {
      "val_elbo": [-3.0, -2.0, -1.4, -1.2]}
  out = collect([str(tmp_path / "run")], ["loss"])
  assert out["run"]["epochs"] == {"loss": [1, 2, 4, 5]}
  assert out["run"]["config"]["model"]["name"] == "m"


def test_a_run_resumed_past_unlogged_epochs_leaves_gaps(tmp_path):
  # a run killed before it logged anything: its epochs 2-3 are in no history
  runs = [{"initial_epoch": 0, "logs": {"val_elbo": [-3.0, -2.0]}},
          {"initial_epoch": 4, "logs": {"val_elbo": [-1.0]}}]
  _write(tmp_path / "run", runs)
  assert epoch_logs(str(tmp_path / "run"))["val_elbo"] == [-3.0, -2.0, None, None, -1.0]


def test_missing_key_and_history_are_named(tmp_path):
  _write(tmp_path / "run", [{"initial_epoch": 0, "logs": {"loss": [1.0]}}])
  with pytest.raises(KeyError, match="no \\['val_elbo'\\]"):
    epoch_logs(str(tmp_path / "run"), ["val_elbo"])
  with pytest.raises(FileNotFoundError, match="no history.json"):
    epoch_logs(str(tmp_path))


def test_tfvae_benchmark_collect_histories(tmp_path):
  """``tfvae-benchmark --collect_histories`` writes ``collect`` of the workdirs."""
  for name, elbo in (("a", [-3.0, -2.0]), ("b", [-4.0])):
    _write(tmp_path / name, [{"initial_epoch": 0, "logs": {"val_elbo": elbo, "loss": [1]}}])
  workdirs = f"{tmp_path / 'a'},{tmp_path / 'b'}"
  output = tmp_path / "out" / "histories.json"
  script = os.path.join(REPO_ROOT, "bin", "benchmark.py")
  out = subprocess.run([sys.executable, script, "--collect_histories",
                        f"--workdirs={workdirs}", "--keys=val_elbo", f"--output={output}"],
                       capture_output=True, text=True, cwd=REPO_ROOT, timeout=300)
  assert out.returncode == 0, out.stderr[-3000:]
  assert f"wrote {output} (2 runs)" in out.stdout
  result = json.loads(output.read_text())
  assert result == collect(workdirs.split(","), ["val_elbo"])
  assert result["b"]["epochs"] == {"val_elbo": [-4.0]}
  out = subprocess.run([sys.executable, script, "--collect_histories",
                        f"--workdirs={workdirs}", "--keys=val_kl", f"--output={output}"],
                       capture_output=True, text=True, cwd=REPO_ROOT, timeout=300)
  assert out.returncode == 1 and "history.json has no ['val_kl']" in out.stderr
  assert "Traceback" not in out.stderr
