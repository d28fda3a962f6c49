"""Test log-likelihood of a Discrete VAE: IWAE bound minus an estimate of log Z (app. H.1).

    log p(x) >= L_k + log Z - log Z_hat,   L_k + log Z = E log (1/k) sum_s p~(x, h_s)/q(h_s|x)

where p~ is the model with the RBM left unnormalised. ``dvae_log_likelihood`` estimates
log Z (exact enumeration when a side has <= 20 units, else AIS or parallel tempering,
``rbm_partition``), stores it in the model and runs a chunked IWAE (k up to 10^4; the
same weights also give the 1-sample ELBO, mean log w). The reported error bar combines the standard
error over test examples with the standard error of log Z_hat (which shifts every example
alike): stderr = sqrt(stderr_iwae^2 + stderr_logZ^2).

Command line (after ``tfvae-train``):

  python -m tfvae.evaluation.dvae_likelihood --workdir=runs/dvae --iwae_samples=10000
"""
import json
import math
import os
import time

import numpy as np
import tensorflow as tf

from tfvae.evaluation.iwae import summarize
from tfvae.evaluation.paired_difference import per_example_path


def iwae_and_elbo(model, dataset, num_samples: int, chunk_size: int = 500, seed: int = 0,
                  log_every: float = 30.0, log=print):
  """Per-example ``(L_k, mean_s log w_s)``: the IWAE bound and the 1-sample ELBO estimate
  from the same ``num_samples`` importance weights, in chunks (float64 accumulation)."""
  chunk_size = int(min(chunk_size, num_samples))
  num_chunks = int(math.ceil(num_samples / chunk_size))

  @tf.function(reduce_retracing=True)
  def chunk(x, s, pair):
    log_w = tf.cast(model.log_importance_weights(x, s, pair), tf.float64)
    return tf.reduce_logsumexp(log_w, axis=0), tf.reduce_sum(log_w, axis=0)

  bounds, elbos = [], []
  start = last = time.time()
  for batch_index, x in enumerate(dataset):
    lse, total = [], 0.0
    for c in range(num_chunks):
      s = min(chunk_size, num_samples - c * chunk_size)
      a, b = chunk(x, s, tf.constant([seed, batch_index * num_chunks + c], tf.int32))
      lse.append(a)
      total += b
    bounds.append((tf.reduce_logsumexp(tf.stack(lse), 0) - math.log(num_samples)).numpy())
    elbos.append((total / num_samples).numpy())
    if log and time.time() - last > log_every:
      last = time.time()
      log(f"  IWAE k={num_samples}: {sum(map(len, bounds))} examples, {last - start:.0f}s")
  return np.concatenate(bounds), np.concatenate(elbos)


def dvae_log_likelihood(model, dataset, num_samples: int, chunk_size: int = 500,
                        seed: int = 0, log_z=None, log=print) -> dict:
  """IWAE log-likelihood minus log Z_hat; ``log_z``: kwargs of ``estimate_log_partition``.

  Also returns the ELBO estimated from the same weights (mean log w, with log Z_hat).
  """
  start = time.time()
  log_z_info = model.estimate_log_partition(seed=(int(seed), 1), **dict(log_z or {}))
  if log:
    log(f"log Z = {log_z_info['log_z']:.4f} ± {log_z_info['log_z_stderr']:.4f} "
        f"({log_z_info['method']}, {time.time() - start:.0f}s)")
  values, elbos = iwae_and_elbo(model, dataset, num_samples, chunk_size, seed=seed, log=log)
  stats, elbo = summarize(values), summarize(elbos)
  stderr = math.sqrt(stats["stderr"] ** 2 + log_z_info["log_z_stderr"] ** 2)
  return {"log_likelihood": stats["mean"], "nll": -stats["mean"], "stderr": stderr,
          "stderr_examples": stats["stderr"], "elbo": elbo["mean"],
          "elbo_stderr": math.sqrt(elbo["stderr"] ** 2 + log_z_info["log_z_stderr"] ** 2),
          "log_z": log_z_info["log_z"],
          "log_z_stderr": log_z_info["log_z_stderr"], "log_z_method": log_z_info["method"],
          "iwae_samples": int(num_samples), "examples": stats["count"],
          "seconds": time.time() - start, "per_example": values}


