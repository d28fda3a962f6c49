"""The CP-VAE 1-D toy data: sizes, moments per component, determinism, registry."""
import numpy as np
import pytest

from tfvae.data import toy_two_gaussians as toy
from tfvae.registry import DATASETS


def test_registered_and_shaped():
  splits = DATASETS.get("toy_two_gaussians")(num_valid=100, num_test=100)
  assert splits.train.shape == (50000, 1) and splits.valid.shape == (100, 1)
  assert splits.kind == "real" and splits.train.dtype == np.float32
  splits.check_likelihood("gaussian")
  with pytest.raises(ValueError):
    splits.check_likelihood("bernoulli")


def test_components_have_the_paper_moments():
  splits = toy.load_toy_two_gaussians(num_train=40000, num_valid=10, num_test=10, seed=3)
  x, c = splits.train[:, 0], splits.labels["train"]
  assert abs(np.mean(c) - 0.5) < 4 * 0.5 / np.sqrt(len(c))
  for k, mean in enumerate(toy.MEANS):
    xs = x[c == k]
    assert abs(xs.mean() - mean) < 4 * toy.STDDEV / np.sqrt(len(xs))
    assert abs(xs.std() - toy.STDDEV) < 0.02 * toy.STDDEV + 4 * toy.STDDEV / np.sqrt(2 * len(xs))


def test_seeded_and_density_normalised():
  a = toy.load_toy_two_gaussians(num_train=10, num_valid=10, num_test=10, seed=1)
  b = toy.load_toy_two_gaussians(num_train=10, num_valid=10, num_test=10, seed=1)
  np.testing.assert_array_equal(a.test, b.test)
  grid = np.linspace(-0.5, 1.5, 20001)
  assert abs(np.sum(toy.mixture_density(grid)) * (grid[1] - grid[0]) - 1.0) < 1e-4
  with pytest.raises(ValueError):
    toy.load_toy_two_gaussians(num_train=0)
