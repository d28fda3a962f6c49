"""Paired difference of per-example log-likelihoods."""
import json
import math

import numpy as np
import pytest

from tfvae.evaluation.paired_difference import (compare_files, paired_difference,
                                                per_example_path)


def test_hand_computed_values():
  result = paired_difference([1.0, 2.0, 3.0, 4.0], [0.0, 2.0, 2.0, 5.0])
  # d = [1, 0, 1, -1]: mean 0.25, sample variance 2.75 / 3.
  assert result["difference"] == pytest.approx(0.25)
  assert result["stderr_examples"] == pytest.approx(math.sqrt(2.75 / 3) / 2)
  assert result["share_a_better"] == pytest.approx(0.5)
  with_log_z = paired_difference([1.0, 2.0, 3.0, 4.0], [0.0, 2.0, 2.0, 5.0], 0.3, 0.4)
  assert with_log_z["stderr"] == pytest.approx(
      math.sqrt(2.75 / 3 / 4 + 0.3 ** 2 + 0.4 ** 2))


def test_error_bar_has_nominal_coverage_and_beats_the_unpaired_one():
  """Correlated pairs (shared per-example difficulty): the paired z-score of the true
  difference is standard normal, and the paired error bar is far below the unpaired."""
  rng = np.random.default_rng(0)
  true_difference, inside, ratios = 0.4, 0, []
  trials = 2000
  for _ in range(trials):
    difficulty = rng.normal(-100.0, 15.0, 50)
    a = difficulty + rng.normal(0.0, 1.0, 50) + true_difference
    b = difficulty + rng.normal(0.0, 1.0, 50)
    result = paired_difference(a, b)
    inside += abs(result["difference"] - true_difference) < 1.96 * result["stderr"]
    ratios.append(result["stderr"] / result["stderr_unpaired"])
  # t with 49 d.o.f. at 1.96: coverage 0.944; binomial sd over 2000 trials 0.005.
  assert 0.925 < inside / trials < 0.96
  assert np.median(ratios) < 0.1


def test_rejects_unpaired_inputs():
  with pytest.raises(ValueError, match="same examples"):
    paired_difference(np.zeros(5), np.zeros(6))
  with pytest.raises(ValueError, match="at least 2"):
    paired_difference([1.0], [2.0])


def _write(tmp_path, name, values, **summary):
  path = str(tmp_path / f"{name}.json")
  summary = dict({"split": "test", "examples": len(values),
                  "log_likelihood": float(np.mean(values)), "log_z_stderr": 0.1}, **summary)
  with open(path, "w") as f:
    json.dump(summary, f)
  np.save(per_example_path(path), np.asarray(values, np.float64))
  return path


def test_compare_files_checks_the_examples_match(tmp_path):
  a = _write(tmp_path, "a", [-90.0, -100.0, -110.0])
  b = _write(tmp_path, "b", [-91.0, -100.5, -111.5])
  result = compare_files(a, b)
  assert result["difference"] == pytest.approx(1.0)
  assert result["stderr"] == pytest.approx(math.sqrt(0.25 / 3 + 0.02))
  c = _write(tmp_path, "c", [-91.0, -100.5, -111.5], split="valid")
  with pytest.raises(ValueError, match="split"):
    compare_files(a, c)


def test_compare_files_reads_benchmark_entries_and_names_a_wrong_file(tmp_path):
  values = {"flow": [-90.0, -100.0, -110.0], "diag": [-92.0, -101.0, -112.0]}
  paths = []
  for name, v in values.items():
    path = str(tmp_path / f"{name}.json")
    with open(path, "w") as f:  # a tfvae-benchmark entry: the evaluation under "test"
      json.dump({"entry": name, "test": {"split": "test", "subset": "spaced",
                                         "examples": 3, "nll": -float(np.mean(v))}}, f)
    np.save(per_example_path(path), np.asarray(v))
    paths.append(path)
  result = compare_files(*paths)
  assert result["difference"] == pytest.approx(5.0 / 3)
  assert result["log_likelihood_a"] == pytest.approx(-100.0)
  bad = str(tmp_path / "history.json")
  with open(bad, "w") as f:
    json.dump({"elbo": [-100.0]}, f)
  with pytest.raises(ValueError, match="holds no log-likelihood"):
    compare_files(bad, paths[0])
