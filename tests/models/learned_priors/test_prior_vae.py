"""Gated VAE with a standard normal prior (the CP-VAE paper's "VAE" baseline)."""
import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfvae.models.learned_priors.prior_vae import PriorVAE
from tfvae.registry import MODELS

X = 12


def _data(n=8, seed=0):
  return tf.cast(tf.random.stateless_uniform([n, X], seed=[seed, 1]) < 0.4, tf.float32)


def _model():
  keras.utils.set_random_seed(0)
  return PriorVAE(input_size=X, latent_dim=3, hidden_sizes=(8,), seed=2)


def check_iwae_above_elbo(model, x, calls=100, num_samples=2048, k=64):
  """The single-sample log w matches the reported ELBO in mean; IWAE-k lies above both."""
  step = tf.function(lambda: model.loss_terms(x, training=False)["elbo"])
  elbos = np.array([step().numpy() for _ in range(calls)])
  log_w = model.log_importance_weights(x, num_samples, tf.constant([3, 4])).numpy()
  per_sample = log_w.mean(axis=1)
  stderr = math.sqrt(per_sample.var() / num_samples + elbos.var() / calls)
  assert abs(per_sample.mean() - elbos.mean()) < 4 * stderr, (per_sample.mean(), elbos.mean())
  groups = log_w.reshape(num_samples // k, k, -1)
  iwae = np.mean(tf.reduce_logsumexp(groups, axis=1).numpy() - math.log(k))
  assert iwae > elbos.mean() + 4 * stderr, (iwae, elbos.mean(), stderr)


def test_registered():
  assert MODELS.get("gated_vae") is PriorVAE


def test_analytic_kl_matches_monte_carlo():
  model, x = _model(), _data()
  kl = model.loss_terms(x)["kl"].numpy()
  q = model.encode(x)
  z = q.sample(20000, seed=[1, 2])
  mc = (q.log_prob(z) - model.prior_log_prob(z)).numpy().mean(1)     # [S]
  assert abs(mc.mean() - kl) < 4 * mc.std() / math.sqrt(len(mc))


def test_iwae_above_elbo():
  check_iwae_above_elbo(_model(), _data())


def test_sampling_is_seeded_and_has_no_categories():
  model = _model()
  a = model.sample(4, tf.constant([1, 2]))
  b = model.sample(4, tf.constant([1, 2]))
  np.testing.assert_array_equal(a["samples"].numpy(), b["samples"].numpy())
  assert set(model.serving_endpoints()) == {"sample", "reconstruct"}
  with pytest.raises(ValueError):
    model.sample_category(0, 2, tf.constant([1, 2]))
