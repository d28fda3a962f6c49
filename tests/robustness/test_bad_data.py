"""Bad data files and data that does not fit the model fail while loading, naming the file
(or split) and what is expected, before the workdir is created."""
import gzip
import os

import ml_collections
import numpy as np
import pytest

from tests.robustness.runs import run_config
from tfvae.data import DatasetSplits
from tfvae.data.binarized_mnist import EMBEDDED_PATH
from tfvae.data.mnist import IDX_FILES
from tfvae.training.trainer import train


def _train_on(tmp_path, dataset: dict, **model_changes):
  """Trains ``run_config()`` on ``dataset`` in ``tmp_path/run``; returns the workdir."""
  tree = run_config().to_dict()
  tree["dataset"] = dataset
  tree["model"].update(model_changes)
  workdir = tmp_path / "run"
  train(ml_collections.ConfigDict(tree), str(workdir), log=lambda *_: None)
  return workdir


def _write_idx(path, array):
  header = bytes([0, 0, 0x08, array.ndim]) + b"".join(
      int(d).to_bytes(4, "big") for d in array.shape)
  opener = gzip.open if path.endswith(".gz") else open
  with opener(path, "wb") as f:
    f.write(header + array.astype(np.uint8).tobytes())


def _idx_dir(tmp_path, num_train=10001, num_test=10, skip=()):
  """A small MNIST-format folder of random grayscale images (uncompressed IDX)."""
  rng = np.random.default_rng(0)
  folder = tmp_path / "idx"
  folder.mkdir()
  arrays = {"train_images": rng.integers(0, 256, (num_train, 28, 28)),
            "train_labels": rng.integers(0, 10, num_train),
            "test_images": rng.integers(0, 256, (num_test, 28, 28)),
            "test_labels": rng.integers(0, 10, num_test)}
  for key, stem in IDX_FILES.items():
    if key not in skip:
      _write_idx(str(folder / stem), arrays[key])
  return folder


def test_missing_idx_file(tmp_path):
  folder = _idx_dir(tmp_path, skip=("test_labels",))
  with pytest.raises(FileNotFoundError, match=(
      r"MNIST IDX file t10k-labels-idx1-ubyte\[.gz\] not found in .*idx; expected "
      r"train-images-idx3-ubyte.gz, .*t10k-labels-idx1-ubyte.gz")):
    _train_on(tmp_path, dict(name="mnist", idx_dir=str(folder), binarize="dynamic"))
  assert not (tmp_path / "run").exists()


def test_truncated_idx_file(tmp_path):
  folder = _idx_dir(tmp_path)
  path = folder / IDX_FILES["test_images"]
  path.write_bytes(path.read_bytes()[:-100])
  with pytest.raises(ValueError, match=(
      r"t10k-images-idx3-ubyte: header says \[10, 28, 28\] \(7840 bytes\) but file holds "
      r"7740")):
    _train_on(tmp_path, dict(name="mnist", idx_dir=str(folder), binarize="dynamic"))
  assert not (tmp_path / "run").exists()


def test_truncated_gzipped_idx_file(tmp_path):
  folder = _idx_dir(tmp_path)
  stem = IDX_FILES["train_labels"]
  raw = (folder / stem).read_bytes()
  os.remove(folder / stem)
  (folder / (stem + ".gz")).write_bytes(gzip.compress(raw)[:40])
  with pytest.raises(ValueError, match=(r"train-labels-idx1-ubyte.gz is not a readable "
                                        r"gzipped IDX file .*; download it again")):
    _train_on(tmp_path, dict(name="mnist", idx_dir=str(folder), binarize="dynamic"))
  assert not (tmp_path / "run").exists()


def test_grayscale_data_with_a_bernoulli_likelihood(tmp_path):
  folder = _idx_dir(tmp_path)
  with pytest.raises(ValueError, match=(
      r"dataset 'mnist' holds real values in \[0, 1\]; a 'bernoulli' likelihood needs "
      r"binary data: set dataset.binarize='dynamic' or model.likelihood='gaussian'")):
    _train_on(tmp_path, dict(name="mnist", idx_dir=str(folder)), likelihood="bernoulli")
  assert not (tmp_path / "run").exists()


def test_non_binary_values_in_binary_data():
  """Data declared binary but holding grey levels is caught by the likelihood check."""
  x = np.zeros((4, 6), np.float32)
  x[1, 2] = 0.5
  splits = DatasetSplits(name="toy", train=x, valid=x, test=x, kind="binary",
                         image_shape=(6,))
  with pytest.raises(ValueError, match=(
      r"toy/train has non-binary values \(e.g. \[0.5\]\); a Bernoulli likelihood needs "
      r"data in \{0, 1\}: use a 'gaussian' likelihood for real data, or "
      r"binarize='dynamic'")):
    splits.check_likelihood("bernoulli")


def test_corrupt_npz(tmp_path):
  path = tmp_path / "binarized.npz"
  path.write_bytes(b"this is not a zip archive" * 10)
  with pytest.raises(ValueError, match=(
      r"binarized.npz is not a readable .npz file .*; expected keys 'train', 'valid', "
      r"'test' of packed bits")):
    _train_on(tmp_path, dict(name="binarized_mnist", path=str(path)))
  assert not (tmp_path / "run").exists()


def test_truncated_npz(tmp_path):
  path = tmp_path / "binarized.npz"
  data = open(EMBEDDED_PATH, "rb").read()
  path.write_bytes(data[: len(data) // 2])
  with pytest.raises(ValueError, match=r"binarized.npz is not a readable .npz file"):
    _train_on(tmp_path, dict(name="binarized_mnist", path=str(path)))
  assert not (tmp_path / "run").exists()


def test_npz_without_the_expected_keys(tmp_path):
  path = tmp_path / "binarized.npz"
  np.savez(path, train=np.zeros((2, 98), np.uint8))
  with pytest.raises(ValueError, match=r"binarized.npz lacks keys \['test', 'valid'\]"):
    _train_on(tmp_path, dict(name="binarized_mnist", path=str(path)))
  assert not (tmp_path / "run").exists()


def _strokes_file(path, bad_value):
  """A flat stroke-3 file of 3 drawings per split, one offset replaced by ``bad_value``."""
  strokes = np.tile(np.array([[1.0, 2.0, 0.0], [3.0, -1.0, 1.0]], np.float32), (3, 1))
  arrays = {}
  for split in ("train", "valid", "test"):
    arrays[f"{split}_strokes"] = strokes.copy()
    arrays[f"{split}_offsets"] = np.array([0, 2, 4, 6])
  arrays["train_strokes"][3, 1] = bad_value
  np.savez(path, **arrays)


@pytest.mark.parametrize("bad_value", [np.nan, np.inf], ids=["nan", "inf"])
def test_non_finite_values_in_stroke_data(tmp_path, bad_value):
  path = str(tmp_path / "drawings.npz")
  _strokes_file(path, bad_value)
  with pytest.raises(ValueError, match=r"drawings.npz:train_strokes contains 1 NaN or Inf "
                                       r"values"):
    _train_on(tmp_path, dict(name="strokes", path=path, max_length=4))
  assert not (tmp_path / "run").exists()


def test_non_finite_values_in_real_data():
  x = np.full((4, 6), 0.5, np.float32)
  bad = x.copy()
  bad[0, 0], bad[3, 5] = np.nan, -np.inf
  splits = DatasetSplits(name="toy", train=x, valid=bad, test=x, kind="real",
                         image_shape=(6,))
  with pytest.raises(ValueError, match=r"toy/valid contains 2 NaN or Inf values"):
    splits.check_likelihood("gaussian")
