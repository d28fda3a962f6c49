"""Grayscale MNIST: through TFDS (``tfds.load('mnist')``) or from official IDX files.

Pixels are scaled to [0, 1]. The last 10,000 training images form the validation split.
``binarize='dynamic'`` resamples x ~ Bernoulli(pixel) every epoch in the pipeline.
"""
import gzip
import os
import zlib
from typing import Optional

import numpy as np

from tfvae.data.splits import DatasetSplits
from tfvae.registry import DATASETS

IDX_FILES = {
    "train_images": "train-images-idx3-ubyte", "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte", "test_labels": "t10k-labels-idx1-ubyte",
}
NUM_VALID = 10000


def read_idx(path: str) -> np.ndarray:
  """Reads an IDX file (optionally gzipped): magic, dims, then uint8 data."""
  opener = gzip.open if path.endswith(".gz") else open
  try:
    with opener(path, "rb") as f:
      data = f.read()
  except (EOFError, gzip.BadGzipFile, zlib.error) as e:  # truncated or not gzip
    raise ValueError(f"{path} is not a readable gzipped IDX file ({e}); download it "
                     "again") from e
  if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
    raise ValueError(f"{path} is not an unsigned-byte IDX file")
  ndim = data[3]
  dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
  offset = 4 + 4 * ndim
  expected = int(np.prod(dims))
  if len(data) - offset != expected:
    raise ValueError(f"{path}: header says {dims} ({expected} bytes) but file holds "
                     f"{len(data) - offset}")
  return np.frombuffer(data, np.uint8, offset=offset).reshape(dims)


def _find(idx_dir: str, stem: str) -> str:
  for name in (stem + ".gz", stem):
    path = os.path.join(idx_dir, name)
    if os.path.exists(path):
      return path
  raise FileNotFoundError(
      f"MNIST IDX file {stem}[.gz] not found in {idx_dir}; expected "
      f"{', '.join(v + '.gz' for v in IDX_FILES.values())}")


def load_idx_dir(idx_dir: str):
  if not os.path.isdir(idx_dir):
    raise FileNotFoundError(f"MNIST idx_dir does not exist: {idx_dir}")
  arrays = {k: read_idx(_find(idx_dir, v)) for k, v in IDX_FILES.items()}
  return (arrays["train_images"], arrays["train_labels"],
          arrays["test_images"], arrays["test_labels"])


def load_tfds(data_dir: Optional[str] = None, download: bool = True):
  """The real TFDS path: ``tfds.load('mnist')`` read into numpy in batches."""
  import tensorflow_datasets as tfds  # pylint: disable=g-import-not-at-top
  train, test = tfds.load("mnist", split=["train", "test"], data_dir=data_dir,
                          download=download)

  def to_numpy(ds):
    images, labels = [], []
    for batch in tfds.as_numpy(ds.batch(10000)):
      images.append(batch["image"].reshape(-1, 28, 28))
      labels.append(batch["label"])
    return np.concatenate(images), np.concatenate(labels)

  (xtr, ytr), (xte, yte) = to_numpy(train), to_numpy(test)
  return xtr, ytr, xte, yte


@DATASETS.register("mnist")
def load_mnist(idx_dir: Optional[str] = None, data_dir: Optional[str] = None,
               binarize: str = "none", download: bool = True, **unused) -> DatasetSplits:
  """Grayscale MNIST from ``idx_dir`` (IDX files) if given, else from TFDS."""
  del unused
  if idx_dir:
    xtr, ytr, xte, yte = load_idx_dir(idx_dir)
  else:
    xtr, ytr, xte, yte = load_tfds(data_dir, download)
  if len(xtr) <= NUM_VALID:
    raise ValueError(f"MNIST train split has {len(xtr)} images; need > {NUM_VALID}")
  flat = lambda a: (a.reshape(len(a), -1).astype(np.float32) / 255.0)
  xtr, xte = flat(xtr), flat(xte)
  return DatasetSplits(
      name="mnist", kind="real", image_shape=(28, 28, 1), binarize=binarize,
      train=xtr[:-NUM_VALID], valid=xtr[-NUM_VALID:], test=xte,
      labels={"train": ytr[:-NUM_VALID], "valid": ytr[-NUM_VALID:], "test": yte})
