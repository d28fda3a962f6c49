"""Tests of the Gauss-VAE baseline with L samples and selectable networks."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tfvae.data import load_dataset
from tfvae.models import build_model
from tfvae.models.exponential_family.gauss_vae_baseline import GaussVAEBaseline


@pytest.fixture(scope="module")
def splits():
  return load_dataset({"name": "binarized_mnist_32"})


def test_analytic_kl_matches_monte_carlo(splits):
  x = splits.train[:4].astype(np.float32)
  model = GaussVAEBaseline(input_size=1024, latent_dim=3, network="conv32", seed=1)
  q = model.encode(x)
  _, log_ratio = model.importance_sample(q, 20000, tf.constant([1, 2]))
  mc = -log_ratio.numpy()
  se = mc.std(0) / np.sqrt(mc.shape[0])
  closed = model.kl_divergence(q).numpy()
  assert np.all(np.abs(mc.mean(0) - closed) < 4.5 * se + 1e-5), (mc.mean(0), closed)


def test_loss_falls_with_conv_nets_on_padded_mnist(splits):
  keras.utils.set_random_seed(0)
  model = build_model({"name": "gauss_vae_baseline", "latent_dim": 4, "network": "conv32",
                       "num_latent_samples": 2}, splits, seed=0)
  x = splits.train[:400].astype(np.float32)
  model.compile(optimizer=keras.optimizers.Adam(1e-3))
  losses = model.fit(x, batch_size=50, epochs=3, verbose=0).history["loss"]
  assert losses[-1] < losses[0] - 20, losses
  assert model.reconstruct(x[:2]).shape == (2, 1024)


def test_mlp_shape_and_gaussian_likelihood():
  model = GaussVAEBaseline(input_size=784, latent_dim=2, hidden_sizes=(16, 8),
                           likelihood="gaussian", num_latent_samples=3)
  x = tf.random.stateless_uniform([5, 784], seed=[1, 1])
  terms = model.loss_terms(x)
  assert np.isfinite(terms["loss"].numpy())
  assert [l.units for l in model.encoder.layers] == [16, 8]
  assert [l.units for l in model.decoder.layers] == [8, 16, 2 * 784]
  with pytest.raises(ValueError, match="conv32"):
    GaussVAEBaseline(input_size=784, network="conv32")
