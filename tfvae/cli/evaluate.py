"""tfvae-evaluate: test ELBO and importance-weighted NLL of a trained workdir.

  tfvae-evaluate --workdir=runs/vae --iwae_samples=5000

Prints the figures and writes them as JSON (default ``<workdir>/eval_<split>.json``).
"""
import json
import os
import time

from absl import app
from absl import flags

from tfvae.cli.common import quiet_tensorflow

_WORKDIR = flags.DEFINE_string("workdir", None, "Training workdir (has config.json).")
_SPLIT = flags.DEFINE_enum("split", "test", ["train", "valid", "test"], "Split.")
_K = flags.DEFINE_integer("iwae_samples", None, "k of the IWAE bound (default: config.eval).")
_CHUNK = flags.DEFINE_integer("chunk_size", None, "Samples per chunk (memory/speed).")
_BATCH = flags.DEFINE_integer("batch_size", None, "Images per IWAE batch.")
_LIMIT = flags.DEFINE_integer("max_examples", 0, "Evaluate only the first N (0 = all).")
_OUTPUT = flags.DEFINE_string("output", None, "JSON path (default in workdir).")
_CHECKPOINT = flags.DEFINE_string("checkpoint", None, "Checkpoint path (default: latest).")
flags.mark_flags_as_required(["workdir"])


def main(argv):
  del argv
  quiet_tensorflow()
  from tfvae.evaluation.iwae import iwae_log_likelihood, summarize  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import restore_for_inference  # pylint: disable=g-import-not-at-top
  config, splits, model, epoch = restore_for_inference(_WORKDIR.value, _CHECKPOINT.value)
  ev = config.eval
  k = _K.value or int(ev.iwae_samples)
  if k < 1:
    raise app.UsageError(f"--iwae_samples must be >= 1, got {k}")
  batch = _BATCH.value or int(ev.batch_size)
  dataset = splits.eval_dataset(_SPLIT.value, batch)
  if _LIMIT.value:
    dataset = dataset.take(-(-_LIMIT.value // batch))
  start = time.time()
  extra = {}
  if hasattr(model, "prepare_evaluation"):
    # e.g. the DVAE estimates its RBM's log Z (AIS) so that bounds are normalised.
    extra = dict(model.prepare_evaluation(seed=int(ev.get("seed", 0)),
                                          **dict(ev.get("log_z", {}) or {})))
    print("prepared evaluation: " + ", ".join(f"{k}={v}" for k, v in extra.items()))
  elbo_logs = model.evaluate(dataset, verbose=0, return_dict=True)
  print(f"{_SPLIT.value} ELBO (1 sample): {elbo_logs['elbo']:.3f} nats")
  for key, value in sorted(elbo_logs.items()):
    if key.endswith("_accuracy"):
      print(f"{_SPLIT.value} {key}: {value:.4f}")
  values = iwae_log_likelihood(model, dataset, k, _CHUNK.value or int(ev.chunk_size),
                               seed=int(ev.get("seed", 0)))
  stats = summarize(values)
  stderr = stats["stderr"]
  if extra.get("log_z_stderr") is not None:
    stderr = float((stderr**2 + float(extra["log_z_stderr"])**2) ** 0.5)
  result = {
      "workdir": os.path.abspath(_WORKDIR.value), "epoch": epoch, "split": _SPLIT.value,
      "examples": stats["count"], "iwae_samples": k,
      "elbo": float(elbo_logs["elbo"]),
      "terms": {key: float(v) for key, v in elbo_logs.items()},
      "iwae_log_likelihood": stats["mean"], "nll": -stats["mean"],
      "nll_stderr": stderr, "seconds": time.time() - start,
      "prepared": {k: (float(v) if isinstance(v, (int, float)) else str(v))
                   for k, v in extra.items()},
  }
  print(f"{_SPLIT.value} NLL (IWAE k={k}): {result['nll']:.3f} ± {stderr:.3f} "
        f"nats over {stats['count']} examples ({result['seconds']:.0f}s)")
  labels = getattr(splits, "labels", None) or {}
  if hasattr(model, "category_probs") and "test" in labels:
    from tfvae.evaluation.cluster_accuracy import evaluate_splits  # pylint: disable=g-import-not-at-top
    try:
      result["cluster_accuracy"] = evaluate_splits(model, splits)
      print(f"cluster accuracy: {result['cluster_accuracy']}")
    except ValueError as e:  # e.g. an HVAE without a VampPrior has no categories
      print(f"cluster accuracy not available: {e}")
  output = _OUTPUT.value or os.path.join(_WORKDIR.value, f"eval_{_SPLIT.value}.json")
  tmp = output + ".tmp"
  with open(tmp, "w") as f:
    json.dump(result, f, indent=2)
  os.replace(tmp, output)
  print(f"wrote {output}")


def run():
  app.run(main)


if __name__ == "__main__":
  run()
