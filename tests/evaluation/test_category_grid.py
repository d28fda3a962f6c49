"""Per-category sample grids: one row per category, PNG round trip."""
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfvae.evaluation.category_grid import category_sample_grid, write_category_grid
from tfvae.models.learned_priors.cp_vae import CPVAE
from tfvae.models.learned_priors.prior_vae import PriorVAE


def _model():
  keras.utils.set_random_seed(0)
  return CPVAE(input_size=12, num_categories=5, latent_dim=2, hidden_sizes=(8,))


def test_rows_follow_q_c_and_png_round_trips(tmp_path):
  model = _model()
  model.aggregated_posterior.assign([0.1, 0.0, 0.6, 0.3, 0.0])
  grid = category_sample_grid(model, num_per_category=3, image_shape=(3, 4),
                              max_categories=3)
  assert grid.shape == (3 * 4 + 1, 3 * 5 + 1, 1) and grid.dtype == np.uint8
  # row r must equal conditional generation of the r-th most probable category (2, 3, 0)
  first_row = model.sample_category(2, 3, tf.constant([0, 0]))["probs"].numpy()
  np.testing.assert_array_equal(grid[1:4, 1:5, 0],
                                (np.clip(first_row[0].reshape(3, 4), 0, 1) * 255 + 0.5)
                                .astype(np.uint8))
  path = write_category_grid(model, os.path.join(tmp_path, "g.png"), num_per_category=2,
                             image_shape=(3, 4), categories=[4, 1])
  decoded = tf.io.decode_png(tf.io.read_file(path)).numpy()
  assert decoded.shape == (2 * 4 + 1, 2 * 5 + 1, 1)


def test_models_without_categories_are_refused():
  with pytest.raises(ValueError):
    category_sample_grid(PriorVAE(input_size=4, latent_dim=2, hidden_sizes=(4,)))
