"""SVHN (Netzer et al. 2011) through TFDS ``svhn_cropped``, as 32x32 grayscale.

As in Sun & Zhang 2017 (sec. 4, appendix E) the RGB channels are averaged into one;
pixels are scaled to [0, 1]. The validation split is the last ``num_valid`` training
images (default: one eleventh, the paper's train : valid = 10 : 1). Real-valued pixels
need a ``gaussian`` likelihood, or ``binarize='dynamic'`` for a Bernoulli one.
"""
from typing import Optional

import numpy as np

from tfvae.data import validate
from tfvae.data.splits import DatasetSplits
from tfvae.registry import DATASETS

TFDS_NAME = "svhn_cropped"


def _grayscale(ds, chunk: int = 4096, where: str = f"TFDS {TFDS_NAME}"):
  """Iterates a TFDS split of ``{'image': uint8 [32, 32, 3], 'label'}`` into numpy.

  Returns ``(images float32 [N, 1024] in [0, 1], labels int64 [N])``; the mean of the
  three channels is taken per pixel. Other image shapes or dtypes, an empty split and
  labels outside 0..9 are refused, naming ``where``.
  """
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  spec = ds.element_spec
  if not isinstance(spec, dict) or "image" not in spec or "label" not in spec:
    raise ValueError(f"{where} yields {spec}, expected {{'image', 'label'}} examples")
  if spec["image"].shape.as_list() != [32, 32, 3] or spec["image"].dtype != tf.uint8:
    raise ValueError(f"{where} images are {spec['image'].dtype.name} "
                     f"{spec['image'].shape.as_list()}, expected uint8 [32, 32, 3]")
  if not spec["label"].dtype.is_integer or spec["label"].shape.rank != 0:
    raise ValueError(f"{where} labels are {spec['label'].dtype.name} "
                     f"{spec['label'].shape.as_list()}, expected one integer per image")

  def convert(example):
    gray = tf.reduce_mean(tf.cast(example["image"], tf.float32), axis=-1) / 255.0
    return tf.reshape(gray, [-1, 32 * 32]), example["label"]

  images, labels = [], []
  for x, y in ds.batch(chunk).map(convert).as_numpy_iterator():
    images.append(x)
    labels.append(y)
  if not images:
    raise ValueError(f"{where} is empty; expected at least one image")
  images, labels = np.concatenate(images).astype(np.float32), np.concatenate(labels)
  validate.check_range(labels, 0, 9, f"{where} labels", expected="digit labels 0..9")
  return images, labels


@DATASETS.register("svhn")
def load_svhn(data_dir: Optional[str] = None, download: bool = True,
              binarize: str = "none", num_valid: Optional[int] = None,
              **unused) -> DatasetSplits:
  """SVHN train/valid/test from ``tfds.load('svhn_cropped')`` (32x32, one channel)."""
  del unused
  import tensorflow_datasets as tfds  # pylint: disable=g-import-not-at-top
  train, test = tfds.load(TFDS_NAME, split=["train", "test"], data_dir=data_dir,
                          download=download)
  xtr, ytr = _grayscale(train, where=f"TFDS {TFDS_NAME} train")
  xte, yte = _grayscale(test, where=f"TFDS {TFDS_NAME} test")
  if num_valid is None:
    num_valid = len(xtr) // 11
  if isinstance(num_valid, bool) or not isinstance(num_valid, (int, np.integer)) or \
      not 0 < num_valid < len(xtr):
    raise ValueError(f"num_valid must be an integer in [1, {len(xtr) - 1}] (SVHN train has "
                     f"{len(xtr)} images), got {num_valid!r}")
  return DatasetSplits(
      name="svhn", kind="real", image_shape=(32, 32, 1), binarize=binarize,
      train=xtr[:-num_valid], valid=xtr[-num_valid:], test=xte,
      labels={"train": ytr[:-num_valid], "valid": ytr[-num_valid:], "test": yte})
