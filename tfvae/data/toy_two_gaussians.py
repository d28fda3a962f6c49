"""The 1-D synthetic data of the CP-VAE paper (Lavda et al. 2020, sec. 5.1).

    x ~ 1/2 N(0.3, 0.05^2) + 1/2 N(0.7, 0.05^2)

(0.05 read as the standard deviation: the paper's histograms are clearly bimodal, which a
variance of 0.05 would not give.) 50,000 training points plus validation and test splits,
drawn from a local ``numpy`` generator keyed by ``seed``; the labels are the mixture
components (for cluster accuracy).
"""
from typing import Sequence

import numpy as np

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
  """Real-valued 1-D data (use a ``gaussian`` likelihood)."""
  del unused
  if min(num_train, num_valid, num_test) <= 0:
    raise ValueError("toy_two_gaussians split sizes must be positive, got "
                     f"{num_train}/{num_valid}/{num_test}")
  rng = np.random.default_rng(seed)
  splits, labels = {}, {}
  for name, num in (("train", num_train), ("valid", num_valid), ("test", num_test)):
    splits[name], labels[name] = sample_mixture(num, rng, means, stddev)
  return DatasetSplits(name="toy_two_gaussians", kind="real", image_shape=(1,),
                       labels=labels, **splits)
