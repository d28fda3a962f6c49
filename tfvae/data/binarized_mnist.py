"""Statically binarized MNIST (Larochelle & Murray 2011 split 50k/10k/10k), embedded.

The package ships ``assets/binarized_mnist.npz`` (packed bits, ~2.3 MB; provenance and
licence in ``assets/NOTICE.md``), so the default dataset needs no network.
"""
import os
import zipfile
from typing import Optional

import numpy as np

from tfvae.data.splits import DatasetSplits, load_npz
from tfvae.registry import DATASETS

EMBEDDED_PATH = os.path.join(os.path.dirname(__file__), "assets", "binarized_mnist.npz")


def read_packed(path: str) -> dict:
  """Reads an npz of ``np.packbits`` rows (keys train/valid/test) into uint8 {0,1}."""
  if not os.path.exists(path):
    raise FileNotFoundError(
        f"binarized MNIST file not found: {path} (expected an .npz with keys "
        "'train', 'valid', 'test' of packed bits)")
  with load_npz(path, "keys 'train', 'valid', 'test' of packed bits") as data:
    missing = {"train", "valid", "test"} - set(data.files)
    if missing:
      raise ValueError(f"{path} lacks keys {sorted(missing)}")
    try:
      return {k: np.unpackbits(data[k], axis=1, count=784)
              for k in ("train", "valid", "test")}
    except (OSError, ValueError, TypeError, zipfile.BadZipFile, EOFError) as e:
      raise ValueError(f"{path} is corrupt or not packed bits ({e}): expected uint8 "
                       "rows of np.packbits(784 pixels)") from e


@DATASETS.register("binarized_mnist")
def load_binarized_mnist(path: Optional[str] = None, labels_path: Optional[str] = None,
                         train_on_valid: bool = False, **unused) -> DatasetSplits:
  """The embedded static binarization, or the same format from ``path``.

  ``labels_path`` optionally names a ``.npy`` of test labels (for cluster accuracy).
  ``train_on_valid``: train on train + valid (60k), the usual protocol for final test
  figures on this dataset; the valid split is then kept for monitoring only (it is
  training data, so its bound is optimistic).
  """
  del unused
  arrays = read_packed(path or EMBEDDED_PATH)
  if train_on_valid:
    arrays["train"] = np.concatenate([arrays["train"], arrays["valid"]])
  labels = None
  if labels_path:
    if not os.path.exists(labels_path):
      raise FileNotFoundError(f"test labels file not found: {labels_path}")
    labels = {"test": np.load(labels_path)}
  return DatasetSplits(name="binarized_mnist", kind="binary", image_shape=(28, 28, 1),
                       labels=labels, **arrays)
