"""Grayscale MNIST from IDX files and through the real tfds.load path."""
import gzip
import os

import numpy as np
import pytest
import tensorflow_datasets as tfds

from tfvae.data import load_dataset
from tfvae.data.mnist import read_idx


def test_idx_files_from_shared_data(shared_data):
  splits = load_dataset({"name": "mnist", "idx_dir": os.path.join(shared_data, "mnist")})
  assert splits.train.shape == (50000, 784) and splits.valid.shape == (10000, 784)
  assert splits.test.shape == (10000, 784)
  assert splits.train.dtype == np.float32
  assert 0.0 <= splits.test.min() and splits.test.max() <= 1.0
  # Official test set: mean intensity 0.1325 (33.79 / 255) and label counts.
  assert splits.test.mean() == pytest.approx(0.13251, abs=1e-4)
  assert np.bincount(splits.labels["test"]).tolist()[:3] == [980, 1135, 1032]
  assert splits.kind == "real" and splits.model_kind == "real"


def test_idx_header_is_checked(tmp_path):
  bad = tmp_path / "x.gz"
  with gzip.open(bad, "wb") as f:
    f.write(b"\x00\x00\x08\x03" + (2).to_bytes(4, "big") + (28).to_bytes(4, "big")
            + (28).to_bytes(4, "big") + b"\x00" * 100)
  with pytest.raises(ValueError, match="header says"):
    read_idx(str(bad))


def test_missing_idx_dir_is_a_clear_error(tmp_path):
  with pytest.raises(FileNotFoundError, match="does not exist"):
    load_dataset({"name": "mnist", "idx_dir": str(tmp_path / "missing")})
  with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte"):
    load_dataset({"name": "mnist", "idx_dir": str(tmp_path)})


def test_tfds_path_with_mock_data():
  with tfds.testing.mock_data(num_examples=10020):
    splits = load_dataset({"name": "mnist", "binarize": "dynamic"})
  assert splits.train.shape == (20, 784) and splits.valid.shape == (10000, 784)
  assert splits.test.shape == (10020, 784)
  assert splits.model_kind == "binary"


def test_bernoulli_on_real_pixels_is_rejected():
  with tfds.testing.mock_data(num_examples=10020):
    splits = load_dataset({"name": "mnist"})
  with pytest.raises(ValueError, match="bernoulli.*needs binary data"):
    splits.check_likelihood("bernoulli")
  splits.check_likelihood("gaussian")  # real data with a Gaussian decoder is fine


class _DownloadAttempted(Exception):
  pass


def test_real_tfds_load_reaches_the_download(tmp_path, monkeypatch):
  """The real ``tfds.load("mnist")`` path of the installed package runs up to the
  download (which this machine cannot make): builder, download manager and their
  imports all work. Without ``importlib_resources`` it failed before, with
  ``ModuleNotFoundError``."""
  from tensorflow_datasets.core.download import downloader  # pylint: disable=g-import-not-at-top
  from tfvae.data.mnist import load_tfds  # pylint: disable=g-import-not-at-top

  def refuse(self, url, destination_path, verify=True):
    del self, destination_path, verify
    raise _DownloadAttempted(url)

  monkeypatch.setattr(downloader._Downloader, "download", refuse)  # pylint: disable=protected-access
  with pytest.raises(_DownloadAttempted, match=r"mnist"):
    load_tfds(data_dir=str(tmp_path / "tfds"))
