"""Cluster accuracy: Hungarian matching vs brute force, majority vote, model assignments."""
import itertools

import numpy as np
import pytest
import tensorflow as tf

from tfvae.evaluation import cluster_accuracy as ca


def _brute_force_min_cost(cost):
  n, m = cost.shape
  if n <= m:
    return min(sum(cost[i, p[i]] for i in range(n)) for p in itertools.permutations(range(m), n))
  return _brute_force_min_cost(cost.T)


@pytest.mark.parametrize("shape", [(4, 4), (3, 5), (5, 3), (1, 4), (6, 6)])
def test_own_hungarian_is_optimal(shape):
  rng = np.random.default_rng(sum(shape))
  for _ in range(5):
    cost = rng.integers(0, 20, size=shape).astype(float)
    rows, cols = ca.own_linear_sum_assignment(cost)
    assert len(set(rows)) == len(rows) == min(shape) and len(set(cols)) == len(cols)
    np.testing.assert_allclose(cost[rows, cols].sum(), _brute_force_min_cost(cost))


def test_own_hungarian_agrees_with_scipy():
  scipy_optimize = pytest.importorskip("scipy.optimize")
  rng = np.random.default_rng(0)
  cost = rng.normal(size=[30, 12])
  rows, cols = ca.own_linear_sum_assignment(cost)
  ref_rows, ref_cols = scipy_optimize.linear_sum_assignment(cost)
  np.testing.assert_allclose(cost[rows, cols].sum(), cost[ref_rows, ref_cols].sum())


def test_mappings_on_a_known_table():
  # clusters 0,1,2 ; labels 0,1. Cluster 2 mostly label 1 as well; cluster 3 empty.
  clusters = np.array([0, 0, 0, 1, 1, 1, 1, 2, 2, 2])
  labels = np.array([1, 1, 0, 0, 0, 0, 1, 1, 1, 0])
  counts = ca.contingency_table(clusters, labels, 4, 2)
  np.testing.assert_array_equal(counts, [[1, 2], [3, 1], [1, 2], [0, 0]])
  np.testing.assert_array_equal(ca.majority_vote_mapping(counts), [1, 0, 1, -1])
  hung = ca.hungarian_mapping(counts)
  assert sorted(hung[hung >= 0].tolist()) == [0, 1] and hung[1] == 0
  assert ca.accuracy(clusters, labels, ca.majority_vote_mapping(counts)) == pytest.approx(0.7)
  assert ca.accuracy(clusters, labels, hung) == pytest.approx(0.5)


def test_permuted_perfect_clustering_scores_one():
  rng = np.random.default_rng(1)
  labels = rng.integers(0, 5, size=200)
  permutation = rng.permutation(7)[:5]          # 7 clusters, 5 used
  clusters = permutation[labels]
  out = ca.cluster_accuracy_from_assignments(clusters[:100], labels[:100], clusters[100:],
                                             labels[100:], num_clusters=7)
  assert out["majority_accuracy"] == 1.0 and out["hungarian_accuracy"] == 1.0
  assert out["used_clusters"] == 5


class _OracleModel:
  """category_probs = one-hot of a permuted label stored in the first input column."""
  num_categories = 4

  def category_probs(self, x):
    return tf.one_hot((tf.cast(x[:, 0], tf.int32) + 1) % 4, 4)


def test_cluster_accuracy_with_a_model():
  rng = np.random.default_rng(2)
  labels = rng.integers(0, 4, size=50)
  x = np.stack([labels, np.zeros(50)], axis=1).astype(np.float32)
  noisy = labels.copy()
  noisy[:10] = (noisy[:10] + 1) % 4                 # 10 of 50 labels disagree
  out = ca.cluster_accuracy(_OracleModel(), x, labels, x, noisy, batch_size=16)
  assert out["majority_accuracy"] == pytest.approx(0.8)
  assert out["hungarian_accuracy"] == pytest.approx(0.8)
  with pytest.raises(ValueError):
    ca.predict_clusters(object(), x)


def test_evaluate_splits_per_example_output_reproduces_the_accuracies():
  """The per-example categories, labels and mappings in the JSON give back the figures."""
  rng = np.random.default_rng(3)
  labels = {s: rng.integers(0, 4, size=n) for s, n in (("valid", 40), ("test", 30))}
  arrays = {s: np.stack([l, np.zeros(len(l))], 1).astype(np.float32)
            for s, l in labels.items()}
  labels["test"][:6] = (labels["test"][:6] + 2) % 4

  class _Splits:
    name = "toy"

    def __init__(self):
      self.labels = labels

    def eval_array(self, split):
      return arrays[split]

  out = ca.evaluate_splits(_OracleModel(), _Splits(), per_example=True)
  raw = out["per_example"]
  assert len(raw["test_clusters"]) == 30 and len(raw["valid_clusters"]) == 40
  for name in ("majority", "hungarian"):
    mapping = np.asarray(raw["mappings"][name])
    again = np.mean(mapping[raw["test_clusters"]] == np.asarray(raw["test_labels"]))
    assert again == pytest.approx(out[f"{name}_accuracy"]) == pytest.approx(0.8)
