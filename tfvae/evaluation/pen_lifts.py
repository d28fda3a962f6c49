"""Pen lifts of stroke models: are they predicted, and do samples lift the pen as often
as the data does?

The VRNN report (section 4.1) blames the class imbalance of pen lifts for models that
never lift the pen. Two checks:

* prediction on real sequences (teacher-forced, the posterior's draw for latent models):
  precision = hits / predicted lifts and recall = hits / true lifts, from the per-sequence
  counts ``pen_lifts_*`` that pen-output models log as loss terms (a split's mean of
  per-sequence counts is its total over the number of sequences, so ratios of means are
  ratios of totals);
* generation: the share of sampled steps that lift the pen against the data's share.
"""
from typing import Dict

import numpy as np
import tensorflow as tf

COUNT_TERMS = ("pen_steps", "pen_lifts_true", "pen_lifts_predicted", "pen_lifts_hit")


def prediction_figures(terms: Dict[str, float]) -> Dict[str, float]:
  """Precision, recall and lift rates from the evaluated ``pen_lifts_*`` terms; ``{}``
  for models without a pen output. A ratio with nothing to count is None."""
  if not all(k in terms for k in COUNT_TERMS):
    return {}
  steps, true, predicted, hit = (float(terms[k]) for k in COUNT_TERMS)
  ratio = lambda a, b: a / b if b > 0 else None
  return {"pen_lift_precision": ratio(hit, predicted),
          "pen_lift_recall": ratio(hit, true),
          "pen_lift_rate_data": ratio(true, steps),
          "pen_lift_rate_predicted": ratio(predicted, steps)}


def sample_lift_rate(model, num_samples: int, length: int, seed: int = 0,
                     batch_size: int = 500, temperature: float = 1.0) -> float:
  """Share of the steps of ``num_samples`` prior samples of ``length`` steps whose pen
  bit (last channel) is 1, each step drawn at ``temperature``."""
  lifted, total = 0.0, 0
  for start in range(0, num_samples, batch_size):
    n = min(batch_size, num_samples - start)
    out = model.sample(n, tf.constant([seed, start], tf.int32), length=length,
                       temperature=temperature)
    pen = np.asarray(out["samples"])[..., -1]
    lifted += float((pen > 0.5).sum())
    total += pen.size
  return lifted / total
