"""``config.train``: one default per key, and keys the trainer does not read are refused."""
import glob
import os

import ml_collections
import pytest

from tests.conftest import REPO_ROOT
from tfvae.training.config_checks import check_values
from tfvae.training.train_settings import REQUIRED, TRAIN_DEFAULTS, setting, unknown_keys


def _config(**train):
  config = ml_collections.ConfigDict()
  config.model = dict(name="gaussian_vae")
  config.dataset = dict(name="binarized_mnist")
  config.train = dict(batch_size=10, epochs=1, learning_rate=1e-3, seed=0, **train)
  return config


def test_a_left_out_key_reads_its_default_and_a_set_one_its_value():
  train = _config(sample_every=5).train
  assert setting(train, "sample_every") == 5
  assert setting(train, "validation_every") == TRAIN_DEFAULTS["validation_every"] == 1
  assert setting(train, "jit_compile") is True
  with pytest.raises(KeyError, match="no train setting 'sample_evry'"):
    setting(train, "sample_evry")


def test_a_key_the_trainer_does_not_read_is_refused():
  check_values(_config(sample_every=5))  # fine
  with pytest.raises(ValueError, match=r"config.train has no setting\(s\) sample_evry; "
                                       r"settings: .*sample_every"):
    check_values(_config(sample_evry=5))
  assert unknown_keys(_config(epoch=3, foo=1).train) == ["epoch", "foo"]


def test_every_default_is_read_by_the_package():
  """A key listed here but read nowhere would be a dead setting."""
  sources = "".join(open(p, encoding="utf-8").read()
                    for p in glob.glob(os.path.join(REPO_ROOT, "tfvae", "**", "*.py"),
                                       recursive=True)
                    if not p.endswith("train_settings.py"))
  unread = [k for k in tuple(TRAIN_DEFAULTS) + REQUIRED if f'"{k}"' not in sources
            and f".{k}" not in sources]
  assert unread == []
