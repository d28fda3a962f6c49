"""Evaluation subsets and the per-example output of ``run_evaluation``."""
import json

import numpy as np
import pytest
import tensorflow as tf

from tfvae.evaluation.paired_difference import compare_files, per_example_path
from tfvae.evaluation.run_evaluation import (select_examples, spaced_indices, spaced_subset,
                                             write_json)


def test_spaced_indices_cover_a_sorted_split():
  labels = np.repeat(np.arange(10), 1000)  # sorted by label, like the binarized test split
  idx = spaced_indices(10000, 2000)
  assert len(idx) == 2000 and idx[0] == 0 and idx[-1] == 9999
  assert np.all(np.diff(idx) > 0)
  assert np.array_equal(np.bincount(labels[idx]), np.full(10, 200))
  assert np.array_equal(spaced_indices(7, 0), np.arange(7))
  assert np.array_equal(spaced_indices(7, 9), np.arange(7))


def test_spaced_subset_keeps_exactly_those_examples_in_order():
  data = np.arange(23, dtype=np.float32)[:, None] * np.ones([1, 3], np.float32)
  dataset = tf.data.Dataset.from_tensor_slices(data).batch(5)
  subset = spaced_subset(dataset, 23, 7, 3)
  # A known cardinality: Keras' evaluate() mis-averages datasets of unknown length.
  assert int(subset.cardinality()) == 3
  batches = list(subset.as_numpy_iterator())
  assert [len(b) for b in batches] == [3, 3, 1]
  got = np.concatenate(batches)
  assert np.array_equal(got, data[spaced_indices(23, 7)])


def test_write_json_stores_per_example_values_beside_it(tmp_path):
  path = str(tmp_path / "eval_test.json")
  values = np.array([-90.0, -100.0, -110.0])
  result = {"split": "test", "subset": "first", "examples": 3, "per_example": values,
            "iwae_log_likelihood": float(values.mean()), "prepared": {}}
  write_json(result, path)
  with open(path) as f:
    assert "per_example" not in json.load(f)
  assert np.array_equal(np.load(per_example_path(path)), values)
  assert "per_example" in result  # the caller's dict is untouched
  other = dict(result, per_example=values - 1.0, iwae_log_likelihood=float(values.mean() - 1),
               prepared={"log_z_stderr": 0.2})
  write_json(other, str(tmp_path / "other.json"))
  diff = compare_files(path, str(tmp_path / "other.json"))
  assert diff["difference"] == pytest.approx(1.0)
  assert diff["stderr"] == pytest.approx(0.2)  # no spread; only the log Z error
  write_json(dict(other, subset="spaced"), str(tmp_path / "spaced.json"))
  with pytest.raises(ValueError, match="subset"):
    compare_files(path, str(tmp_path / "spaced.json"))


def test_a_subset_is_evenly_spaced_unless_a_prefix_is_asked_for():
  """``max_examples`` alone picks every class of a label-sorted split; the first N
  (one class here) only with ``spaced=False``; 0 keeps the whole split."""
  labels = np.repeat(np.arange(4), 6).astype(np.float32)  # sorted, 24 examples
  dataset = tf.data.Dataset.from_tensor_slices(labels).batch(5)
  subset, name = select_examples(dataset, 24, 8, 3)
  assert name == "spaced"
  assert np.array_equal(np.bincount(np.concatenate(list(subset.as_numpy_iterator()))
                                    .astype(int)), [2, 2, 2, 2])
  first, name = select_examples(dataset, 24, 6, 3, spaced=False)
  assert name == "first"
  assert np.array_equal(np.concatenate(list(first.as_numpy_iterator())), np.zeros(6))
  whole, name = select_examples(dataset, 24, 0, 3)
  assert name == "all" and whole is dataset
