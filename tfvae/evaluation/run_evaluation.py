"""Test-set figures of a trained workdir: ELBO, IWAE NLL and model-specific extras.

Shared by ``tfvae-evaluate`` and ``tfvae-benchmark``. The NLL is -L_k of Burda et al.
(2016), averaged over the examples; its standard error combines the spread over
examples with the error of the model's log Z estimate when it has one (the DVAE's AIS).
The per-example values are returned too (``per_example``) and ``write_json`` stores them
beside the JSON, so two models evaluated on the same examples can be compared paired
(``tfvae-evaluate --compare=A.json,B.json``, ``tfvae.evaluation.paired_difference``).
"""
import json
import os
import time
from typing import Optional

import numpy as np
import tensorflow as tf

from tfvae.evaluation import pen_lifts
from tfvae.evaluation.iwae import iwae_log_likelihood, summarize
from tfvae.evaluation.paired_difference import per_example_path


def spaced_indices(total: int, count: int) -> np.ndarray:
  """``count`` evenly spaced indices of ``range(total)`` (all of them if ``count`` is 0 or
  at least ``total``). A sorted split (the binarized MNIST test split is sorted by label)
  then contributes every class instead of only the first ones."""
  if count <= 0 or count >= total:
    return np.arange(total)
  return np.unique(np.linspace(0, total - 1, count).round().astype(np.int64))


