"""The 1-D two-Gaussian experiment of the CP-VAE paper (sec. 5.1, figures 3 and 4).

Command line: ``tfvae-evaluate --workdir=DIR[,DIR...] --toy_1d [--toy_figure=PNG]``.

``toy_report(model, outdir)`` draws generations from a model trained on
``toy_two_gaussians``, compares their histogram with the ground truth
1/2 N(0.3, 0.05^2) + 1/2 N(0.7, 0.05^2) and writes PNG histograms:

* ``toy_histogram.png`` (figure 3): generated histogram (grey bars) over the true density
  (black curve);
* for models with categories, ``toy_excess_capacity.png`` (figure 4): generations with c
  drawn from the aggregated posterior q(c) (top) and from the uniform prior (bottom).

Returned metrics (JSON-serialisable): histogram density at 0.3, 0.5 and 0.7, the dip ratio
density(0.5) / min(density(0.3), density(0.7)) (< 1 means bimodal), the total variation
distance between the binned generations and the binned truth, and for CP-VAE the
effective number of categories exp(H(q(c))). The images are drawn by the learned-prior
family (``tfvae.models.learned_priors.toy_figures``).
"""
import os
from typing import Dict, Optional

import numpy as np
import tensorflow as tf

from tfvae.data.toy_two_gaussians import mixture_density
from tfvae.images import write_png
from tfvae.models.learned_priors.toy_figures import (RANGE, histogram_density,
                                                     histogram_image)


def generations(model, num_samples: int, seed: int = 0, prior: Optional[str] = None,
                use_means: bool = False) -> np.ndarray:
  """``[num_samples]`` generated scalars. ``prior='uniform'`` draws c ~ Uniform(K);
  ``None`` uses the model's own ``sample`` (q(c) for CP-VAE)."""
  key = "probs" if use_means else "samples"
  seed = tf.constant([seed, 0], tf.int32)
  if prior == "uniform":
    k = model.num_categories
    seed_c, seed_rest = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
    categories = tf.cast(tf.random.stateless_categorical(
        tf.zeros([1, k]), num_samples, seed=seed_c)[0], tf.int32)
    out = model.sample_given_categories(categories, seed_rest)
  elif prior is None:
    out = model.sample(num_samples, seed)
  else:
    raise ValueError(f"prior must be None or 'uniform', got {prior!r}")
  return out[key].numpy().reshape(-1)


def density_at(x, point: float, half_width: float = 0.025) -> float:
  """Fraction of samples within ``point +- half_width`` divided by the window width."""
  x = np.asarray(x)
  return float(np.mean(np.abs(x - point) <= half_width) / (2 * half_width))


def histogram_metrics(x) -> Dict[str, float]:
  d03, d05, d07 = (density_at(x, p) for p in (0.3, 0.5, 0.7))
  hist, edges = histogram_density(x)
  width = edges[1] - edges[0]
  centres = 0.5 * (edges[1:] + edges[:-1])
  truth = mixture_density(centres)
  return {"density_0.3": d03, "density_0.5": d05, "density_0.7": d07,
          "dip_ratio": d05 / max(min(d03, d07), 1e-12),
          "total_variation": float(0.5 * np.sum(np.abs(hist - truth)) * width
                                   + 0.5 * np.mean((x < RANGE[0]) | (x > RANGE[1])))}


def toy_report(model, outdir: Optional[str] = None, num_samples: int = 50000,
               seed: int = 0) -> Dict[str, object]:
  """Generations vs ground truth (and q(c) vs uniform for CP-VAE); writes PNGs to ``outdir``."""
  x = generations(model, num_samples, seed)
  report = {"generated": histogram_metrics(x)}
  images = {"toy_histogram.png": histogram_image(x)}
  if model.num_categories is not None:
    uniform = generations(model, num_samples, seed, prior="uniform")
    report["generated_uniform_c"] = histogram_metrics(uniform)
    images["toy_excess_capacity.png"] = np.concatenate(
        [histogram_image(x), np.zeros([4, images["toy_histogram.png"].shape[1], 3], np.uint8),
         histogram_image(uniform)], axis=0)
    if model.aggregated_posterior is not None:
      q_c = np.asarray(model.aggregated_posterior.numpy(), np.float64)
      entropy = -np.sum(q_c * np.log(np.maximum(q_c, 1e-30)))
      report["effective_categories"] = float(np.exp(entropy))
      report["categories_above_1_percent"] = int(np.sum(q_c > 0.01))
  if outdir:
    os.makedirs(outdir, exist_ok=True)
    report["files"] = [write_png(os.path.join(outdir, name), image)
                       for name, image in images.items()]
  return report


def evaluate_workdir(workdir: str, num_samples: int = 50000, seed: int = 0,
                     checkpoint: Optional[str] = None):
  """Restores a model trained on ``toy_two_gaussians``, refreshes q(c) over the training
  split (eq. 14) and writes the PNGs to ``workdir/toy``; returns the report, with the
  histogram image of the generations under ``"histogram_image"`` (for a stacked figure
  of several models, ``toy_figures.stacked_histograms``)."""
  from tfvae.training.trainer import restore_for_inference  # pylint: disable=C0415
  _, splits, model, epoch = restore_for_inference(workdir, checkpoint)
  if splits.event_size != 1:
    raise ValueError(f"{workdir} was not trained on 1-D data (event size {splits.event_size})")
  model.update_aggregated_posterior(splits.eval_dataset("train", 5000))
  report = toy_report(model, os.path.join(workdir, "toy"), num_samples, seed)
  report.update(workdir=workdir, epoch=epoch)
  report["histogram_image"] = histogram_image(generations(model, num_samples, seed))
  return report
