"""The 1-D synthetic data of the CP-VAE paper (Lavda et al. 2020, sec. 5.1).

    x ~ 1/2 N(0.3, 0.05^2) + 1/2 N(0.7, 0.05^2)

(0.05 read as the standard deviation: the paper's histograms are clearly bimodal, which a
variance of 0.05 would not give.) 50,000 training points plus validation and test splits,
drawn from a local ``numpy`` generator keyed by ``seed``; the labels are the mixture
components (for cluster accuracy).
"""
from typing import Sequence

import numpy as np

from tfvae.data import validate
from tfvae.data.splits import DatasetSplits
from tfvae.registry import DATASETS

MEANS = (0.3, 0.7)
STDDEV = 0.05


def mixture_density(x, means: Sequence[float] = MEANS, stddev: float = STDDEV):
  """The ground-truth density p(x) at ``x`` (numpy)."""
  x = np.asarray(x, np.float64)
  norm = 1.0 / (np.sqrt(2.0 * np.pi) * stddev)
  return np.mean([norm * np.exp(-0.5 * ((x - m) / stddev) ** 2) for m in means], axis=0)


def sample_mixture(num: int, rng: np.random.Generator, means: Sequence[float] = MEANS,
                   stddev: float = STDDEV):
  """``(x [num, 1] float32, component [num] int64)`` from the equal-weight mixture."""
  component = rng.integers(0, len(means), size=num)
  x = np.asarray(means)[component] + stddev * rng.standard_normal(num)
  return x.astype(np.float32)[:, None], component.astype(np.int64)


@DATASETS.register("toy_two_gaussians")
def load_toy_two_gaussians(num_train: int = 50000, num_valid: int = 10000,
                           num_test: int = 10000, seed: int = 0,
                           means: Sequence[float] = MEANS, stddev: float = STDDEV,
                           **unused) -> DatasetSplits:
  """Real-valued 1-D data (use a ``gaussian`` likelihood).

  Split sizes must be positive integers, ``means`` finite, ``stddev`` finite and > 0,
  and every drawn value must fit float32.
  """
  del unused
  sizes = {name: validate.check_count(num, f"toy_two_gaussians num_{name}")
           for name, num in (("train", num_train), ("valid", num_valid),
                             ("test", num_test))}
  validate.check_count(seed, "toy_two_gaussians seed", minimum=0)
  means_array = np.asarray(means)
  validate.check_dtype(means_array, "toy_two_gaussians means", "iuf")
  validate.check_shape(means_array, ("K",), "toy_two_gaussians means",
                       "(one mean per component)")
  validate.check_nonempty(means_array, "toy_two_gaussians means", "component")
  validate.check_fits_float32(means_array, "toy_two_gaussians means")
  validate.check_number(stddev, "toy_two_gaussians stddev", low=0.0, low_open=True)
  rng = np.random.default_rng(seed)
  splits, labels = {}, {}
  for name, num in sizes.items():
    splits[name], labels[name] = sample_mixture(num, rng, means, stddev)
    validate.check_fits_float32(splits[name], f"toy_two_gaussians/{name}")
  return DatasetSplits(name="toy_two_gaussians", kind="real", image_shape=(1,),
                       labels=labels, **splits)
