"""Tests of CG-BPEF-VAE (Sun & Zhang 2017, sec. 3.3) on tiny networks."""
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfvae.data import load_dataset
from tfvae.distributions.coarse_grained import category_kl
from tfvae.models import build_model
from tfvae.models.exponential_family.cg_bpef_vae import CGBPEFVAE
from tfvae.training.schedules import VariableSchedule


@pytest.fixture(scope="module")
def mnist():
  splits = load_dataset({"name": "binarized_mnist"})
  return splits.train[:600].astype(np.float32), splits


def tiny(**kw):
  settings = dict(input_size=784, latent_dim=4, order=3, grid_points=21,
                  hidden_sizes=(32,), temperature=0.5, seed=3)
  settings.update(kw)
  return CGBPEFVAE(**settings)


def test_registered_and_built_from_config(mnist):
  _, splits = mnist
  model = build_model({"name": "cg_bpef_vae", "latent_dim": 2, "order": 3,
                       "grid_points": 11, "hidden_sizes": (8,)}, splits, seed=1)
  assert isinstance(model, CGBPEFVAE) and model.input_size == 784
  clone = CGBPEFVAE.from_config(model.get_config())
  assert clone.get_config() == model.get_config()


def test_kl_is_eq4_against_the_learned_prior(mnist):
  x, _ = mnist
  model = tiny()
  model(x[:8])
  model.prior_coefficients.assign(tf.random.stateless_normal([4, 3], seed=[1, 1]))
  beta = model.encode(x[:8])
  assert beta.shape == (8, 4, 21)
  expected = tf.reduce_sum(category_kl(beta, model.prior_logits), -1)
  np.testing.assert_allclose(model.kl_divergence(beta).numpy(), expected.numpy(), rtol=1e-6)
  # alpha_jr = sum_m a_jm zeta_r^m
  zeta = model.grid.zeta.numpy()
  a = model.prior_coefficients.numpy()
  alpha = sum(a[:, m - 1:m] * zeta[None, :] ** m for m in range(1, 4))
  np.testing.assert_allclose(model.prior_logits.numpy(), alpha, rtol=1e-5, atol=1e-5)
  terms = model.loss_terms(x[:8])
  np.testing.assert_allclose(terms["relaxed_elbo"], terms["reconstruction"] - terms["kl"], rtol=1e-6)


def test_latents_lie_in_unit_interval(mnist):
  x, _ = mnist
  model = tiny(temperature=0.3)
  model(x[:8])
  model.prior_coefficients.assign(5.0 * tf.ones([4, 3]))
  z = model.sample(64, tf.constant([1, 2]))["z"].numpy()
  codes = model.posterior_codes(x[:64], tf.constant([3, 4])).numpy()
  for values in (z, codes):
    assert values.min() >= -1 - 1e-6 and values.max() <= 1 + 1e-6


def test_l_samples_reduce_the_variance_of_term2(mnist):
  x, _ = mnist
  model = tiny()
  model(x[:8])

  def spread(num_samples):
    term2 = tf.function(lambda seed: tf.reduce_mean(
        model.per_example_terms(x[:8], seed, num_samples)[0]))
    values = [term2(tf.constant([s, 0])).numpy() for s in range(40)]
    return np.var(values, ddof=1)

  # var(L=10) ~ var(L=1) / 10; with 40 draws the F-ratio is far above 3.
  assert spread(1) > 3.0 * spread(10)


def test_importance_weights_respect_theorem_1(mnist):
  """E_q[log q(y) - log p(y)] (Concrete KL) >= eq. 4 (category KL), theorem 1 (2)."""
  x, _ = mnist
  model = tiny(temperature=0.5, iwae_latent="concrete")
  model(x[:4])
  model.prior_coefficients.assign([[1.0, -2.0, 0.5]] * 4)
  beta = model.encode(x[:4])
  _, log_ratio = model.importance_sample(beta, 2000, tf.constant([9, 9]))
  kl_y = -log_ratio.numpy()  # [S, B]
  kl_cat = model.kl_divergence(beta).numpy()
  se = kl_y.std(0) / np.sqrt(kl_y.shape[0])
  assert np.all(kl_y.mean(0) > kl_cat - 3 * se), (kl_y.mean(0), kl_cat)
  # IWAE bound increases with k (in expectation; checked on averages over examples).
  w = model.log_importance_weights(x[:16], 64, tf.constant([1, 5])).numpy()
  k1 = w.mean()
  k64 = np.mean(np.log(np.mean(np.exp(w - w.max(0)), 0)) + w.max(0))
  assert k64 > k1


