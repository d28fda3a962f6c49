"""Statically binarized MNIST (Larochelle & Murray 2011 split 50k/10k/10k), embedded.

The package ships ``assets/binarized_mnist.npz`` (packed bits, ~2.3 MB; provenance and
licence in ``assets/NOTICE.md``), so the default dataset needs no network.
"""
import os
import zipfile
from typing import Optional

import numpy as np

from tfvae.data import validate
from tfvae.data.splits import DatasetSplits, load_npz
from tfvae.registry import DATASETS

EMBEDDED_PATH = os.path.join(os.path.dirname(__file__), "assets", "binarized_mnist.npz")


PACKED = "uint8 rows of np.packbits(784 pixels, axis=1), shape (N, 98)"
NUM_CLASSES = 10


def read_packed(path: str) -> dict:
  """Reads an npz of ``np.packbits`` rows (keys train/valid/test) into uint8 {0,1}.

  Each array must be ``uint8 (N, 98)`` with N > 0; unpacked 0/1 pixels, short or long
  rows and other dtypes are refused (they would decode into wrong images).
  """
  if not os.path.exists(path):
    raise FileNotFoundError(
        f"binarized MNIST file not found: {path} (expected an .npz with keys "
        "'train', 'valid', 'test' of packed bits)")
  with load_npz(path, "keys 'train', 'valid', 'test' of packed bits") as data:
    missing = {"train", "valid", "test"} - set(data.files)
    if missing:
      raise ValueError(f"{path} lacks keys {sorted(missing)}")
    out = {}
    for key in ("train", "valid", "test"):
      where = f"{path}:{key}"
      try:
        packed = data[key]
      except (OSError, ValueError, TypeError, zipfile.BadZipFile, EOFError) as e:
        raise ValueError(f"{where} is corrupt or not a plain array ({e}): expected "
                         f"{PACKED}") from e
      if (packed.ndim == 2 and packed.shape[1] == 784 and packed.size
          and np.isin(packed, (0, 1)).all()):
        raise ValueError(f"{where} holds unpacked 0/1 pixels {packed.shape}; expected "
                         f"{PACKED}: store np.packbits(pixels, axis=1)")
      validate.check_dtype(packed, where, "u", expected=f"uint8 ({PACKED})")
      if packed.dtype != np.uint8:
        raise ValueError(f"{where} has dtype {packed.dtype}, expected {PACKED}")
      validate.check_shape(packed, ("N", 98), where, f"({PACKED})")
      validate.check_nonempty(packed, where, "image")
      out[key] = np.unpackbits(packed, axis=1, count=784)
    return out


def read_labels(path: str, num: int, where: str) -> np.ndarray:
  """Digit labels ``int [num]`` in 0..9 from the ``.npy`` at ``path``."""
  if not os.path.exists(path):
    raise FileNotFoundError(f"test labels file not found: {path}")
  try:
    labels = np.load(path, allow_pickle=False)
  except (OSError, ValueError, EOFError, zipfile.BadZipFile) as e:
    raise ValueError(f"{path} is not a readable .npy file ({e}); expected {num} digit "
                     "labels") from e
  if not isinstance(labels, np.ndarray):
    raise ValueError(f"{path} is an .npz archive, expected one .npy array of {num} digit "
                     "labels")
  validate.check_dtype(labels, path, "iuf", expected="integer digit labels")
  validate.check_shape(labels, (num,), path, f"(one digit label per image of {where})")
  validate.check_integral(labels, path, expected="integer digit labels 0..9")
  validate.check_range(labels, 0, NUM_CLASSES - 1, path, expected="digit labels 0..9")
  return labels


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
    labels = {"test": read_labels(labels_path, len(arrays["test"]),
                                  f"{path or EMBEDDED_PATH}:test")}
  return DatasetSplits(name="binarized_mnist", kind="binary", image_shape=(28, 28, 1),
                       labels=labels, **arrays)
