"""Your own data: an ``.npz`` of arrays, or any TFDS image dataset by name.

``npz``: keys ``train`` and ``test`` (and ``valid``, else the last ``num_valid`` training
examples), each ``(N, ...)`` of one example per row; optional ``<split>_labels``.
Values are pixels: ``uint8`` 0..255 (scaled to [0, 1]) or floats in [0, 1]; data that
holds only 0 and 1 is binary (a Bernoulli likelihood fits it as is), other data is real
(``binarize="dynamic"`` draws a binary image from it every epoch).

``tfds``: ``tfds.load(tfds_name)`` with its ``image_key`` (and ``label_key``) read into
the same splits (``train`` / ``test`` TFDS splits; validation from the end of train).

  tfvae-train --config=configs/vae_user_data.py --workdir=runs/mine \
      --config.dataset.path=my_images.npz
"""
import os
from typing import Optional, Sequence

import numpy as np

from tfvae.data import validate
from tfvae.data.splits import DatasetSplits, load_npz
from tfvae.registry import DATASETS

LAYOUT = ("keys 'train', 'test' (optional 'valid', '<split>_labels') of uint8 0..255 or "
          "float 0..1 pixels, one example per row")


def _pixels(array: np.ndarray, where: str) -> np.ndarray:
  """``array`` as float32 in [0, 1] (uint8 scaled by 1/255); refuses anything else."""
  validate.check_dtype(array, where, "uif", expected="uint8 or float pixels")
  validate.check_nonempty(array, where)
  if array.ndim < 2:
    raise ValueError(f"{where} has shape {array.shape}; expected (N, ...) with one "
                     "example per row")
  if array.dtype == np.uint8:
    return array.reshape(len(array), -1).astype(np.float32) / 255.0
  validate.check_finite(array, where)
  validate.check_range(array, 0.0, 1.0, where, expected="pixels in [0, 1] (or uint8)")
  return array.reshape(len(array), -1).astype(np.float32)


def _image_shape(example_shape: Sequence[int], image_shape) -> tuple:
  size = int(np.prod(example_shape))
  if image_shape:
    image_shape = tuple(int(d) for d in image_shape)
    if int(np.prod(image_shape)) != size:
      raise ValueError(f"image_shape {image_shape} has {int(np.prod(image_shape))} values, "
                       f"the examples {size}")
    return image_shape
  if len(example_shape) == 2:
    return tuple(example_shape) + (1,)
  if len(example_shape) == 3:
    return tuple(example_shape)
  side = int(round(size ** 0.5))
  return (side, side, 1) if side * side == size else (size, 1, 1)


def make_splits(name: str, train, valid, test, labels, image_shape, binarize: str,
                example_shape) -> DatasetSplits:
  """Binary data (only 0 and 1) as ``uint8`` binary splits, other data as real."""
  arrays = {"train": train, "valid": valid, "test": test}
  binary = all(np.isin(a, (0.0, 1.0)).all() for a in arrays.values())
  if binary:
    arrays = {k: v.astype(np.uint8) for k, v in arrays.items()}
    binarize = "none"
  return DatasetSplits(name=name, kind="binary" if binary else "real",
                       image_shape=_image_shape(example_shape, image_shape),
                       binarize=binarize, labels=labels or None, **arrays)