def test_loss_falls_on_real_data_and_prior_is_learned(mnist):
  x, _ = mnist
  keras.utils.set_random_seed(0)
  model = tiny(num_latent_samples=2)
  model.compile(optimizer=keras.optimizers.Adam(1e-3), jit_compile=False)
  history = model.fit(x, batch_size=50, epochs=4, verbose=0, shuffle=False)
  losses = history.history["loss"]
  assert losses[-1] < losses[0] - 20, losses
  assert "prior_coefficients" in [v.name.split("/")[-1].split(":")[0]
                                  for v in model.trainable_variables]
  assert np.any(np.abs(model.prior_coefficients.numpy()) > 1e-4)


def test_temperature_is_a_scheduled_non_trainable_variable(mnist):
  x, _ = mnist
  model = tiny(temperature=1.0)
  assert "temperature" not in [v.path for v in model.trainable_variables]
  model.compile(optimizer=keras.optimizers.Adam(1e-3))
  # Paper: exponential decay T_max -> T_min over the first half, then constant.
  schedule = VariableSchedule("temperature", "exponential", start=1.0, end=0.5,
                              duration=6, unit="step")
  seen = []
  record = keras.callbacks.LambdaCallback(
      on_train_batch_end=lambda b, logs: seen.append(float(model.temperature.numpy())))
  model.fit(x[:600], batch_size=50, epochs=1, verbose=0, callbacks=[schedule, record])
  expected = [1.0 * 0.5 ** min(t / 6, 1.0) for t in range(12)]
  np.testing.assert_allclose(seen, expected, rtol=1e-6)


def test_exported_sampler_is_deterministic_and_reloads(mnist, tmp_path):
  x, _ = mnist
  model = tiny()
  model(x[:2])
  archive = keras.export.ExportArchive()
  archive.track(model)
  for name, (fn, signature) in model.serving_endpoints().items():
    archive.add_endpoint(name, fn, signature)
  path = os.path.join(str(tmp_path), "sampler")
  archive.write_out(path, verbose=False)
  loaded = tf.saved_model.load(path)
  a = loaded.sample(num_samples=tf.constant(5), seed=tf.constant(7))
  b = loaded.sample(num_samples=tf.constant(5), seed=tf.constant(7))
  c = loaded.sample(num_samples=tf.constant(5), seed=tf.constant(8))
  np.testing.assert_array_equal(a["samples"].numpy(), b["samples"].numpy())
  assert not np.array_equal(a["z"].numpy(), c["z"].numpy())
  assert a["probs"].shape == (5, 784) and a["z"].shape == (5, 4)
  direct = model.sample(5, tf.constant([7, 0]))
  np.testing.assert_allclose(a["probs"].numpy(), direct["probs"].numpy(), atol=1e-5)


def test_discrete_iwae_matches_exact_enumeration(mnist):
  """The default IWAE bounds log p(x) of the coarse-grained model: check it by summing
  over all R^d grid configurations of a tiny model (d = 2, R = 5)."""
  x, _ = mnist
  model = tiny(latent_dim=2, grid_points=5, order=2)
  model(x[:3])
  model.prior_coefficients.assign([[0.5, 1.0], [-0.5, -1.0]])
  zeta = model.grid.zeta.numpy()
  r1, r2 = np.meshgrid(np.arange(5), np.arange(5), indexing="ij")
  z = np.stack([zeta[r1.ravel()], zeta[r2.ravel()]], -1).astype(np.float32)  # [25, 2]
  log_prior = tf.nn.log_softmax(model.prior_logits).numpy()
  log_pz = log_prior[0, r1.ravel()] + log_prior[1, r2.ravel()]
  log_px_z = model.decode(z[:, None, :]).log_prob(x[:3]).numpy()  # [25, 3]
  joint = log_px_z + log_pz[:, None]
  exact = np.log(np.sum(np.exp(joint - joint.max(0)), 0)) + joint.max(0)
  w = model.log_importance_weights(x[:3], 20000, tf.constant([4, 2])).numpy()  # [S, B]
  top = w.max(0)
  iwae = np.log(np.mean(np.exp(w - top), 0)) + top
  np.testing.assert_allclose(iwae, exact, atol=0.05)
  # k = 1: E[log w] = E_q[log p(x|z)] - KL_cat (eq. 4) <= log p(x).
  beta = model.encode(x[:3])
  _, log_ratio = model.importance_sample(beta, 20000, tf.constant([5, 5]))
  kl = -log_ratio.numpy()
  se = kl.std(0) / np.sqrt(len(kl))
  assert np.all(np.abs(kl.mean(0) - model.kl_divergence(beta).numpy()) < 4.5 * se + 1e-4)
  assert np.all(w.mean(0) < exact)
