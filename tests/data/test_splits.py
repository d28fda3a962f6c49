"""Data checks shared by every loader."""
import numpy as np
import pytest

from tfvae.data import DatasetSplits, check_binary


def _splits(train, kind="binary"):
  return DatasetSplits(name="toy", train=train, valid=train, test=train, kind=kind,
                       image_shape=(2, 2, 1))


def test_non_binary_values_for_bernoulli_are_named():
  data = np.array([[0, 1, 2, 1]] * 3, np.uint8)
  with pytest.raises(ValueError, match=r"non-binary values \(e.g. \[2\]\)"):
    _splits(data).check_likelihood("bernoulli")


def test_nan_in_data_is_rejected():
  data = np.full((3, 4), 0.5, np.float32)
  data[1, 2] = np.nan
  with pytest.raises(ValueError, match="1 NaN or Inf"):
    _splits(data, kind="real").check_likelihood("gaussian")


def test_binary_check_accepts_binary_data():
  check_binary(np.array([[0, 1], [1, 0]], np.uint8), "ok")


def test_bad_kind_is_rejected():
  with pytest.raises(ValueError, match="kind must be one of"):
    _splits(np.zeros((2, 4)), kind="images")
