"""VAE with a learned mixture-of-Gaussians prior (the "MG" baseline)."""
import keras
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.models.learned_priors.mog_prior_vae import MoGPriorVAE
from tfvae.registry import MODELS
from tests.models.learned_priors.test_prior_vae import check_iwae_above_elbo

tfd = tfp.distributions
X, K = 12, 4


def _model():
  keras.utils.set_random_seed(0)
  return MoGPriorVAE(input_size=X, num_components=K, latent_dim=3, hidden_sizes=(8,), seed=2)


def _data(n=8):
  return tf.cast(tf.random.stateless_uniform([n, X], seed=[0, 1]) < 0.4, tf.float32)


def test_registered():
  assert MODELS.get("mog_prior_vae") is MoGPriorVAE


def test_prior_is_equal_weight_mixture():
  model = _model()
  z = tf.random.stateless_normal([6, 3], seed=[1, 2]) * 2
  loc, scale = model.prior.loc_and_scale()
  explicit = tfd.MixtureSameFamily(tfd.Categorical(logits=tf.zeros([K])),
                                   tfd.MultivariateNormalDiag(loc, scale))
  np.testing.assert_allclose(model.prior_log_prob(z).numpy(), explicit.log_prob(z).numpy(),
                             rtol=1e-4, atol=1e-4)


def test_kl_is_single_sample_log_ratio_and_prior_learns():
  model, x = _model(), _data()
  with tf.GradientTape() as tape:
    loss = model.loss_terms(x, training=True)["loss"]
  grads = tape.gradient(loss, [model.prior.loc, model.prior.raw_scale])
  assert all(g is not None and np.any(g.numpy() != 0) for g in grads)


def test_iwae_above_elbo():
  check_iwae_above_elbo(_model(), _data())


def test_components_and_clusters():
  model, x = _model(), _data()
  probs = model.category_probs(x).numpy()
  np.testing.assert_allclose(probs.sum(-1), 1.0, rtol=1e-5)
  out = model.sample_category(3, 5, tf.constant([1, 2]))
  assert out["probs"].shape == (5, X) and np.all(out["categories"].numpy() == 3)
  assert "sample_category" in model.serving_endpoints()