def spaced_subset(dataset: tf.data.Dataset, total: int, count: int,
                  batch_size: int) -> tf.data.Dataset:
  """The examples of a batched ``dataset`` at ``spaced_indices(total, count)``, re-batched."""
  indices = spaced_indices(total, count)
  keep = np.zeros([total], bool)
  keep[indices] = True
  keep = tf.constant(keep)

  def kept(index, unused_x):
    return tf.gather(keep, index)

  def example(unused_index, x):
    return x

  # filter() makes the cardinality unknown; Keras' evaluate() then averages over one
  # batch too many (measured: the mean ELBO came out 2/3 of the true one for 2 batches).
  batches = -(-len(indices) // batch_size)
  return (dataset.unbatch().enumerate().filter(kept).map(example).batch(batch_size)
          .apply(tf.data.experimental.assert_cardinality(batches)))


def first_subset(dataset: tf.data.Dataset, total: int, count: int,
                 batch_size: int) -> tf.data.Dataset:
  """The first ``count`` examples of a batched ``dataset`` (all if ``count`` >= ``total``),
  re-batched: exactly ``count``, not the whole batches that hold them. Of a sorted split
  (the binarized MNIST test split is sorted by label) only the first classes: use
  ``spaced_subset`` unless a prefix is what is wanted."""
  count = min(count, total)
  return (dataset.unbatch().take(count).batch(batch_size)
          .apply(tf.data.experimental.assert_cardinality(-(-count // batch_size))))


def select_examples(dataset: tf.data.Dataset, total: int, max_examples: int,
                    batch_size: int, spaced: bool = True):
  """``(dataset, subset)``: ``max_examples`` evenly spaced examples of the batched
  ``dataset`` of ``total`` examples (``subset="spaced"``), with ``spaced=False`` the
  first ones (``"first"``), or all of them (``"all"``, when ``max_examples`` is 0)."""
  if not max_examples:
    return dataset, "all"
  if spaced:
    return spaced_subset(dataset, total, max_examples, batch_size), "spaced"
  return first_subset(dataset, total, max_examples, batch_size), "first"


#: Prior samples whose pen lifts are counted (pen-output stroke models).
PEN_SAMPLES = 1000


def evaluate_run(workdir: str, split: str = "test", iwae_samples: Optional[int] = None,
                 chunk_size: Optional[int] = None, batch_size: Optional[int] = None,
                 max_examples: int = 0, checkpoint: Optional[str] = None,
                 log=print, spaced: bool = True, sample_temperatures=()) -> dict:
  """Restores ``workdir`` and returns its figures on ``split`` as a dict (JSON-ready but
  for ``per_example``, the numpy array of per-example IWAE log-likelihoods).

  ``max_examples`` limits the evaluation to N evenly spaced examples (every class of a
  sorted split), or with ``spaced=False`` to the first N; 0 evaluates the whole split.
  For pen-output models the lift rate of prior samples is measured at temperature 1 and
  at each of ``sample_temperatures`` (``SequenceOutput.sample``)."""
  from tfvae.training.trainer import restore_for_inference  # pylint: disable=g-import-not-at-top
  if iwae_samples is not None and iwae_samples < 1:
    raise ValueError(f"iwae_samples must be >= 1, got {iwae_samples}")
  if max_examples < 0:
    raise ValueError(f"max_examples must be >= 0, got {max_examples}")
  config, splits, model, epoch = restore_for_inference(workdir, checkpoint)
  ev = config.eval
  k = int(ev.iwae_samples if iwae_samples is None else iwae_samples)
  if k < 1:
    raise ValueError(f"config.eval.iwae_samples must be >= 1, got {k}")
  if sample_temperatures and not getattr(getattr(model, "output_head", None), "pen", False):
    raise ValueError("sample_temperatures: only pen-output models have a sample lift rate")
  batch = int(batch_size or ev.batch_size)
  dataset, subset = select_examples(splits.eval_dataset(split, batch),
                                    len(splits.split(split)), max_examples, batch, spaced)
  start = time.time()
  # e.g. the DVAE estimates its RBM's log Z (AIS) so that bounds are normalised.
  extra = dict(model.prepare_evaluation(seed=int(ev.get("seed", 0)),
                                        **dict(ev.get("log_z", {}) or {})))
  if extra:
    log("prepared evaluation: " + ", ".join(f"{n}={v}" for n, v in extra.items()))
  elbo_logs = model.evaluate(dataset, verbose=0, return_dict=True)
  log(f"{split} ELBO (1 sample): {elbo_logs['elbo']:.3f} nats")
  for key, value in sorted(elbo_logs.items()):
    if key.endswith("_accuracy"):
      log(f"{split} {key}: {value:.4f}")
  values = iwae_log_likelihood(model, dataset, k, int(chunk_size or ev.chunk_size),
                               seed=int(ev.get("seed", 0)), log=log)
  stats = summarize(values)
  stderr = stats["stderr"]
  if extra.get("log_z_stderr") is not None:
    stderr = float((stderr**2 + float(extra["log_z_stderr"])**2) ** 0.5)
  result = {
      "workdir": os.path.abspath(workdir), "epoch": epoch, "split": split,
      "examples": stats["count"], "iwae_samples": k,
      "subset": subset,
      "elbo": float(elbo_logs["elbo"]),
      "terms": {key: float(v) for key, v in elbo_logs.items()},
      "iwae_log_likelihood": stats["mean"], "nll": -stats["mean"],
      "nll_stderr": stderr, "seconds": time.time() - start,
      "prepared": {n: (float(v) if isinstance(v, (int, float)) else str(v))
                   for n, v in extra.items()},
      "per_example": values,
  }
  log(f"{split} NLL (IWAE k={k}): {result['nll']:.3f} ± {stderr:.3f} "
      f"nats over {stats['count']} examples ({result['seconds']:.0f}s)")
  pen = pen_lifts.prediction_figures(result["terms"])
  if pen:
    rate = lambda tau: pen_lifts.sample_lift_rate(
        model, PEN_SAMPLES, length=int(model.max_length), seed=int(ev.get("seed", 0)),
        temperature=tau)
    pen["pen_lift_rate_samples"] = rate(1.0)
    log(f"{split} pen lifts: " + ", ".join(f"{n[9:]}={v}" if v is None else f"{n[9:]}={v:.4f}"
                                          for n, v in pen.items()))
    if sample_temperatures:
      by_tau = {str(float(t)): rate(float(t)) for t in sample_temperatures}
      pen["pen_lift_rate_samples_by_temperature"] = by_tau
      log("sample lift rate by temperature: "
          + ", ".join(f"{t}: {v:.4f}" for t, v in by_tau.items()))
    result["pen_lifts"] = pen
  labels = getattr(splits, "labels", None) or {}
  if model.num_categories is not None and "test" in labels:
    from tfvae.evaluation.cluster_accuracy import evaluate_splits  # pylint: disable=g-import-not-at-top
    try:
      result["cluster_accuracy"] = evaluate_splits(model, splits)
      log(f"cluster accuracy: {result['cluster_accuracy']}")
    except ValueError as e:  # e.g. an HVAE without a VampPrior has no categories
      log(f"cluster accuracy not available: {e}")
  return result


def write_json(result: dict, path: str) -> str:
  """Writes ``result`` atomically (tmp file + rename) and returns ``path``; a
  ``per_example`` array goes to ``<path>.per_example.npy`` instead of the JSON."""
  result = dict(result)
  per_example = result.pop("per_example", None)
  if per_example is not None:
    npy = per_example_path(path)
    with open(npy + ".tmp", "wb") as f:
      np.save(f, np.asarray(per_example, np.float64))
    os.replace(npy + ".tmp", npy)
  tmp = path + ".tmp"
  with open(tmp, "w") as f:
    json.dump(result, f, indent=2)
  os.replace(tmp, path)
  return path
