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

from tfvae.data import validate
from tfvae.data.splits import DatasetSplits
from tfvae.registry import DATASETS

SPLIT_KEYS = {"train": "train_data", "valid": "val_data", "test": "test_data"}
LABEL_KEYS = {"train": "train_labels", "valid": "val_labels", "test": "test_labels"}


def read_caltech_mat(path: str, invert: bool = True):
  """``({split: uint8 [N, 784] row-major}, {split: labels [N]})`` from the ``.mat``.

  Each ``*_data`` array must be ``(N, 784)`` with N > 0 and only the values 0 and 1 (any
  real dtype; grey levels, NaN or other values are refused, not rounded); each
  ``*_labels`` array present must hold one whole number per row.
  """
  if not os.path.exists(path):
    raise FileNotFoundError(
        f"Caltech-101 Silhouettes file not found: {path} (expected the standard "
        "caltech101_silhouettes_28_split1.mat with train_data/val_data/test_data)")
  from scipy import io as sio  # pylint: disable=g-import-not-at-top
  try:
    mat = sio.loadmat(path)
  except (sio.matlab.MatReadError, OSError, ValueError, TypeError, NotImplementedError,
          EOFError) as e:
    raise ValueError(f"{path} is not a readable MATLAB v5 .mat file ({e}); expected the "
                     "standard caltech101_silhouettes_28_split1.mat") from e
  missing = [k for k in SPLIT_KEYS.values() if k not in mat]
  if missing:
    raise ValueError(f"{path} lacks the arrays {missing}")
  arrays, labels = {}, {}
  for split, key in SPLIT_KEYS.items():
    data, where = np.asarray(mat[key]), f"{path}:{key}"
    validate.check_dtype(data, where, "biuf", expected="0/1 pixels (uint8 in the "
                         "standard file)")
    if data.ndim != 2 or data.shape[1] != 784:
      raise ValueError(f"{where} has shape {data.shape}, expected (N, 784)")
    validate.check_nonempty(data, where, "image")
    validate.check_binary(data, where, expected="binary pixels 0 or 1 (silhouettes)")
    images = data.reshape(-1, 28, 28, order="F").reshape(-1, 784)
    images = images.astype(np.uint8)
    arrays[split] = (1 - images) if invert else images
    if LABEL_KEYS[split] in mat:
      label, label_where = np.asarray(mat[LABEL_KEYS[split]]), f"{path}:{LABEL_KEYS[split]}"
      validate.check_dtype(label, label_where, "iuf", expected="integer class labels")
      if label.ndim > 2 or (label.ndim == 2 and 1 not in label.shape):
        raise ValueError(f"{label_where} has shape {label.shape}, expected (N,) or (N, 1)")
      label = label.reshape(-1)
      validate.check_same_length(label, label_where, data, where)
      validate.check_integral(label, label_where, expected="integer class labels")
      labels[split] = label.astype(np.int64)
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
