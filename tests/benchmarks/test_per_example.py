"""The suite's raw output: per-example test values of each entry in one JSON."""
import json

import numpy as np

from tfvae.benchmarks.run_suite import write_per_example


def test_per_example_values_are_written_and_kept(tmp_path):
  workdir = tmp_path / "runs"
  workdir.mkdir()
  np.save(workdir / "a.json.per_example.npy", np.array([-80.5, -90.25]))
  json_path = str(tmp_path / "suite_x.json")
  out = write_per_example([{"entry": "a"}, {"entry": "b", "error": "x"}], str(workdir),
                          json_path, log=lambda *_: None)
  assert out == str(tmp_path / "suite_x.per_example.json")
  assert json.load(open(out))["entries"] == {"a": [-80.5, -90.25]}
  # A later partial run adds its entry; "a" (no longer in the workdir) is kept.
  (workdir / "a.json.per_example.npy").unlink()
  np.save(workdir / "b.json.per_example.npy", np.array([-1.0]))
  write_per_example([{"entry": "a"}, {"entry": "b"}], str(workdir), json_path,
                    log=lambda *_: None)
  assert json.load(open(out))["entries"] == {"a": [-80.5, -90.25], "b": [-1.0]}
