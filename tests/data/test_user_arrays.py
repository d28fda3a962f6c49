"""Your own data: the ``npz`` and ``tfds`` datasets (tfvae/data/user_arrays.py)."""
import keras
import numpy as np
import pytest
import tensorflow_datasets as tfds

from tfvae.config_files import load_config_file
from tfvae.data import load_dataset
from tfvae.training.trainer import train
from tests.conftest import REPO_ROOT


def _grey_npz(tmp_path, n_train=60, n_test=12, **extra):
  rng = np.random.default_rng(0)
  path = tmp_path / "mine.npz"
  np.savez(path, train=rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
           test=rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
           train_labels=np.arange(n_train) % 3, **extra)
  return path


def test_grey_uint8_npz_becomes_real_splits_with_a_validation_tail(tmp_path):
  path = _grey_npz(tmp_path)
  splits = load_dataset({"name": "npz", "path": str(path), "num_valid": 10,
                         "binarize": "dynamic"})
  assert (splits.kind, splits.binarize, splits.image_shape) == ("real", "dynamic", (28, 28, 1))
  raw = np.load(path)["train"].reshape(60, -1) / 255.0
  np.testing.assert_allclose(splits.train, raw[:50], rtol=1e-6)
  np.testing.assert_allclose(splits.valid, raw[50:], rtol=1e-6)
  assert list(splits.labels["valid"]) == list(np.arange(50, 60) % 3)


def test_binary_float_npz_with_its_own_valid_split(tmp_path):
  rng = np.random.default_rng(1)
  path = tmp_path / "bits.npz"
  np.savez(path, **{k: (rng.random((n, 64)) < 0.3).astype(np.float32)
                    for k, n in (("train", 30), ("valid", 7), ("test", 9))})
  splits = load_dataset({"name": "npz", "path": str(path), "binarize": "dynamic"})
  assert (splits.kind, splits.binarize, splits.image_shape) == ("binary", "none", (8, 8, 1))
  assert splits.train.dtype == np.uint8 and len(splits.valid) == 7


@pytest.mark.parametrize("arrays, message", [
    (dict(train=np.full((20, 4), 2.0), test=np.zeros((3, 4))),
     r"mine.npz:train .*pixels in \[0, 1\] \(or uint8\)"),
    (dict(train=np.full((20, 4), np.nan), test=np.zeros((3, 4))), r"mine.npz:train"),
    (dict(train=np.zeros((20, 4))), r"mine.npz lacks keys \['test'\]"),
    (dict(train=np.zeros((20, 4)), test=np.zeros((3, 5))), r"example shapes differ"),
    (dict(train=np.zeros((20, 4)), test=np.zeros((3, 4)), test_labels=np.zeros(2)),
     r"mine.npz:test_labels"),
    (dict(train=np.zeros((5, 4)), test=np.zeros((3, 4))), r"need more than num_valid=10"),
], ids=["above_one", "nan", "no_test", "shapes", "labels", "too_small"])
def test_bad_npz_names_the_file_and_key(tmp_path, arrays, message):
  path = tmp_path / "mine.npz"
  np.savez(path, **arrays)
  with pytest.raises(ValueError, match=message):
    load_dataset({"name": "npz", "path": str(path), "num_valid": 10})


def test_npz_without_a_path():
  with pytest.raises(ValueError, match=r"dataset 'npz' needs config.dataset.path"):
    load_dataset({"name": "npz"})


def test_tfds_by_name():
  with tfds.testing.mock_data(num_examples=40):
    splits = load_dataset({"name": "tfds", "tfds_name": "mnist", "num_valid": 10})
  assert splits.image_shape == (28, 28, 1) and len(splits.valid) == 10
  assert len(splits.labels["train"]) == len(splits.train)


def test_the_user_data_config_trains_on_an_npz(tmp_path):
  config = load_config_file(f"{REPO_ROOT}/configs/vae_user_data.py")
  config.dataset.path = str(_grey_npz(tmp_path, n_train=120))
  config.dataset.num_valid = 20
  config.model.hidden_sizes = (16,)
  config.model.latent_dim = 2
  config.train.update(epochs=1, steps_per_epoch=2, batch_size=10, jit_compile=False,
                      steps_per_execution=1, sample_every=1, eval_batch_size=20, verbose=0)
  keras.backend.clear_session()
  result = train(config, str(tmp_path / "run"), log=lambda *_: None)
  assert result.epochs_done == 1 and np.isfinite(result.history["val_elbo"][0])
