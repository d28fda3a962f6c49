"""MNIST zero-padded from 28x28 to 32x32, for the 32x32 convolutional nets (appendix E).

``binarized_mnist_32`` wraps the embedded static binarization and ``mnist_32`` the
grayscale loader (TFDS or IDX files); both take the wrapped loader's arguments and add
``size`` (default 32). Images are centred: 2 zero pixels on every side for size 32.
"""
import dataclasses

import numpy as np

from tfvae.data.binarized_mnist import load_binarized_mnist
from tfvae.data.mnist import load_mnist
from tfvae.data import validate
from tfvae.data.splits import DatasetSplits
from tfvae.registry import DATASETS


def pad_images(flat: np.ndarray, image_shape, size: int) -> np.ndarray:
  """Zero-pads flat ``[N, h*w*c]`` images to ``size x size`` (centred): ``[N, size*size*c]``."""
  size = validate.check_count(size, "padding size")
  h, w = int(image_shape[0]), int(image_shape[1])
  c = int(image_shape[2]) if len(image_shape) > 2 else 1
  if size < h or size < w:
    raise ValueError(f"cannot pad {h}x{w} images to {size}x{size}")
  validate.check_shape(flat, ("N", h * w * c), "images to pad",
                       f"(flat {h}x{w}x{c} images)")
  top, left = (size - h) // 2, (size - w) // 2
  images = flat.reshape(len(flat), h, w, c)
  out = np.zeros((len(flat), size, size, c), flat.dtype)
  out[:, top:top + h, left:left + w] = images
  return out.reshape(len(flat), size * size * c)


def pad_splits(splits: DatasetSplits, size: int = 32) -> DatasetSplits:
  """The same splits with every image zero-padded to ``size x size``."""
  shape = splits.image_shape
  channels = shape[2] if len(shape) > 2 else 1
  padded = {k: pad_images(splits.split(k), shape, size) for k in ("train", "valid", "test")}
  return dataclasses.replace(splits, name=f"{splits.name}_{size}",
                             image_shape=(size, size, channels), **padded)


@DATASETS.register("binarized_mnist_32")
def load_binarized_mnist_32(size: int = 32, **kwargs) -> DatasetSplits:
  """Embedded binarized MNIST (50k/10k/10k) padded to ``size x size``."""
  return pad_splits(load_binarized_mnist(**kwargs), size)


@DATASETS.register("mnist_32")
def load_mnist_32(size: int = 32, **kwargs) -> DatasetSplits:
  """Grayscale MNIST (TFDS or ``idx_dir``) padded to ``size x size``."""
  return pad_splits(load_mnist(**kwargs), size)
