"""The optimizer-update timer times both updates on the same shapes."""
import numpy as np

from tests.conftest import tiny_vae_config
from tfvae.benchmarks.optimizer_update import time_updates, variable_shapes


def test_shapes_of_a_config_and_both_updates_timed():
  shapes = variable_shapes(tiny_vae_config())
  assert shapes and all(all(d > 0 for d in s) for s in shapes)
  rows = time_updates(shapes, rounds=2)
  assert [r["optimizer"] for r in rows] == ["keras_adam", "fused_adam"]
  for row in rows:
    assert row["median_seconds"] > 0 and len(row["seconds"]) == 2
    assert row["parameters"] == sum(int(np.prod(s)) for s in shapes)
