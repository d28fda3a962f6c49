"""The embedded binarized MNIST: split sizes, binary values, known pixel means."""
import numpy as np
import pytest

from tfvae.data import load_dataset


def test_embedded_splits_match_larochelle_split():
  splits = load_dataset({"name": "binarized_mnist"})
  assert splits.train.shape == (50000, 784)
  assert splits.valid.shape == (10000, 784)
  assert splits.test.shape == (10000, 784)
  assert set(np.unique(splits.train)) == {0, 1}
  # Mean pixels documented with the data set.
  assert splits.train.mean() == pytest.approx(0.1306, abs=5e-5)
  assert splits.valid.mean() == pytest.approx(0.1311, abs=5e-5)
  assert splits.test.mean() == pytest.approx(0.1325, abs=5e-5)


def test_embedded_copy_equals_shared_file(shared_data):
  import os
  ours = load_dataset({"name": "binarized_mnist"})
  theirs = load_dataset({"name": "binarized_mnist",
                         "path": os.path.join(shared_data, "binarized_mnist",
                                              "binarized_mnist.npz")})
  np.testing.assert_array_equal(ours.test, theirs.test)


def test_missing_file_is_a_clear_error(tmp_path):
  with pytest.raises(FileNotFoundError, match="binarized MNIST file not found"):
    load_dataset({"name": "binarized_mnist", "path": str(tmp_path / "nope.npz")})


def test_unknown_dataset_lists_known_names():
  with pytest.raises(KeyError, match="known datasets: .*binarized_mnist.*mnist"):
    load_dataset({"name": "cifar_nope"})


def test_train_on_valid_appends_the_validation_split():
  from tfvae.data.binarized_mnist import load_binarized_mnist  # pylint: disable=g-import-not-at-top
  plain = load_binarized_mnist()
  merged = load_binarized_mnist(train_on_valid=True)
  assert merged.train.shape == (60000, 784)
  assert (merged.train[50000:] == plain.valid).all()
  assert (merged.test == plain.test).all() and (merged.valid == plain.valid).all()