@DATASETS.register("npz")
def load_npz_arrays(path: str = "", num_valid: int = 10000, image_shape=(),
                    binarize: str = "none", **unused) -> DatasetSplits:
  """The splits of the ``.npz`` at ``path`` (see the module docstring)."""
  del unused
  if not path:
    raise ValueError(f"dataset 'npz' needs config.dataset.path: an .npz with {LAYOUT}")
  if not os.path.exists(path):
    raise FileNotFoundError(f"npz dataset file not found: {path} (expected {LAYOUT})")
  with load_npz(path, LAYOUT) as data:
    missing = {"train", "test"} - set(data.files)
    if missing:
      raise ValueError(f"{path} lacks keys {sorted(missing)}; expected {LAYOUT}")
    raw = {k: data[k] for k in data.files}
  arrays = {k: _pixels(raw[k], f"{path}:{k}") for k in ("train", "valid", "test") if k in raw}
  shapes = {k: raw[k].shape[1:] for k in arrays}
  if len(set(shapes.values())) > 1:
    raise ValueError(f"{path}: the splits' example shapes differ: {shapes}")
  labels = {}
  for split in arrays:
    key = f"{split}_labels"
    if key in raw:
      validate.check_integral(raw[key], f"{path}:{key}", expected="integer labels")
      validate.check_shape(raw[key], (len(arrays[split]),), f"{path}:{key}",
                           f"(one label per example of {path}:{split})")
      labels[split] = raw[key].astype(np.int64)
  if "valid" not in arrays:
    num_valid = validate.check_count(num_valid, "config.dataset.num_valid")
    if len(arrays["train"]) <= num_valid:
      raise ValueError(f"{path}:train has {len(arrays['train'])} examples; need more than "
                       f"num_valid={num_valid} (the last ones become the validation split),"
                       " or store a 'valid' array")
    arrays["valid"] = arrays["train"][-num_valid:]
    arrays["train"] = arrays["train"][:-num_valid]
    if "train" in labels:
      labels["valid"] = labels["train"][-num_valid:]
      labels["train"] = labels["train"][:-num_valid]
  return make_splits(os.path.basename(path), arrays["train"], arrays["valid"],
                     arrays["test"], labels, image_shape, binarize, shapes["train"])


@DATASETS.register("tfds")
def load_tfds_images(tfds_name: str = "", image_key: str = "image",
                     label_key: Optional[str] = "label", data_dir: Optional[str] = None,
                     num_valid: int = 10000, binarize: str = "none", download: bool = True,
                     **unused) -> DatasetSplits:
  """``tfds.load(tfds_name)`` (splits train and test) as flat pixel splits."""
  del unused
  if not tfds_name:
    raise ValueError("dataset 'tfds' needs config.dataset.tfds_name (e.g. 'fashion_mnist')")
  import tensorflow_datasets as tfds  # pylint: disable=g-import-not-at-top
  splits = tfds.load(tfds_name, split=["train", "test"], data_dir=data_dir,
                     download=download)
  arrays, labels, shapes = {}, {}, {}
  for split, ds in zip(("train", "test"), splits):
    images, split_labels = [], []
    for batch in tfds.as_numpy(ds.batch(10000)):
      if image_key not in batch:
        raise ValueError(f"TFDS {tfds_name!r} has no feature {image_key!r}; features: "
                         f"{sorted(batch)} (set config.dataset.image_key)")
      images.append(batch[image_key])
      if label_key and label_key in batch:
        split_labels.append(batch[label_key])
    if not images:
      raise ValueError(f"TFDS {tfds_name!r} split {split!r} is empty")
    stacked = np.concatenate(images)
    shapes[split] = stacked.shape[1:]
    arrays[split] = _pixels(stacked, f"TFDS {tfds_name}:{split}:{image_key}")
    if split_labels:
      labels[split] = np.concatenate(split_labels).astype(np.int64)
  num_valid = validate.check_count(num_valid, "config.dataset.num_valid")
  if len(arrays["train"]) <= num_valid:
    raise ValueError(f"TFDS {tfds_name!r} train has {len(arrays['train'])} examples; need "
                     f"more than num_valid={num_valid}")
  valid, train = arrays["train"][-num_valid:], arrays["train"][:-num_valid]
  if "train" in labels:
    labels["valid"], labels["train"] = labels["train"][-num_valid:], labels["train"][:-num_valid]
  return make_splits(tfds_name, train, valid, arrays["test"], labels, (), binarize,
                     shapes["train"])
