"""The 1-D two-Gaussian experiment (CP-VAE paper sec. 5.1): metrics, PNGs, and a CP-VAE
trained for a small budget whose generations are bimodal."""
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfvae.data import toy_two_gaussians as toy
from tfvae.evaluation import cluster_accuracy, toy_1d
from tfvae.models.learned_priors import toy_figures
from tfvae.models.learned_priors.cp_vae import CPVAE


def test_metrics_separate_bimodal_from_unimodal():
  rng = np.random.default_rng(0)
  truth, _ = toy.sample_mixture(50000, rng)
  good = toy_1d.histogram_metrics(truth[:, 0])
  assert good["dip_ratio"] < 0.05 and good["total_variation"] < 0.03
  assert abs(good["density_0.3"] - toy.mixture_density(0.3)) < 0.15 * toy.mixture_density(0.3)
  blob = toy_1d.histogram_metrics(0.5 + 0.2 * rng.standard_normal(50000))
  assert blob["dip_ratio"] > 1.0 and blob["total_variation"] > 0.3


@pytest.fixture(scope="module")
def trained_cp_vae():
  """CP-VAE with K = 2 on 5,000 toy points: 2,000 Adam steps of batch 500 (~15 s CPU)."""
  keras.utils.set_random_seed(3)
  splits = toy.load_toy_two_gaussians(num_train=5000, num_valid=500, num_test=2000, seed=3)
  model = CPVAE(input_size=1, num_categories=2, latent_dim=2, hidden_sizes=(32, 32),
                likelihood="gaussian", temperature=0.5, prior_init_stddev=1.0, seed=3)
  model.compile(optimizer=keras.optimizers.Adam(5e-3), jit_compile=True,
                steps_per_execution=10)
  model.fit(splits.train_dataset(500, seed=3), steps_per_epoch=500, epochs=4, verbose=0)
  model.update_aggregated_posterior(splits.train)
  return model, splits


def test_cp_vae_generations_are_bimodal(trained_cp_vae, tmp_path):
  model, splits = trained_cp_vae
  report = toy_1d.toy_report(model, str(tmp_path), num_samples=20000, seed=1)
  gen = report["generated"]
  assert gen["density_0.5"] < 0.25 * min(gen["density_0.3"], gen["density_0.7"]), gen
  assert gen["total_variation"] < 0.2, gen
  # both categories carry half of the data (q(c), eq. 14) and map onto the two modes
  assert 1.8 < report["effective_categories"] <= 2.0
  acc = cluster_accuracy.evaluate_splits(model, splits, "valid", "test")
  assert acc["hungarian_accuracy"] > 0.95, acc
  # PNGs: figure 3 (generations vs truth) and figure 4 (q(c) vs uniform c)
  for path in report["files"]:
    image = tf.io.decode_png(tf.io.read_file(path)).numpy()
    assert image.shape[1] == toy_figures.NUM_BINS * 6 and image.shape[2] == 3
  assert {os.path.basename(p) for p in report["files"]} == {"toy_histogram.png",
                                                            "toy_excess_capacity.png"}


def test_per_category_generation_and_epoch_png(trained_cp_vae, tmp_path):
  model, _ = trained_cp_vae
  means = sorted(float(np.median(model.sample_category(k, 2000, tf.constant([k, 1]))
                                 ["samples"].numpy())) for k in range(2))
  assert abs(means[0] - 0.3) < 0.05 and abs(means[1] - 0.7) < 0.05, means
  path = model.write_samples_png(os.path.join(tmp_path, "epoch.png"), 0, image_shape=(1,))
  assert tf.io.decode_png(tf.io.read_file(path)).shape[2] == 3
