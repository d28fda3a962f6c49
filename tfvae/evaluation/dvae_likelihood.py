"""Test log-likelihood of a Discrete VAE: IWAE bound minus an estimate of log Z (app. H.1).

    log p(x) >= L_k + log Z - log Z_hat,   L_k + log Z = E log (1/k) sum_s p~(x, h_s)/q(h_s|x)

where p~ is the model with the RBM left unnormalised. ``dvae_log_likelihood`` estimates
log Z (exact enumeration when a side has <= 20 units, else AIS or parallel tempering,
``rbm_partition``), stores it in the model and runs a chunked IWAE (k up to 10^4; the
same weights also give the 1-sample ELBO, mean log w). The reported error bar combines the standard
error over test examples with the standard error of log Z_hat (which shifts every example
alike): stderr = sqrt(stderr_iwae^2 + stderr_logZ^2).

Command line (after ``tfvae-train``): ``tfvae-evaluate`` takes this path for a Discrete
VAE and writes ``<workdir>/dvae_ll_<split>.json`` (``evaluate_dvae_run``):

  tfvae-evaluate --workdir=runs/dvae --iwae_samples=10000
  tfvae-evaluate --workdir=runs/dvae --log_z_method=ais --log_z_temperatures=2000
"""
import math
import os
import time
from typing import Optional

import numpy as np
import tensorflow as tf

from tfvae.evaluation.iwae import summarize
from tfvae.evaluation.run_evaluation import spaced_indices

# The settings each log Z method takes besides ``method`` (kwargs of
# ``DiscreteVAE.estimate_log_partition``). "auto" is exact enumeration when a side of the
# RBM has <= 20 units, else AIS, so it takes AIS's settings.
_AIS = ("num_chains", "num_temperatures", "schedule", "sweeps_per_temperature")
LOG_Z_SETTINGS = {
    "exact": (), "auto": _AIS, "ais": _AIS,
    "parallel_tempering": ("num_temperatures", "num_sweeps", "num_runs", "burn_in",
                           "schedule"),
}


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


def estimates_log_partition(config) -> bool:
  """Whether the model of ``config`` (a training workdir's config) normalises its bound
  with an estimated log Z (the Discrete VAE, with or without its RBM): its likelihood is
  then evaluated here (``evaluate_dvae_run``)."""
  from tfvae.registry import MODELS  # pylint: disable=g-import-not-at-top
  return hasattr(MODELS.get(config.model.name), "estimate_log_partition")


def log_z_settings(configured=None, method: Optional[str] = None, **overrides) -> dict:
  """The kwargs of ``estimate_log_partition``: ``configured`` (``config.eval.log_z``) with
  ``method`` and the ``overrides`` that are not None on top.

  A ``method`` other than the configured one starts from that method's defaults (the
  configured settings belong to the other method). ``exact`` takes no settings (configured
  ones are dropped); an override that ``method`` does not take is a ``ValueError``.
  """
  settings = dict(configured or {})
  method = method or settings.get("method", "auto")
  if method not in LOG_Z_SETTINGS:
    raise ValueError(f"unknown log Z method {method!r}; one of {', '.join(LOG_Z_SETTINGS)}")
  if method != settings.get("method", "auto") or method == "exact":
    settings = {}
  overrides = {k: v for k, v in overrides.items() if v is not None}
  wrong = sorted(set(overrides) - set(LOG_Z_SETTINGS[method]))
  if wrong:
    raise ValueError(f"log Z method {method!r} takes no {', '.join(wrong)} (its settings: "
                     f"{', '.join(LOG_Z_SETTINGS[method]) or 'none'})")
  settings.update(overrides, method=method)
  return settings


def evaluate_dvae_run(workdir: str, split: str = "test", iwae_samples: Optional[int] = None,
                      chunk_size: Optional[int] = None, batch_size: Optional[int] = None,
                      max_examples: int = 0, checkpoint: Optional[str] = None,
                      log_z: Optional[dict] = None, log=print) -> dict:
  """Restores a Discrete VAE from ``workdir`` and returns ``dvae_log_likelihood`` on
  ``split`` with ``workdir``, ``epoch`` and ``split`` (JSON-ready but for
  ``per_example``, which ``run_evaluation.write_json`` stores beside the JSON).

  ``max_examples``: N evenly spaced examples (0: all; test splits are often sorted by
  label). ``log_z``: kwargs of ``estimate_log_partition`` (default
  ``log_z_settings(config.eval.log_z)``). The other defaults come from ``config.eval``.
  """
  from tfvae.training.trainer import restore_for_inference  # pylint: disable=g-import-not-at-top
  if max_examples < 0:
    raise ValueError(f"max_examples must be >= 0, got {max_examples}")
  config, splits, model, epoch = restore_for_inference(workdir, checkpoint)
  ev = config.eval
  k = int(iwae_samples or ev.iwae_samples)
  batch = int(batch_size or ev.batch_size)
  data = splits.eval_array(split)
  data = data[spaced_indices(len(data), max_examples)]
  dataset = tf.data.Dataset.from_tensor_slices(data).batch(batch)
  if log_z is None:
    log_z = log_z_settings(ev.get("log_z", {}) or {})
  result = dvae_log_likelihood(model, dataset, k, int(chunk_size or ev.chunk_size),
                               seed=int(ev.get("seed", 0)), log_z=log_z, log=log)
  result.update(workdir=os.path.abspath(workdir), epoch=epoch, split=split)
  if log:
    log(f"{split} ELBO: {result['elbo']:.3f}   log-likelihood (IWAE k={k} - log Z): "
        f"{result['log_likelihood']:.3f} ± {result['stderr']:.3f} nats over "
        f"{result['examples']} examples (log Z {result['log_z']:.3f} ± "
        f"{result['log_z_stderr']:.3f}, {result['seconds']:.0f}s)")
  return result
