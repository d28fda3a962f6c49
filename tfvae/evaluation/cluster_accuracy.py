"""Unsupervised cluster accuracy (CP-VAE paper, sec. 5.2: 94.6 % on MNIST with c = 10).

A model with categories (``model.category_probs(x) -> [batch, K]``: q(c|x) for CP-VAE,
component responsibilities for MG / VampPrior) assigns each example to argmax_k. A
mapping category -> label is fitted on a labelled split, then applied to the test split:

* ``majority``: each category takes the most frequent true label among its members
  (several categories may share a label; categories never used map to -1);
* ``hungarian``: a one-to-one matching maximising the number of agreements
  (``scipy.optimize.linear_sum_assignment`` if scipy is installed, else the O(n^2 m)
  Hungarian algorithm below); with K > L categories, unmatched categories map to -1.

Accuracy = fraction of examples whose mapped category equals the label (a -1 is an error).

Command line: ``tfvae-evaluate --workdir=DIR --cluster_accuracy [--category_grid=PNG]``
(``evaluate_workdir``: the JSON ``DIR/eval_clusters.json`` and the per-category grid).
``tfvae-evaluate --workdir=DIR`` also reports the accuracies beside the likelihood.
"""
from typing import Dict, Optional

import numpy as np
import tensorflow as tf


def predict_clusters(model, x, batch_size: int = 1000) -> np.ndarray:
  """argmax_k of ``model.category_probs`` for every row of ``x`` (numpy ``[n]`` int64)."""
  if getattr(model, "num_categories", None) is None:  # any object, not only our models
    raise ValueError(f"{type(model).__name__} has no categories (num_categories is None)")
  probs_fn = tf.function(model.category_probs)
  out = []
  for start in range(0, len(x), batch_size):
    batch = tf.convert_to_tensor(np.asarray(x[start:start + batch_size], np.float32))
    out.append(np.argmax(probs_fn(batch).numpy(), axis=-1))
  return np.concatenate(out) if out else np.zeros([0], np.int64)


def contingency_table(clusters, labels, num_clusters: int, num_labels: int) -> np.ndarray:
  """``counts[k, l]`` = number of examples in cluster k with label l."""
  clusters, labels = np.asarray(clusters, np.int64), np.asarray(labels, np.int64)
  if clusters.shape != labels.shape:
    raise ValueError(f"clusters {clusters.shape} and labels {labels.shape} differ in shape")
  counts = np.zeros([num_clusters, num_labels], np.int64)
  np.add.at(counts, (clusters, labels), 1)
  return counts


def majority_vote_mapping(counts: np.ndarray) -> np.ndarray:
  """Label of each cluster by majority vote; -1 for clusters with no member."""
  mapping = np.argmax(counts, axis=1)
  mapping[counts.sum(axis=1) == 0] = -1
  return mapping


def _hungarian_rows_le_cols(cost: np.ndarray):
  """Minimum-cost assignment of every row to a distinct column (rows <= cols).

  The shortest-augmenting-path Hungarian algorithm with potentials (Kuhn-Munkres),
  O(n^2 m). Returns ``col_of_row [n]``.
  """
  n, m = cost.shape
  inf = float("inf")
  u, v = np.zeros(n + 1), np.zeros(m + 1)
  p = np.zeros(m + 1, np.int64)      # p[j]: row (1-based) matched to column j; 0 = free
  way = np.zeros(m + 1, np.int64)
  for i in range(1, n + 1):
    p[0] = i
    j0 = 0
    minv = np.full(m + 1, inf)
    used = np.zeros(m + 1, bool)
    while True:
      used[j0] = True
      i0, delta, j1 = p[j0], inf, 0
      for j in range(1, m + 1):
        if not used[j]:
          cur = cost[i0 - 1, j - 1] - u[i0] - v[j]
          if cur < minv[j]:
            minv[j], way[j] = cur, j0
          if minv[j] < delta:
            delta, j1 = minv[j], j
      for j in range(m + 1):
        if used[j]:
          u[p[j]] += delta
          v[j] -= delta
        else:
          minv[j] -= delta
      j0 = j1
      if p[j0] == 0:
        break
    while j0:
      j1 = way[j0]
      p[j0] = p[j1]
      j0 = j1
  col_of_row = np.full(n, -1, np.int64)
  for j in range(1, m + 1):
    if p[j]:
      col_of_row[p[j] - 1] = j - 1
  return col_of_row


def linear_sum_assignment(cost: np.ndarray):
  """``(rows, cols)`` of a minimum-cost matching (scipy if available, else our own)."""
  cost = np.asarray(cost, np.float64)
  try:
    from scipy.optimize import linear_sum_assignment as scipy_lsa  # pylint: disable=C0415
    return scipy_lsa(cost)
  except ImportError:
    return own_linear_sum_assignment(cost)


def own_linear_sum_assignment(cost: np.ndarray):
  cost = np.asarray(cost, np.float64)
  if cost.shape[0] <= cost.shape[1]:
    cols = _hungarian_rows_le_cols(cost)
    return np.arange(cost.shape[0]), cols
  rows = _hungarian_rows_le_cols(cost.T)
  order = np.argsort(rows)
  return rows[order], np.arange(cost.shape[1])[order]


