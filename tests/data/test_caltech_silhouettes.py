"""Caltech-101 Silhouettes loader (standard .mat, user path)."""
import os

import numpy as np
import pytest
from scipy import io as sio

from tfvae.data import load_dataset
from tfvae.data.caltech_silhouettes import read_caltech_mat

FILE = "caltech101_silhouettes/caltech101_silhouettes_28_split1.mat"


def test_real_file_splits_and_orientation(shared_data):
  path = os.path.join(shared_data, FILE)
  splits = load_dataset({"name": "caltech101_silhouettes", "path": path})
  assert (len(splits.train), len(splits.valid), len(splits.test)) == (4100, 2264, 2307)
  assert splits.train.dtype == np.uint8 and set(np.unique(splits.train)) == {0, 1}
  assert abs(splits.train.mean() - 0.449) < 0.01  # ink = 1 after inversion
  raw = sio.loadmat(path)["train_data"][0]
  np.testing.assert_array_equal(splits.train[0].reshape(28, 28),
                                1 - raw.reshape(28, 28, order="F"))
  assert set(np.unique(splits.labels["test"])) <= set(range(1, 102))
  splits.check_likelihood("bernoulli")


def test_synthetic_mat_round_trip(tmp_path):
  rng = np.random.default_rng(0)
  images = (rng.random((6, 28, 28)) < 0.5).astype(np.uint8)
  col_major = images.reshape(6, -1, order="C")
  # Store as the .mat does: each row the column-major flattening of an image.
  stored = np.stack([im.reshape(-1, order="F") for im in images])
  path = str(tmp_path / "c.mat")
  sio.savemat(path, {"train_data": stored, "val_data": stored[:2], "test_data": stored[:3],
                     "train_labels": np.arange(1, 7)[:, None]})
  arrays, labels = read_caltech_mat(path, invert=False)
  np.testing.assert_array_equal(arrays["train"], col_major)
  np.testing.assert_array_equal(labels["train"], np.arange(1, 7))
  inverted, _ = read_caltech_mat(path)
  np.testing.assert_array_equal(inverted["valid"], 1 - col_major[:2])


def test_missing_file_and_path():
  with pytest.raises(FileNotFoundError, match="Caltech"):
    read_caltech_mat("/nonexistent/c.mat")
  with pytest.raises(ValueError, match="path"):
    load_dataset({"name": "caltech101_silhouettes"})
