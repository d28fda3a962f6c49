"""Paired difference of two models' test log-likelihoods on the same examples.

Two models evaluated on the same test images have strongly correlated per-example
log-likelihoods (hard digits are hard for both), so the unpaired error bars of the two
means overstate the uncertainty of their difference. With per-example estimates a_i, b_i:

    diff = mean_i (a_i - b_i),   stderr_examples = std_i(a_i - b_i) / sqrt(n)

and, when each model's figure subtracts its own independent log Z estimate (the Discrete
VAE, ``dvae_likelihood``), those standard errors add in quadrature:

    stderr = sqrt(stderr_examples^2 + stderr_logZ_a^2 + stderr_logZ_b^2).

Command line (two JSONs written by ``tfvae-evaluate``, which stores the per-example
values beside each as ``<json>.per_example.npy``, or two ``tfvae-benchmark`` entries):

  tfvae-evaluate --compare=runs/dvae/dvae_ll_test.json,runs/dvae_no_rbm/dvae_ll_test.json
  tfvae-evaluate --compare=runs/iaf/eval_test.json,runs/vae/eval_test.json
  B=runs/benchmarks/posteriors_full
  tfvae-evaluate --compare=$B/vae_planar80.json,$B/vae_planar10.json --output=diff.json
"""
import json
import math

import numpy as np


def per_example_path(json_path: str) -> str:
  """Where ``tfvae-evaluate`` stores the per-example log-likelihoods of ``json_path``."""
  return json_path + ".per_example.npy"


def paired_difference(a, b, log_z_stderr_a: float = 0.0,
                      log_z_stderr_b: float = 0.0) -> dict:
  """Mean of ``a - b`` with its paired standard error (and the unpaired one, to compare)."""
  a = np.asarray(a, np.float64)
  b = np.asarray(b, np.float64)
  if a.ndim != 1 or a.shape != b.shape:
    raise ValueError(f"need two 1-D arrays over the same examples, got shapes {a.shape} "
                     f"and {b.shape}")
  n = len(a)
  if n < 2:
    raise ValueError(f"need at least 2 examples, got {n}")
  d = a - b
  examples = float(d.std(ddof=1) / math.sqrt(n))
  log_z = log_z_stderr_a ** 2 + log_z_stderr_b ** 2
  unpaired = math.sqrt((a.var(ddof=1) + b.var(ddof=1)) / n + log_z)
  stderr = math.sqrt(examples ** 2 + log_z)
  return {"difference": float(d.mean()), "stderr": stderr, "stderr_examples": examples,
          "stderr_unpaired": unpaired, "z_score": float(d.mean()) / stderr if stderr else
          math.inf, "share_a_better": float(np.mean(d > 0)), "examples": n,
          "correlation": float(np.corrcoef(a, b)[0, 1])}


def load_result(json_path: str):
  """``(summary dict, per-example array)`` of a ``tfvae-evaluate`` output (``eval_*.json``,
  or a Discrete VAE's ``dvae_ll_*.json``), or of a ``tfvae-benchmark`` entry (its test
  evaluation is under ``"test"``)."""
  with open(json_path) as f:
    summary = json.load(f)
  if "test" in summary and isinstance(summary["test"], dict):
    summary = summary["test"]
  if not any(k in summary for k in ("log_likelihood", "iwae_log_likelihood", "nll")):
    raise ValueError(f"{json_path} holds no log-likelihood (no 'log_likelihood', "
                     "'iwae_log_likelihood' or 'nll'): pass a tfvae-evaluate or "
                     "tfvae-benchmark entry JSON")
  return summary, np.load(per_example_path(json_path))


def _log_z_stderr(summary: dict) -> float:
  """The log Z standard error a summary carries (a ``dvae_ll_*.json`` at the top level,
  an ``eval_*.json`` under ``prepared``); 0 for models without an estimated log Z."""
  value = summary.get("log_z_stderr", (summary.get("prepared") or {}).get("log_z_stderr"))
  return float(value or 0.0)


def _log_likelihood(summary: dict) -> float:
  for key in ("log_likelihood", "iwae_log_likelihood"):
    if key in summary:
      return float(summary[key])
  return -float(summary["nll"])


def compare_summaries(summary_a: dict, a, summary_b: dict, b, what=("a", "b")) -> dict:
  """Paired difference of two evaluations (summary dicts + per-example arrays); checks
  they were made on the same examples."""
  for key in ("split", "examples", "subset"):
    if summary_a.get(key) != summary_b.get(key):
      raise ValueError(f"{what[0]} and {what[1]} differ in {key!r}: {summary_a.get(key)!r} "
                       f"vs {summary_b.get(key)!r}; a paired difference needs the same "
                       "test examples")
  result = paired_difference(a, b, _log_z_stderr(summary_a), _log_z_stderr(summary_b))
  result.update(log_likelihood_a=_log_likelihood(summary_a),
                log_likelihood_b=_log_likelihood(summary_b))
  return result


def compare_files(path_a: str, path_b: str) -> dict:
  """Paired difference of two evaluation outputs; checks they share the data."""
  summary_a, a = load_result(path_a)
  summary_b, b = load_result(path_b)
  result = compare_summaries(summary_a, a, summary_b, b, (path_a, path_b))
  result.update(a=path_a, b=path_b)
  return result
