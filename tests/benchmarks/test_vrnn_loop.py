"""The VRNN loop timer: each variant trains the same tiny model, timed per block."""
import keras
import pytest

from tfvae.benchmarks import vrnn_loop

TINY = dict(steps=1, blocks=2, length=3, batch=2, hidden=4, latent_dim=2, input_size=3)


def test_each_variant_is_timed_and_the_dtype_policy_restored():
  policy = keras.mixed_precision.global_policy().name
  lines = []
  rows = vrnn_loop.run(["naive", "while+bf16+nodefer"], log=lines.append, **TINY)
  assert [r["variant"] for r in rows] == ["naive", "while+bf16+nodefer"]
  for row in rows:
    walls = row["wall_seconds"]
    assert len(walls) == 2 and walls == sorted(walls)
    assert row["best_wall_ms"] > 0 and row["best_cpu_ms"] > 0 and row["trace_seconds"] > 0
  assert lines[0].startswith("T=3 B=2 H=4 z=2 D=3; 2 blocks of 1 timed steps")
  assert len(lines) == 4 and lines[3].startswith("while+bf16+nodefer")
  assert keras.mixed_precision.global_policy().name == policy


def test_unknown_variants_are_named():
  assert vrnn_loop.unknown_variants(["unrolled+xla", "while+fp8", "loop"]) == [
      "while+fp8", "loop"]
  assert not vrnn_loop.unknown_variants(vrnn_loop.ALL)
  with pytest.raises(ValueError, match=r"\['while\+fp8'\]"):
    vrnn_loop.run(["while+fp8"], log=None)