def hungarian_mapping(counts: np.ndarray) -> np.ndarray:
  """One-to-one cluster -> label mapping maximising agreements; -1 where unmatched."""
  rows, cols = linear_sum_assignment(-counts)
  mapping = np.full(counts.shape[0], -1, np.int64)
  mapping[rows] = cols
  return mapping


MAPPINGS = {"majority": majority_vote_mapping, "hungarian": hungarian_mapping}


def accuracy(clusters, labels, mapping) -> float:
  clusters, labels = np.asarray(clusters), np.asarray(labels)
  return float(np.mean(np.asarray(mapping)[clusters] == labels)) if len(labels) else 0.0


def cluster_accuracy_from_assignments(fit_clusters, fit_labels, eval_clusters, eval_labels,
                                      num_clusters: int, num_labels: Optional[int] = None
                                      ) -> Dict[str, float]:
  """Accuracy of both mappings, fitted on ``fit_*`` and evaluated on ``eval_*``."""
  if num_labels is None:
    num_labels = int(max(np.max(fit_labels), np.max(eval_labels))) + 1
  counts = contingency_table(fit_clusters, fit_labels, num_clusters, num_labels)
  out = {}
  for name, fn in MAPPINGS.items():
    out[f"{name}_accuracy"] = accuracy(eval_clusters, eval_labels, fn(counts))
  used = np.unique(np.asarray(eval_clusters))
  out["used_clusters"] = int(len(used))
  return out


def cluster_accuracy(model, fit_x, fit_labels, eval_x, eval_labels,
                     batch_size: int = 1000) -> Dict[str, float]:
  """Cluster accuracy of ``model`` (see the module docstring).

  ``fit_*`` is the labelled split on which categories are mapped to labels (e.g. the
  validation split); ``eval_*`` the split reported (the test split). Passing the same
  split twice gives the usual "best mapping on the evaluation data" accuracy.
  """
  fit_clusters = predict_clusters(model, fit_x, batch_size)
  eval_clusters = predict_clusters(model, eval_x, batch_size)
  return cluster_accuracy_from_assignments(fit_clusters, fit_labels, eval_clusters,
                                           eval_labels, model.num_categories)


def evaluate_splits(model, splits, fit_split: str = "valid", eval_split: str = "test",
                    batch_size: int = 1000, per_example: bool = False) -> Dict[str, float]:
  """Cluster accuracy on ``splits`` (a ``DatasetSplits`` with labels).

  The mapping is fitted on ``fit_split`` if it has labels, else on ``eval_split`` itself.
  Dynamically binarized data use the fixed evaluation binarization (``eval_array``).
  ``per_example``: also the category of every example of both splits, their labels and
  both fitted mappings (``"per_example"``), the raw output behind the accuracies.
  """
  labels = splits.labels or {}
  if eval_split not in labels:
    raise ValueError(f"dataset {splits.name!r} has no labels for the {eval_split} split")
  if fit_split not in labels:
    fit_split = eval_split
  eval_x = splits.eval_array(eval_split)
  fit_x = eval_x if fit_split == eval_split else splits.eval_array(fit_split)
  fit_clusters = predict_clusters(model, fit_x, batch_size)
  eval_clusters = (fit_clusters if fit_split == eval_split
                   else predict_clusters(model, eval_x, batch_size))
  out = cluster_accuracy_from_assignments(fit_clusters, labels[fit_split], eval_clusters,
                                          labels[eval_split], model.num_categories)
  out.update(fit_split=fit_split, eval_split=eval_split)
  if per_example:
    num_labels = int(max(np.max(labels[fit_split]), np.max(labels[eval_split]))) + 1
    counts = contingency_table(fit_clusters, labels[fit_split], model.num_categories,
                               num_labels)
    out["per_example"] = {
        f"{fit_split}_clusters": [int(c) for c in fit_clusters],
        f"{fit_split}_labels": [int(c) for c in labels[fit_split]],
        f"{eval_split}_clusters": [int(c) for c in eval_clusters],
        f"{eval_split}_labels": [int(c) for c in labels[eval_split]],
        "mappings": {name: [int(v) for v in fn(counts)] for name, fn in MAPPINGS.items()}}
  return out


def evaluate_workdir(workdir: str, grid_path: Optional[str] = None,
                     refresh_aggregated_posterior: bool = True,
                     checkpoint: Optional[str] = None) -> Dict[str, object]:
  """Cluster accuracy of a trained workdir; optionally the per-category grid PNG.

  For CP-VAE, q(c) (eq. 14) is recomputed on the training split first, so the grid's
  category order reflects it even if training ended without the callback.
  """
  from tfvae.evaluation.category_grid import write_category_grid  # pylint: disable=C0415
  from tfvae.training.trainer import restore_for_inference  # pylint: disable=C0415
  config, splits, model, epoch = restore_for_inference(workdir, checkpoint)
  result = {"workdir": workdir, "epoch": epoch, "model": config.model.name}
  q_c = (model.update_aggregated_posterior(splits.eval_dataset("train", 1000))
         if refresh_aggregated_posterior else None)
  if q_c is not None:
    result["aggregated_posterior"] = [float(v) for v in q_c]
  result.update(evaluate_splits(model, splits, per_example=True))
  if grid_path and len(splits.image_shape) >= 2:
    image_shape = tuple(splits.image_shape)[:2]
    result["category_grid"] = write_category_grid(model, grid_path, image_shape=image_shape)
  return result
