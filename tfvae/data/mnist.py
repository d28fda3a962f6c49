"""Grayscale MNIST: through TFDS (``tfds.load('mnist')``) or from official IDX files.

Pixels are scaled to [0, 1]. The last 10,000 training images form the validation split.
``binarize='dynamic'`` resamples x ~ Bernoulli(pixel) every epoch in the pipeline.
"""
import gzip
import os
import zlib
from typing import Optional

import numpy as np

from tfvae.data import validate
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


def check_images_and_labels(images: np.ndarray, labels: np.ndarray, images_where: str,
                            labels_where: str) -> None:
  """``uint8 [N, 28, 28]`` images (N > 0) with one digit label 0..9 each."""
  validate.check_shape(images, ("N", 28, 28), images_where, "(28x28 images)")
  validate.check_nonempty(images, images_where, "image")
  validate.check_shape(labels, ("N",), labels_where, "(one digit label per image)")
  validate.check_same_length(labels, labels_where, images, images_where)
  validate.check_dtype(labels, labels_where, "iu", expected="integer digit labels")
  validate.check_range(labels, 0, 9, labels_where, expected="digit labels 0..9")


def load_idx_dir(idx_dir: str):
  """``(train images, train labels, test images, test labels)`` from the IDX files."""
  if not os.path.isdir(idx_dir):
    raise FileNotFoundError(f"MNIST idx_dir does not exist: {idx_dir}")
  paths = {k: _find(idx_dir, v) for k, v in IDX_FILES.items()}
  arrays = {k: read_idx(p) for k, p in paths.items()}
  for split in ("train", "test"):
    check_images_and_labels(arrays[f"{split}_images"], arrays[f"{split}_labels"],
                            paths[f"{split}_images"], paths[f"{split}_labels"])
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
      images.append(batch["image"].reshape(len(batch["image"]), -1))
      labels.append(batch["label"])
    if not images:
      return np.zeros((0, 28, 28), np.uint8), np.zeros((0,), np.int64)
    images = np.concatenate(images)
    if images.shape[1] != 784:
      raise ValueError(f"TFDS mnist images have {images.shape[1]} pixels, expected 28x28")
    return images.reshape(-1, 28, 28), np.concatenate(labels)

  (xtr, ytr), (xte, yte) = to_numpy(train), to_numpy(test)
  for split, (images, labels) in (("train", (xtr, ytr)), ("test", (xte, yte))):
    check_images_and_labels(images, labels, f"TFDS mnist {split} images",
                            f"TFDS mnist {split} labels")
  return xtr, ytr, xte, yte


@DATASETS.register("mnist")
def load_mnist(idx_dir: Optional[str] = None, data_dir: Optional[str] = None,
               binarize: str = "none", download: bool = True, **unused) -> DatasetSplits:
  """Grayscale MNIST from ``idx_dir`` (IDX files) if given, else from TFDS.

  Images must be ``[N, 28, 28]`` bytes with one label 0..9 each (IDX label files of
  another length are refused); the train split needs more than ``NUM_VALID`` images.
  """
  del unused
  if idx_dir:
    xtr, ytr, xte, yte = load_idx_dir(idx_dir)
  else:
    xtr, ytr, xte, yte = load_tfds(data_dir, download)
  if len(xtr) <= NUM_VALID:
    source = _find(idx_dir, IDX_FILES["train_images"]) if idx_dir else "TFDS mnist train"
    raise ValueError(f"MNIST train split ({source}) has {len(xtr)} images; need > "
                     f"{NUM_VALID} (the last {NUM_VALID} become the validation split)")
  flat = lambda a: (a.reshape(len(a), -1).astype(np.float32) / 255.0)
  xtr, xte = flat(xtr), flat(xte)
  return DatasetSplits(
      name="mnist", kind="real", image_shape=(28, 28, 1), binarize=binarize,
      train=xtr[:-NUM_VALID], valid=xtr[-NUM_VALID:], test=xte,
      labels={"train": ytr[:-NUM_VALID], "valid": ytr[-NUM_VALID:], "test": yte})
