"""SVHN via the real ``tfds.load('svhn_cropped')`` path on TFDS mock data, and MNIST at 32x32."""
import numpy as np
import pytest
import tensorflow_datasets as tfds

from tfvae.data import load_dataset
from tfvae.data.binarized_mnist import load_binarized_mnist
from tfvae.data.padded import pad_images


def _mock():
  return tfds.testing.mock_data(num_examples=33, policy=tfds.testing.MockPolicy.USE_CODE)


def test_svhn_is_grayscale_mean_of_rgb_in_unit_interval():
  with _mock():
    raw = [ex["image"] for ex in tfds.as_numpy(tfds.load("svhn_cropped", split="train"))]
    splits = load_dataset({"name": "svhn"})
  rgb = np.stack(raw).astype(np.float64)
  expected = rgb.mean(-1).reshape(len(rgb), 1024) / 255.0
  assert splits.image_shape == (32, 32, 1) and splits.kind == "real"
  assert len(splits.train) + len(splits.valid) == 33 and len(splits.valid) == 33 // 11
  assert len(splits.test) == 33
  np.testing.assert_allclose(np.concatenate([splits.train, splits.valid]), expected,
                             atol=1e-6)
  assert splits.train.dtype == np.float32
  assert splits.train.min() >= 0 and splits.train.max() <= 1
  assert splits.model_arguments() == {"input_size": 1024}
  assert set(splits.labels) == {"train", "valid", "test"}


def test_svhn_needs_gaussian_or_dynamic_binarization():
  with _mock():
    splits = load_dataset({"name": "svhn", "num_valid": 3})
    dynamic = load_dataset({"name": "svhn", "num_valid": 3, "binarize": "dynamic"})
  with pytest.raises(ValueError, match="binarize"):
    splits.check_likelihood("bernoulli")
  splits.check_likelihood("gaussian")
  dynamic.check_likelihood("bernoulli")
  batch = next(iter(dynamic.train_dataset(10, seed=1)))
  assert set(np.unique(batch.numpy())) <= {0.0, 1.0}
  with _mock(), pytest.raises(ValueError, match="num_valid"):
    load_dataset({"name": "svhn", "num_valid": 33})


def test_padded_binarized_mnist_keeps_the_image_centred():
  base = load_binarized_mnist()
  padded = load_dataset({"name": "binarized_mnist_32"})
  assert padded.image_shape == (32, 32, 1) and padded.kind == "binary"
  assert padded.name == "binarized_mnist_32"
  for split in ("train", "valid", "test"):
    assert padded.split(split).shape == (len(base.split(split)), 1024)
  images = padded.test[:50].reshape(50, 32, 32)
  np.testing.assert_array_equal(images[:, 2:30, 2:30], base.test[:50].reshape(50, 28, 28))
  border = images.copy()
  border[:, 2:30, 2:30] = 0
  assert not border.any()
  padded.check_likelihood("bernoulli")


def test_pad_images_rejects_shrinking():
  with pytest.raises(ValueError):
    pad_images(np.zeros((1, 784)), (28, 28, 1), 20)