def main(argv):
  """``python -m tfvae.evaluation.dvae_likelihood --workdir=... [--iwae_samples=k]``."""
  del argv
  from tfvae.cli.common import quiet_tensorflow  # pylint: disable=g-import-not-at-top
  quiet_tensorflow()
  from tfvae.training.trainer import restore_for_inference  # pylint: disable=g-import-not-at-top
  config, splits, model, epoch = restore_for_inference(FLAGS.workdir)
  ev = config.eval
  k = FLAGS.iwae_samples or int(ev.iwae_samples)
  batch = FLAGS.batch_size or int(ev.batch_size)
  data = splits.eval_array(FLAGS.split)
  if FLAGS.max_examples and FLAGS.max_examples < len(data):
    # Evenly spaced, not the first N: test splits are often sorted by label.
    data = data[np.linspace(0, len(data) - 1, FLAGS.max_examples).round().astype(int)]
  dataset = tf.data.Dataset.from_tensor_slices(data).batch(batch)
  log_z = dict(ev.get("log_z", {}) or {})
  if FLAGS.log_z_method:
    log_z = {"method": FLAGS.log_z_method}
  if FLAGS.ais_temperatures:
    log_z["num_temperatures"] = FLAGS.ais_temperatures
  if log_z.get("method") in ("exact", "auto"):
    log_z = {"method": log_z["method"]}
  result = dvae_log_likelihood(model, dataset, k, FLAGS.chunk_size or int(ev.chunk_size),
                               seed=int(ev.get("seed", 0)), log_z=log_z)
  per_example = result.pop("per_example")
  result.update(workdir=os.path.abspath(FLAGS.workdir), epoch=epoch, split=FLAGS.split)
  print(f"{FLAGS.split} ELBO: {result['elbo']:.3f}   log-likelihood (IWAE k={k} - log Z): "
        f"{result['log_likelihood']:.3f} ± {result['stderr']:.3f} nats over "
        f"{result['examples']} examples (log Z {result['log_z']:.3f} ± "
        f"{result['log_z_stderr']:.3f}, {result['seconds']:.0f}s)")
  output = FLAGS.output or os.path.join(FLAGS.workdir, f"dvae_ll_{FLAGS.split}.json")
  with open(output + ".tmp", "w") as f:
    json.dump(result, f, indent=2, default=lambda v: np.asarray(v).tolist())
  os.replace(output + ".tmp", output)
  # Kept for paired comparisons of two models on the same examples (paired_difference).
  np.save(per_example_path(output), np.asarray(per_example, np.float64))
  print(f"wrote {output}")


if __name__ == "__main__":
  from absl import app, flags  # pylint: disable=g-import-not-at-top,g-multiple-import
  flags.DEFINE_string("workdir", None, "Training workdir (has config.json).")
  flags.DEFINE_enum("split", "test", ["train", "valid", "test"], "Split.")
  flags.DEFINE_integer("iwae_samples", None, "k (default config.eval.iwae_samples).")
  flags.DEFINE_integer("chunk_size", None, "Samples per chunk.")
  flags.DEFINE_integer("batch_size", None, "Images per batch.")
  flags.DEFINE_integer("max_examples", 0, "N evenly spaced examples (0 = all).")
  flags.DEFINE_string("log_z_method", None, "exact | ais | parallel_tempering | auto.")
  flags.DEFINE_integer("ais_temperatures", None, "AIS temperatures (override).")
  flags.DEFINE_string("output", None, "JSON path (default <workdir>/dvae_ll_<split>.json).")
  flags.mark_flags_as_required(["workdir"])
  FLAGS = flags.FLAGS
  app.run(main)
