"""Grayscale MNIST padded to 32x32 (``mnist_32``) from the official IDX files."""
import numpy as np

from tfvae.data import load_dataset
from tfvae.data.mnist import read_idx


def test_mnist_32_from_idx_files(shared_data):
  import os  # pylint: disable=g-import-not-at-top
  idx_dir = os.path.join(shared_data, "mnist")
  test_images = read_idx(os.path.join(idx_dir, "t10k-images-idx3-ubyte.gz"))
  test_labels = read_idx(os.path.join(idx_dir, "t10k-labels-idx1-ubyte.gz"))
  padded = load_dataset({"name": "mnist_32", "idx_dir": idx_dir, "binarize": "dynamic"})
  assert padded.image_shape == (32, 32, 1) and padded.binarize == "dynamic"
  assert padded.train.shape == (50000, 1024) and padded.train.dtype == np.float32
  images = padded.test.reshape(-1, 32, 32)
  np.testing.assert_allclose(images[:, 2:30, 2:30], test_images / 255.0, atol=1e-7)
  assert images[:, :2].max() == 0 and images[:, :, 30:].max() == 0
  np.testing.assert_array_equal(padded.labels["test"], test_labels)
  padded.check_likelihood("bernoulli")  # dynamic binarization makes it binary
  batch = next(iter(padded.train_dataset(8, seed=0))).numpy()
  assert batch.shape == (8, 1024) and set(np.unique(batch)) <= {0.0, 1.0}
