"""Test-set figures of a trained workdir: ELBO, IWAE NLL and model-specific extras.

Shared by ``tfvae-evaluate`` and ``tfvae-benchmark``. The NLL is -L_k of Burda et al.
(2016), averaged over the examples; its standard error combines the spread over
examples with the error of the model's log Z estimate when it has one (the DVAE's AIS).
"""
import json
import os
import time
from typing import Optional

from tfvae.evaluation.iwae import iwae_log_likelihood, summarize


def evaluate_run(workdir: str, split: str = "test", iwae_samples: Optional[int] = None,
                 chunk_size: Optional[int] = None, batch_size: Optional[int] = None,
                 max_examples: int = 0, checkpoint: Optional[str] = None,
                 log=print) -> dict:
  """Restores ``workdir`` and returns its figures on ``split`` as a JSON-ready dict."""
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
  batch = int(batch_size or ev.batch_size)
  dataset = splits.eval_dataset(split, batch)
  if max_examples:
    dataset = dataset.take(-(-max_examples // batch))
  start = time.time()
  extra = {}
  if hasattr(model, "prepare_evaluation"):
    # e.g. the DVAE estimates its RBM's log Z (AIS) so that bounds are normalised.
    extra = dict(model.prepare_evaluation(seed=int(ev.get("seed", 0)),
                                          **dict(ev.get("log_z", {}) or {})))
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
      "elbo": float(elbo_logs["elbo"]),
      "terms": {key: float(v) for key, v in elbo_logs.items()},
      "iwae_log_likelihood": stats["mean"], "nll": -stats["mean"],
      "nll_stderr": stderr, "seconds": time.time() - start,
      "prepared": {n: (float(v) if isinstance(v, (int, float)) else str(v))
                   for n, v in extra.items()},
  }
  log(f"{split} NLL (IWAE k={k}): {result['nll']:.3f} ± {stderr:.3f} "
      f"nats over {stats['count']} examples ({result['seconds']:.0f}s)")
  labels = getattr(splits, "labels", None) or {}
  if hasattr(model, "category_probs") and "test" in labels:
    from tfvae.evaluation.cluster_accuracy import evaluate_splits  # pylint: disable=g-import-not-at-top
    try:
      result["cluster_accuracy"] = evaluate_splits(model, splits)
      log(f"cluster accuracy: {result['cluster_accuracy']}")
    except ValueError as e:  # e.g. an HVAE without a VampPrior has no categories
      log(f"cluster accuracy not available: {e}")
  return result


def write_json(result: dict, path: str) -> str:
  """Writes ``result`` atomically (tmp file + rename) and returns ``path``."""
  tmp = path + ".tmp"
  with open(tmp, "w") as f:
    json.dump(result, f, indent=2)
  os.replace(tmp, path)
  return path
