"""The learned-prior family's figures of the 1-D toy (``toy_figures``)."""
import numpy as np
import pytest

from tfvae.data import toy_two_gaussians as toy
from tfvae.models.learned_priors import toy_figures


def test_histogram_image_draws_the_bars_under_the_true_density():
  x, _ = toy.sample_mixture(20000, np.random.default_rng(0))
  image = toy_figures.histogram_image(x[:, 0], height=60, bin_px=4)
  assert image.shape == (60, toy_figures.NUM_BINS * 4, 3) and image.dtype == np.uint8
  grey = np.all(image == 150, axis=-1).sum(axis=0)  # bar height per pixel column
  column = lambda v: int(v * toy_figures.NUM_BINS) * 4
  assert grey[column(0.3)] > 20 and grey[column(0.7)] > 20 and grey[column(0.5)] == 0
  assert np.all(image == 0, axis=-1).any(axis=0).all()  # the black curve spans the width


def test_stacked_histograms_keep_each_image_in_order_with_gaps():
  a = np.full([5, 12, 3], 10, np.uint8)
  b = np.full([7, 12, 3], 20, np.uint8)
  stacked = toy_figures.stacked_histograms([a, b], gap=2)
  assert stacked.shape == (5 + 2 + 7, 12, 3)
  assert np.all(stacked[:5] == 10) and np.all(stacked[5:7] == 0) and np.all(stacked[7:] == 20)
  with pytest.raises(ValueError, match="width"):
    toy_figures.stacked_histograms([a, np.zeros([5, 13, 3], np.uint8)])
  with pytest.raises(ValueError, match="at least one"):
    toy_figures.stacked_histograms([])
