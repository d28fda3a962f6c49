"""Figures of the 1-D two-Gaussian toy (CP-VAE paper, sec. 5.1, figures 3 and 4).

The learned-prior family draws them: ``PriorVAE.write_samples_png`` of a model trained on
scalar data is ``histogram_image`` of its generations, and ``tfvae-evaluate --toy_1d``
(``tfvae.evaluation.toy_1d``) writes figures 3-4 with these functions.

* ``histogram_image``: generations as grey bars over the true density
  1/2 N(0.3, 0.05^2) + 1/2 N(0.7, 0.05^2) (black curve), on [0, 1];
* ``stacked_histograms``: several such images top to bottom (figure 3 of the paper).
"""
import numpy as np

from tfvae.data.toy_two_gaussians import mixture_density

RANGE = (0.0, 1.0)
NUM_BINS = 50


def histogram_density(x, num_bins: int = NUM_BINS, value_range=RANGE):
  """``(density per bin, bin edges)``, normalised by all samples (mass outside is lost)."""
  counts, edges = np.histogram(x, bins=num_bins, range=value_range)
  width = edges[1] - edges[0]
  return counts / (max(len(x), 1) * width), edges


def histogram_image(x, height: int = 120, bin_px: int = 6) -> np.ndarray:
  """RGB ``uint8`` image over [0, 1]: histogram of ``x`` as grey bars, true density in black."""
  hist, _ = histogram_density(x)
  width = len(hist) * bin_px
  columns = (np.arange(width) + 0.5) / width * (RANGE[1] - RANGE[0]) + RANGE[0]
  truth = mixture_density(columns)
  top = max(hist.max(), truth.max()) * 1.05
  to_row = lambda d: height - 1 - int(round(d / top * (height - 1)))
  image = np.full([height, width, 3], 255, np.uint8)
  for i, h in enumerate(hist):
    bar = int(round(h / top * (height - 1)))
    if bar:
      image[height - bar:, i * bin_px:(i + 1) * bin_px - 1] = (150, 150, 150)
  previous = to_row(truth[0])
  for j, d in enumerate(truth):       # a connected 2-pixel curve
    row = to_row(d)
    low, high = min(row, previous), max(row, previous)
    image[max(low - 1, 0):high + 1, j] = (0, 0, 0)
    previous = row
  return image


def stacked_histograms(images, gap: int = 4) -> np.ndarray:
  """Histogram images of several models stacked top to bottom (figure 3 of the paper),
  separated by black rows of ``gap`` pixels."""
  if not images:
    raise ValueError("need at least one histogram image")
  width = images[0].shape[1]
  if any(image.shape[1] != width for image in images):
    raise ValueError(f"histogram images differ in width: {[i.shape[1] for i in images]}")
  rows = []
  for i, image in enumerate(images):
    if i:
      rows.append(np.zeros([gap, width, 3], np.uint8))
    rows.append(image)
  return np.concatenate(rows, axis=0)
