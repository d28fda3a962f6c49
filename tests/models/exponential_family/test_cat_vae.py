"""Tests of the Cat-VAE baseline (Jang et al. 2017) on tiny networks."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tfvae.data import load_dataset
from tfvae.models import build_model
from tfvae.models.exponential_family.cat_vae import CatVAE


@pytest.fixture(scope="module")
def x():
  return load_dataset({"name": "binarized_mnist"}).train[:600].astype(np.float32)


def tiny(**kw):
  settings = dict(input_size=784, latent_dim=3, num_categories=5, hidden_sizes=(32,),
                  temperature=0.5, seed=2)
  settings.update(kw)
  return CatVAE(**settings)


def test_kl_to_uniform_matches_closed_form_and_monte_carlo(x):
  model = tiny()
  logits = model.encode(x[:6]) * 3.0  # sharpen to make the check non-trivial
  q = tf.nn.softmax(logits).numpy().astype(np.float64)
  closed = np.sum(q * np.log(5 * q), axis=(-1, -2))
  ours = model.kl_divergence(logits).numpy()
  np.testing.assert_allclose(ours, closed, rtol=1e-5)
  # Monte Carlo over categories c ~ q: E[log q(c) - log(1/C)], summed over dims.
  n = 20000
  c = tf.random.stateless_categorical(tf.reshape(logits, [-1, 5]), n, seed=[4, 4]).numpy()
  log_q = np.log(q.reshape(-1, 5))
  draws = np.take_along_axis(log_q, c, axis=1) + np.log(5.0)  # [B*d, n]
  draws = draws.reshape(6, 3, n).sum(1)
  se = draws.std(1) / np.sqrt(n)
  assert np.all(np.abs(draws.mean(1) - ours) < 4.5 * se + 1e-6)
  # Uniform logits have zero KL.
  np.testing.assert_allclose(model.kl_divergence(tf.zeros([2, 3, 5])).numpy(), 0.0, atol=1e-7)


def test_relaxed_one_hot_decoder_input(x):
  model = build_model({"name": "cat_vae", "latent_dim": 3, "num_categories": 5,
                       "hidden_sizes": (8,)}, load_dataset({"name": "binarized_mnist"}))
  q = model.encode(x[:4])
  y = model.posterior_sample(q, 2, tf.constant([1, 1])).numpy()
  assert y.shape == (2, 4, 15)
  np.testing.assert_allclose(y.reshape(2, 4, 3, 5).sum(-1), 1.0, rtol=1e-5)
  codes = model.posterior_codes(x[:4], tf.constant([2, 2])).numpy()
  assert codes.shape == (4, 3) and codes.min() >= 0 and codes.max() <= 4 + 1e-5
  terms = model.loss_terms(x[:4])
  np.testing.assert_allclose(terms["relaxed_elbo"], terms["reconstruction"] - terms["kl"], rtol=1e-6)


def test_concrete_kl_bounds_category_kl(x):
  """Theorem 1 (2): KL of the Concrete vectors >= category KL (Cat-VAE's term_1)."""
  model = tiny(temperature=0.5, iwae_latent="concrete")
  q = model.encode(x[:4]) * 2.0
  _, log_ratio = model.importance_sample(q, 4000, tf.constant([3, 1]))
  kl_y = -log_ratio.numpy()
  se = kl_y.std(0) / np.sqrt(kl_y.shape[0])
  assert np.all(kl_y.mean(0) > model.kl_divergence(q).numpy() - 3 * se)


def test_loss_falls_on_real_data(x):
  keras.utils.set_random_seed(0)
  model = tiny(num_latent_samples=2)
  model.compile(optimizer=keras.optimizers.Adam(1e-3))
  losses = model.fit(x, batch_size=50, epochs=4, verbose=0).history["loss"]
  assert losses[-1] < losses[0] - 20, losses
  s = model.sample(3, tf.constant([0, 1]))
  assert s["probs"].shape == (3, 784) and s["z"].shape == (3, 3)
  clone = CatVAE.from_config(model.get_config())
  assert clone.categories_per_dim == 5 and clone.latent_dim == 3


def test_discrete_importance_weights_have_category_kl_mean(x):
  model = tiny()
  q = model.encode(x[:4]) * 2.0
  y, log_ratio = model.importance_sample(q, 20000, tf.constant([6, 1]))
  y = y.numpy().reshape(20000, 4, 3, 5)
  assert set(np.unique(y)) == {0.0, 1.0} and np.all(y.sum(-1) == 1)
  kl = -log_ratio.numpy()
  se = kl.std(0) / np.sqrt(len(kl))
  assert np.all(np.abs(kl.mean(0) - model.kl_divergence(q).numpy()) < 4.5 * se + 1e-4)
