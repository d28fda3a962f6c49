"""``tfvae-benchmark --micro=vrnn_loop|gmvrnn_step|xla_rng`` end to end, at the tiniest
settings, and the usage errors of the ``--micro_*`` options."""
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

RNN = ["--micro_steps=1", "--micro_batch=2", "--micro_length=3", "--micro_hidden=4"]


def _benchmark(*args):
  return subprocess.run([sys.executable, os.path.join(REPO_ROOT, "bin", "benchmark.py"),
                         *args], capture_output=True, text=True, cwd=REPO_ROOT,
                        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}, timeout=600)


@pytest.mark.parametrize("micro,args,key,names", [
    ("vrnn_loop", ["--micro_variants=unrolled", "--rounds=1", *RNN], "variant",
     ["unrolled"]),
    ("gmvrnn_step", ["--micro_variants=vrnn", *RNN], "model", ["vrnn"]),
    ("xla_rng", ["--micro_variants=normal", "--micro_shapes=1", "--micro_steps=1"], "alg",
     ["auto_select", "philox", "threefry", "auto_select", "philox"]),
])
def test_micro_writes_its_rows(tmp_path, micro, args, key, names):
  output = tmp_path / "micro.json"
  out = _benchmark(f"--micro={micro}", *args, f"--output={output}")
  assert out.returncode == 0, out.stderr[-3000:]
  result = json.loads(output.read_text())
  assert result["micro"] == micro and result["config"] is None
  assert f"--micro={micro}" in result["command"] and result["versions"]["tensorflow"]
  assert [row[key] for row in result["results"]] == names
  assert f"wrote {output}" in out.stdout and names[0] in out.stdout


def test_micro_options_are_checked():
  out = _benchmark("--micro=gmvrnn_step", "--micro_shapes=1")
  assert out.returncode == 1
  assert "--micro_shapes is an option of --micro=xla_rng, not of --micro=gmvrnn_step" in (
      out.stderr)
  out = _benchmark("--micro_steps=3")
  assert out.returncode == 1 and "--micro_steps is an option of --micro" in out.stderr
  out = _benchmark("--micro=vrnn_loop", "--micro_variants=unrolled+fp8")
  assert out.returncode == 1 and "unknown VRNN loop variants ['unrolled+fp8']" in out.stderr
  assert "Traceback" not in out.stderr
