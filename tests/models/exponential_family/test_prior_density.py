"""Prior-density PNG and z-histogram callback of the CG-BPEF diagnostics."""
import glob
import os

import numpy as np
import tensorflow as tf

from tfvae.models.exponential_family.latent_histograms import LatentHistograms
from tfvae.models.exponential_family.prior_density import density_panels, write_prior_density_png
from tfvae.models.exponential_family.cg_bpef_vae import CGBPEFVAE


def _model():
  model = CGBPEFVAE(input_size=16, latent_dim=2, order=2, grid_points=41,
                    hidden_sizes=(4,), temperature=0.5)
  model(tf.zeros([1, 16]))
  # dim 0: bi-modal (a_2 > 0, mass at +-1); dim 1: uni-modal at 0 (a_2 < 0).
  model.prior_coefficients.assign([[0.0, 4.0], [0.0, -4.0]])
  return model


def _column_heights(panel):
  """Height of the curve (darkest pixel) in every column of a single panel."""
  height = panel.shape[0]
  return height - 1 - np.argmin(panel, axis=0)


def test_png_draws_the_learned_prior(tmp_path):
  model = _model()
  path = write_prior_density_png(model, os.path.join(str(tmp_path), "prior.png"),
                                 height=40)
  image = tf.io.decode_png(tf.io.read_file(path)).numpy()[..., 0]
  assert image.shape == (2 + 40 + 2, 2 + 2 * (41 + 2))  # 1 row, 2 columns of panels
  left = _column_heights(image[2:42, 2:43])
  right = _column_heights(image[2:42, 45:86])
  assert left[0] > left[20] and left[-1] > left[20]        # bi-modal at the edges
  assert right[20] > right[0] and right[20] > right[-1]    # mode at z = 0
  _, density = model.prior_grid_density()
  expected = np.round(density.numpy() / density.numpy().max() * 39).astype(int)
  np.testing.assert_array_equal(left, expected[0])


def test_density_panels_validates_input():
  for bad in (np.ones(5), -np.ones((2, 5)), np.full((1, 3), np.nan)):
    try:
      density_panels(bad)
    except ValueError:
      continue
    raise AssertionError(f"accepted {bad}")


def test_histogram_callback_writes_one_histogram_per_dimension(tmp_path):
  model = _model()
  x = np.random.default_rng(0).random((32, 16)).astype(np.float32)
  callback = LatentHistograms(x, str(tmp_path), seed=1, png_dir=str(tmp_path))
  callback.set_model(model)
  callback.on_epoch_end(0)
  callback.on_train_end()
  tags = set()
  for event_file in glob.glob(os.path.join(str(tmp_path), "latent", "events.*")):
    for event in tf.compat.v1.train.summary_iterator(event_file):
      tags.update(v.tag for v in event.summary.value)
  assert {"z/dim_00", "z/dim_01", "prior_density"} <= tags
  assert os.path.exists(os.path.join(str(tmp_path), "prior_epoch_0001.png"))
