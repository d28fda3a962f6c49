"""The op-level profile of a train step: nesting, a real trace with and without XLA."""
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT, tiny_vae_config
from tfvae.benchmarks import op_profile


def test_nested_events_count_their_self_time_once():
  a, b, c = ("a", "T", "", "", "tf"), ("b", "T", "", "", "tf"), ("c", "T", "", "", "tf")
  # a [0, 100) holds b [10, 40) which holds c [20, 30); then c again [100, 105).
  times = op_profile._self_times([(10, 40, b), (0, 100, a), (20, 30, c), (100, 105, c)])
  assert sorted(times) == [(a, 70), (b, 20), (c, 5), (c, 10)]
  assert sum(t for _, t in times) == 105  # the union of the events, not 145


@pytest.mark.parametrize("jit_compile", [False, True], ids=["tf_ops", "xla"])
def test_profile_puts_the_big_matmul_on_top(jit_compile):
  """A VAE whose 784 x 2048 layers at batch 500 dwarf the rest (the Adam update of their
  weights included): its matmuls lead the profile."""
  config = tiny_vae_config(batch_size=500)
  config.model.hidden_sizes = (2048,)
  settings = dict(loop="fit", jit_compile=jit_compile, steps_per_execution=1,
                  precision="float32")
  profile = op_profile.profile_ops(config, "test", steps=2, top=10, settings=settings)
  json.dumps(profile)  # serializable
  table = op_profile.format_table(profile)
  ops = profile["top_ops"]
  assert ops and profile["wall_ms_per_step"] > 0 and profile["op_ms_per_step"] > 0
  assert all(0 < op["share"] <= 1 and op["calls"] >= 1 for op in ops), table
  assert sum(op["share"] for op in ops) <= 1 + 1e-6
  assert abs(sum(profile["thread_shares"].values()) - 1) < 1e-6

  def is_matmul(row):
    return "MatMul" in row["type"] or row["type"] == "dot"

  assert any(is_matmul(op) for op in ops[:3]), table
  assert sum(t["share"] for t in profile["top_types"] if is_matmul(t)) > 0.3, table
  assert (profile["xla_share"] > 0.5) == jit_compile, table
  scopes = {t["scope"]: t["share"] for t in profile["top_scopes"]}
  assert sum(scopes.values()) <= 1 + 1e-6 and "gradient_tape" in scopes, table

def test_profile_ops_with_a_suite_is_a_usage_error():
  out = subprocess.run([sys.executable, os.path.join(REPO_ROOT, "bin", "benchmark.py"),
                        "--suite=quick", "--profile_ops=3"], capture_output=True, text=True,
                       cwd=REPO_ROOT, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
  assert out.returncode == 1 and "not --suite" in out.stderr, out.stderr[-2000:]


def test_op_scope_skips_the_function_call():
  from tfvae.benchmarks.op_profile import op_scope  # pylint: disable=g-import-not-at-top
  assert op_scope("StatefulPartitionedCall/while/body/_664/while/Less") == "while"
  assert op_scope("StatefulPartitionedCall/gradient_tape/q_layer_1/MatMul") == "gradient_tape"
  assert op_scope("StatefulPartitionedCall/fused_adam/ResourceApplyAdam_6") == "fused_adam"
  assert op_scope("encoder_1/dense_0_1/MatMul:_MklMatMul") == "encoder_1"
  assert op_scope("MatMul") == "(top level)"
