"""VampPrior VAE: prior log-density vs an explicit mixture of encoded pseudo-inputs."""
import keras
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.models.learned_priors.vamp_prior import VampPriorVAE
from tfvae.registry import MODELS
from tests.models.learned_priors.test_prior_vae import check_iwae_above_elbo

tfd = tfp.distributions
X, K = 12, 5


def _model(**kwargs):
  keras.utils.set_random_seed(0)
  return VampPriorVAE(input_size=X, num_pseudo_inputs=K, latent_dim=3, hidden_sizes=(8,),
                      seed=2, **kwargs)


def _data(n=8):
  return tf.cast(tf.random.stateless_uniform([n, X], seed=[0, 1]) < 0.4, tf.float32)


def test_registered():
  assert MODELS.get("vamp_prior_vae") is VampPriorVAE


def test_log_density_matches_explicit_mixture():
  model = _model(pseudo_inputs_stddev=0.3)
  u = model.pseudo_inputs.values()
  assert np.all((u.numpy() >= 0) & (u.numpy() <= 1))
  q_u = model.encode(u)
  explicit = tfd.MixtureSameFamily(
      tfd.Categorical(probs=tf.fill([K], 1.0 / K)),
      tfd.MultivariateNormalDiag(q_u.mean(), q_u.stddev()))
  z = tf.random.stateless_normal([3, 7, 3], seed=[1, 2])
  np.testing.assert_allclose(model.prior_log_prob(z).numpy(), explicit.log_prob(z).numpy(),
                             rtol=1e-4, atol=1e-4)
  # and by brute force: log (1/K) sum_k exp(log q(z | u_k))
  loc, scale = q_u.mean().numpy(), q_u.stddev().numpy()
  per_k = np.stack([tfd.MultivariateNormalDiag(loc[k], scale[k]).log_prob(z).numpy()
                    for k in range(K)])
  brute = np.log(np.mean(np.exp(per_k.astype(np.float64)), axis=0))
  np.testing.assert_allclose(model.prior_log_prob(z).numpy(), brute, rtol=1e-4, atol=1e-4)


def test_pseudo_inputs_are_trained():
  model, x = _model(), _data()
  with tf.GradientTape() as tape:
    loss = model.loss_terms(x, training=True)["loss"]
  grad = tape.gradient(loss, model.pseudo_inputs.raw)
  assert grad is not None and np.any(grad.numpy() != 0)


def test_iwae_above_elbo():
  check_iwae_above_elbo(_model(), _data())


def test_sampling_from_pseudo_input_components():
  model = _model()
  out = model.sample(6, tf.constant([1, 2]))
  assert out["samples"].shape == (6, X) and out["categories"].shape == (6,)
  np.testing.assert_allclose(model.category_probs(_data()).numpy().sum(-1), 1.0, rtol=1e-5)
  fn, _ = model.serving_endpoints()["sample_category"]
  assert np.all(fn(tf.constant(2), tf.constant(3), tf.constant(1))["categories"].numpy() == 2)
