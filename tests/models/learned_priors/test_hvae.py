"""Two-level HVAE with standard prior and with VampPrior on z2 (HVAE / HVP)."""
import keras
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.models.learned_priors.hvae import HierarchicalVampPriorVAE, HierarchicalVAE
from tfvae.registry import MODELS
from tests.models.learned_priors.test_prior_vae import check_iwae_above_elbo

tfd = tfp.distributions
X, K = 12, 4


def _model(cls=HierarchicalVAE, **kwargs):
  keras.utils.set_random_seed(0)
  return cls(input_size=X, latent_dim=3, top_latent_dim=2, hidden_sizes=(8, 8),
             num_pseudo_inputs=K, seed=2, **kwargs)


def _data(n=8):
  return tf.cast(tf.random.stateless_uniform([n, X], seed=[0, 1]) < 0.4, tf.float32)


def test_registered():
  assert MODELS.get("hvae") is HierarchicalVAE
  assert MODELS.get("hvae_vamp_prior") is HierarchicalVampPriorVAE
  with pytest.raises(ValueError):
    _model(prior="gamma")


@pytest.mark.parametrize("cls", [HierarchicalVAE, HierarchicalVampPriorVAE])
def test_terms_and_gradients(cls):
  model, x = _model(cls), _data()
  with tf.GradientTape() as tape:
    terms = model.loss_terms(x, training=True)
  t = {k: v.numpy() for k, v in terms.items()}
  np.testing.assert_allclose(t["kl"], t["kl_z1"] + t["kl_z2"], rtol=1e-5)
  np.testing.assert_allclose(t["elbo"], t["reconstruction"] - t["kl"], rtol=1e-5)
  grads = tape.gradient(terms["loss"], model.trainable_variables)
  assert not [v.path for v, g in zip(model.trainable_variables, grads) if g is None]


def test_vamp_prior_on_top_layer_matches_explicit_mixture():
  model = _model(HierarchicalVampPriorVAE)
  q_u = model.encode_z2(model.pseudo_inputs.values())
  explicit = tfd.MixtureSameFamily(tfd.Categorical(logits=tf.zeros([K])),
                                   tfd.MultivariateNormalDiag(q_u.mean(), q_u.stddev()))
  z2 = tf.random.stateless_normal([5, 2], seed=[1, 2])
  np.testing.assert_allclose(model.prior_z2_log_prob(z2).numpy(),
                             explicit.log_prob(z2).numpy(), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("cls", [HierarchicalVAE, HierarchicalVampPriorVAE])
def test_iwae_above_elbo(cls):
  check_iwae_above_elbo(_model(cls), _data(), calls=60)


def test_generation():
  plain, hvp = _model(), _model(HierarchicalVampPriorVAE)
  assert plain.sample(3, tf.constant([1, 2]))["probs"].shape == (3, X)
  assert "sample_category" not in plain.serving_endpoints()
  out = hvp.sample_category(1, 4, tf.constant([1, 2]))
  assert np.all(out["categories"].numpy() == 1) and out["samples"].shape == (4, X)
  assert hvp.reconstruct(_data(2)).shape == (2, X)
