"""Caltech-101 Silhouettes 28x28 (Marlin et al. 2010) from the standard ``.mat`` file.

``caltech101_silhouettes_28_split1.mat`` holds ``train_data`` (4,100), ``val_data``
(2,264) and ``test_data`` (2,307), ``uint8 (N, 784)`` in {0, 1}, each row a column-major
28x28 image whose silhouette pixels are 0. The loader transposes rows to the row-major
layout of the other datasets and, with ``invert=True`` (default), uses 1 - x so that
ink = 1 as in MNIST. Labels (1..101) are kept for the cluster-accuracy tools.
The file is read with ``scipy.io.loadmat`` (MATLAB v5).
"""
import os

import numpy as np

from tfvae.data.splits import DatasetSplits
from tfvae.registry import DATASETS

SPLIT_KEYS = {"train": "train_data", "valid": "val_data", "test": "test_data"}
LABEL_KEYS = {"train": "train_labels", "valid": "val_labels", "test": "test_labels"}


def read_caltech_mat(path: str, invert: bool = True):
  """``({split: uint8 [N, 784] row-major}, {split: labels [N]})`` from the ``.mat``."""
  if not os.path.exists(path):
    raise FileNotFoundError(
        f"Caltech-101 Silhouettes file not found: {path} (expected the standard "
        "caltech101_silhouettes_28_split1.mat with train_data/val_data/test_data)")
  from scipy import io as sio  # pylint: disable=g-import-not-at-top
  mat = sio.loadmat(path)
  missing = [k for k in SPLIT_KEYS.values() if k not in mat]
  if missing:
    raise ValueError(f"{path} lacks the arrays {missing}")
  arrays, labels = {}, {}
  for split, key in SPLIT_KEYS.items():
    data = np.asarray(mat[key])
    if data.ndim != 2 or data.shape[1] != 784:
      raise ValueError(f"{path}:{key} has shape {data.shape}, expected (N, 784)")
    images = data.reshape(-1, 28, 28, order="F").reshape(-1, 784)
    images = images.astype(np.uint8)
    arrays[split] = (1 - images) if invert else images
    if LABEL_KEYS[split] in mat:
      labels[split] = np.asarray(mat[LABEL_KEYS[split]]).reshape(-1).astype(np.int64)
  return arrays, labels


@DATASETS.register("caltech101_silhouettes")
def load_caltech101_silhouettes(path: str = None, invert: bool = True,
                                **unused) -> DatasetSplits:
  """Caltech-101 Silhouettes from the user-given ``path`` to the ``.mat`` file."""
  del unused
  if not path:
    raise ValueError("dataset.path must name caltech101_silhouettes_28_split1.mat "
                     "(it is not shipped with tfvae)")
  arrays, labels = read_caltech_mat(path, invert)
  return DatasetSplits(name="caltech101_silhouettes", kind="binary", image_shape=(28, 28, 1),
                       labels=labels or None, **arrays)
