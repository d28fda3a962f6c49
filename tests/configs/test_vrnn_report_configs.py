"""The VRNN report's section 4.2 configs hold the report's protocol, and the
``vrnn_report`` suite scales every width by the same factor."""
import os

import numpy as np
import pytest

from tests.conftest import REPO_ROOT
from tfvae.benchmarks import suites
from tfvae.benchmarks.run_entry import apply_overrides
from tfvae.config_files import load_config_file

MNIST_TRAIN = 50000  # the loader's train split (the last 10,000 are validation)


def _config(name):
  return load_config_file(os.path.join(REPO_ROOT, "configs", f"{name}_seq_mnist_report.py"))


def _mlp(sizes_in, sizes):
  """Weights of a ReLU MLP from ``sizes_in`` inputs through ``sizes``."""
  total, width = 0, sizes_in
  for size in sizes:
    total += width * size + size
    width = size
  return total


def _lstm(inputs, units, layers):
  total, width = 0, inputs
  for _ in range(layers):
    total += 4 * units * (width + units) + 4 * units
    width = units
  return total


def _reference_vrnn_weights(x=28, z=2, h=1500, m=300):
  """The report's code (params.py): every net 2 x m ReLU layers, Gaussian heads."""
  head = lambda d: 2 * (m * d + d)  # mean and variance layers
  return (_mlp(x, (m, m)) + _mlp(h, (m, m)) + head(z) + _mlp(m + h, (m, m)) + head(z)
          + _mlp(z, (m, m)) + _mlp(m + h, (m, m)) + head(x) + _lstm(2 * m, h, 2))


def _reference_lstm_weights(x=28, h=2000, m=500):
  """The report's code (reference_lstm.py): 28 -> 500 -> 2000, 2 x 2000 LSTM, 2000 -> 500."""
  return _mlp(x, (m, h)) + _lstm(h, h, 2) + _mlp(h, (m,)) + 2 * (m * x + x)


@pytest.mark.parametrize("name, expected, steps", [
    ("vrnn", _reference_vrnn_weights(), 60000), ("lstm", _reference_lstm_weights(), 40000)])
def test_full_size_matches_the_report_code(name, expected, steps, shared_data):
  from tfvae.training.trainer import build  # pylint: disable=g-import-not-at-top
  config = _config(name)
  assert config.train.batch_size == 100
  assert config.train.epochs * MNIST_TRAIN // config.train.batch_size == steps
  config.dataset.idx_dir = os.path.join(shared_data, "mnist")
  config.train.precision = "float32"
  _, model = build(config, compile_model=False)
  weights = sum(int(np.prod(v.shape)) for v in model.trainable_variables)
  assert weights == expected  # 32.6 M and 66.1 M, not the text's 4.2 M and 6 M


def test_learning_rate_steps_are_the_reports():
  from tfvae.training.schedules import schedule_value  # pylint: disable=g-import-not-at-top
  spec = dict(_config("vrnn").train.lr_schedule)
  assert spec.pop("unit") == "step"
  rates = [schedule_value(t=t, **spec) for t in (0, 19999, 20000, 39999, 40000, 59999)]
  assert rates == [1e-4, 1e-4, 3e-5, 3e-5, 3e-6, 3e-6]


def test_mixture_models_take_the_vrnn_sizes_and_schedule():
  vrnn = _config("vrnn")
  for name in ("gmvrnn_gumbel", "gmvrnn_variational"):
    config = _config(name)
    for key in ("rnn_units", "num_layers", "latent_dim", "phi_x_sizes", "decoder_sizes",
                "output"):
      assert config.model[key] == vrnn.model[key], (name, key)
    assert config.train.to_dict() == {**vrnn.train.to_dict(),
                                      "schedules": config.train.schedules.to_dict()}
    assert "kl_weight" not in config.train.schedules  # no warm-up, as the report


def test_suite_divides_every_width_by_the_same_factor():
  widths = ("rnn_units", "phi_x_sizes", "phi_z_sizes", "prior_sizes", "encoder_sizes",
            "decoder_sizes", "input_sizes", "output_sizes")
  for entry in suites.get_suite("vrnn_report"):
    full = load_config_file(os.path.join(REPO_ROOT, entry.config))
    scaled = apply_overrides(full, entry.overrides, shared_data="/data")
    checked = 0
    for key in widths:
      if key in full.model:
        assert np.all(np.multiply(scaled.model[key], 4) == np.array(full.model[key])), key
        checked += 1
    assert checked >= 3, entry.name
    assert scaled.train.to_dict() == {**full.train.to_dict(),
                                      **{k: scaled.train[k] for k in
                                         ("sample_every", "verbose")}}
