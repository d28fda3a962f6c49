"""CP-VAE: the bound's terms (eq. 7-9), importance weights, q(c) (eq. 14), generation, export."""
import math

import keras
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.models.learned_priors.cp_vae import AggregatedPosteriorCallback, CPVAE
from tfvae.registry import MODELS

tfd = tfp.distributions
K, D, X = 3, 2, 12


def _model(**kwargs):
  keras.utils.set_random_seed(0)
  settings = dict(input_size=X, num_categories=K, latent_dim=D, hidden_sizes=(8,), seed=1)
  settings.update(kwargs)
  return CPVAE(**settings)


def _data(n=16, seed=0):
  return tf.cast(tf.random.stateless_uniform([n, X], seed=[seed, 1]) < 0.4, tf.float32)


def test_registered():
  assert MODELS.get("cp_vae") is CPVAE


def test_terms_follow_eq_7_to_9():
  model, x = _model(), _data()
  terms = {k: v.numpy() for k, v in model.loss_terms(x, training=True).items()}
  logits, q_z = model.encode_all(x)
  q_c = tfd.Categorical(logits=logits)
  # B1 = log K - H(q(c|x))  (eq. 9)
  np.testing.assert_allclose(terms["kl_categorical"],
                             math.log(K) - q_c.entropy().numpy().mean(), rtol=1e-5)
  # B2 = sum_k pi_k KL(q(z|x) || p(z|c_k)) with TFP's KL for each component
  loc, scale = model.prior.loc_and_scale()
  kls = tfd.kl_divergence(
      tfd.MultivariateNormalDiag(q_z.mean()[:, None], q_z.stddev()[:, None]),
      tfd.MultivariateNormalDiag(loc[None], scale[None])).numpy()
  np.testing.assert_allclose(terms["kl_continuous"],
                             (q_c.probs_parameter().numpy() * kls).sum(-1).mean(), rtol=1e-4)
  np.testing.assert_allclose(terms["kl"], terms["kl_categorical"] + terms["kl_continuous"],
                             rtol=1e-6)
  np.testing.assert_allclose(terms["elbo"], terms["reconstruction"] - terms["kl"], rtol=1e-6)
  np.testing.assert_allclose(terms["loss"], -terms["elbo"], rtol=1e-6)
  model.kl_weight.assign(0.25)
  t = {k: v.numpy() for k, v in model.loss_terms(x, training=True).items()}
  np.testing.assert_allclose(t["loss"], -(t["reconstruction"] - 0.25 * t["kl"]), rtol=1e-5)


def test_warm_up_of_b2_only():
  model, x = _model(warm_up_categorical_kl=False), _data()
  model.kl_weight.assign(0.1)
  t = {k: v.numpy() for k, v in model.loss_terms(x, training=True).items()}
  np.testing.assert_allclose(
      t["loss"], -(t["reconstruction"] - t["kl_categorical"] - 0.1 * t["kl_continuous"]),
      rtol=1e-5)


def test_relaxed_c_in_training_and_hard_c_in_evaluation():
  model, x = _model(temperature=0.7), _data(4)
  logits, _ = model.encode_all(x)
  soft = model.sample_c(logits, tf.constant([1, 2]), training=True).numpy()
  hard = model.sample_c(logits, tf.constant([1, 2]), training=False).numpy()
  np.testing.assert_allclose(soft.sum(-1), 1.0, rtol=1e-5)
  assert np.all((soft > 0) & (soft < 1))
  assert set(np.unique(hard)) <= {0.0, 1.0} and np.all(hard.sum(-1) == 1)
  assert model.temperature.name == "temperature" and not model.temperature.trainable
  model.temperature.assign(0.01)   # near zero the relaxed sample is almost one-hot
  soft = np.stack([model.sample_c(logits, tf.constant([1, i]), training=True).numpy()
                   for i in range(50)])
  assert np.mean(soft.max(-1) > 0.99) > 0.9


def test_straight_through_c_is_hard_forward_and_relaxed_backward():
  model, x = _model(temperature=0.7, straight_through=True), _data(4)
  relaxed_model = _model(temperature=0.7)
  logits, _ = model.encode_all(x)
  seed = tf.constant([1, 2])
  relaxed = relaxed_model.sample_c(logits, seed, training=True)
  with tf.GradientTape(persistent=True) as tape:
    tape.watch(logits)
    hard = model.sample_c(logits, seed, training=True)
    soft = relaxed_model.sample_c(logits, seed, training=True)
    weights = tf.constant([[1.0, -2.0, 3.0]])
    hard_out, soft_out = tf.reduce_sum(hard * weights), tf.reduce_sum(soft * weights)
  hard = hard.numpy()
  assert set(np.unique(hard)) <= {0.0, 1.0} and np.all(hard.sum(-1) == 1)
  # the hard draw is the argmax of the same relaxed sample
  np.testing.assert_array_equal(hard.argmax(-1), relaxed.numpy().argmax(-1))
  np.testing.assert_allclose(tape.gradient(hard_out, logits).numpy(),
                             tape.gradient(soft_out, logits).numpy(), rtol=1e-5)


def test_decoder_without_c_ignores_the_category():
  model = _model(decoder_uses_c=False)
  z = tf.random.stateless_normal([5, D], seed=[3, 4])
  one_hot = tf.one_hot([0, 1, 2, 0, 1], K)
  x = _data(5)
  a = model.decode(z, one_hot).log_prob(x).numpy()
  b = model.decode(z, tf.roll(one_hot, 1, axis=1)).log_prob(x).numpy()
  np.testing.assert_array_equal(a, b)
  with_c = _model()
  assert not np.allclose(with_c.decode(z, one_hot).log_prob(x).numpy(),
                         with_c.decode(z, tf.roll(one_hot, 1, axis=1)).log_prob(x).numpy())


def test_importance_weights_consistent_with_elbo_and_iwae_above_it():
  """Mean of log w (k = 1) estimates the bound computed with analytic KLs; IWAE-64 > bound."""
  model, x = _model(), _data(8)
  elbo = np.mean([model.loss_terms(x, training=False)["elbo"].numpy() for _ in range(200)])
  log_w = model.log_importance_weights(x, 4000, tf.constant([3, 4])).numpy()   # [S, B]
  per_sample = log_w.mean(axis=1)
  stderr = per_sample.std() / math.sqrt(len(per_sample))
  assert abs(per_sample.mean() - elbo) < 4 * stderr + 0.05, (per_sample.mean(), elbo, stderr)
  iwae = tf.reduce_mean(tf.reduce_logsumexp(log_w[:64], 0) - math.log(64)).numpy()
  assert iwae > elbo + 4 * stderr, (iwae, elbo)


def test_aggregated_posterior_is_data_average_and_sums_to_one():
  model, x = _model(), _data(50, seed=3)
  assert np.allclose(model.aggregated_posterior.numpy(), 1.0 / K)
  q_c = model.update_aggregated_posterior(x.numpy(), batch_size=7)
  np.testing.assert_allclose(q_c.sum(), 1.0, rtol=1e-5)
  np.testing.assert_allclose(q_c, model.category_probs(x).numpy().mean(0), rtol=1e-5)
  np.testing.assert_allclose(model.aggregated_posterior.numpy(), q_c)
  # a dataset of (x, label) batches gives the same answer
  ds = tf.data.Dataset.from_tensor_slices((x, tf.zeros([50]))).batch(16)
  np.testing.assert_allclose(model.update_aggregated_posterior(ds), q_c, rtol=1e-5)


def test_callback_sets_aggregated_posterior_at_train_end():
  model, x = _model(), _data(40, seed=4)
  model.compile(optimizer=keras.optimizers.Adam(1e-2))
  model.fit(x, batch_size=20, epochs=1, verbose=0,
            callbacks=[AggregatedPosteriorCallback(x.numpy(), every_epoch=False)])
  np.testing.assert_allclose(model.aggregated_posterior.numpy(),
                             model.category_probs(x).numpy().mean(0), rtol=1e-5)


def test_callback_without_data_uses_the_epoch_running_average():
  """The trainer's no-argument hook: q(c) = mean of q(c|x) over the epoch's batches."""
  model, x = _model(), _data(40, seed=5)
  (callback,) = model.training_callbacks()
  model.compile(optimizer=keras.optimizers.Adam(0.0))   # frozen: q(c|x) stays fixed
  model.fit(x, batch_size=10, epochs=2, verbose=0, shuffle=False, callbacks=[callback])
  expected = model.category_probs(x).numpy().mean(0)
  np.testing.assert_allclose(model.aggregated_posterior.numpy(), expected, rtol=1e-5)
  assert model.category_prob_count.numpy() == 0     # reset after the epoch


def test_all_parameters_get_gradients_and_xla_traces():
  model, x = _model(), _data()
  with tf.GradientTape() as tape:
    loss = model.loss_terms(x, training=True)["loss"]
  grads = tape.gradient(loss, model.trainable_variables)
  missing = [v.path for v, g in zip(model.trainable_variables, grads) if g is None]
  assert not missing
  names = {v.path.split("/")[-1] for v in model.trainable_variables}
  assert {"loc", "raw_scale"} <= names   # the conditional priors are learned
  step = tf.function(lambda x: model.loss_terms(x, training=True), jit_compile=True)
  assert np.isfinite(step(x)["loss"].numpy())


def test_generation_uses_aggregated_or_uniform_prior_and_categories():
  model = _model()
  model.aggregated_posterior.assign([0.0, 1.0, 0.0])
  out = model.sample(50, tf.constant([1, 2]))
  assert out["probs"].shape == (50, X) and np.all(out["categories"].numpy() == 1)
  uniform = _model(generation_prior="uniform")
  uniform.aggregated_posterior.assign([0.0, 1.0, 0.0])
  counts = np.bincount(uniform.sample(600, tf.constant([1, 2]))["categories"].numpy(),
                       minlength=K)
  assert np.all(counts > 150), counts
  out = model.sample_category(2, 5, tf.constant([3, 4]))
  assert np.all(out["categories"].numpy() == 2)
  assert set(np.unique(out["samples"].numpy())) <= {0.0, 1.0}
  with pytest.raises(ValueError):
    _model(generation_prior="posterior")


def test_serving_endpoints_are_deterministic_and_checked():
  model = _model()
  endpoints = model.serving_endpoints()
  assert set(endpoints) == {"sample", "sample_category", "reconstruct"}
  fn, signature = endpoints["sample_category"]
  assert [s.dtype for s in signature] == [tf.int32] * 3
  a = fn(tf.constant(1), tf.constant(6), tf.constant(9))
  b = fn(tf.constant(1), tf.constant(6), tf.constant(9))
  np.testing.assert_array_equal(a["samples"].numpy(), b["samples"].numpy())
  assert np.all(a["categories"].numpy() == 1)
  with pytest.raises(tf.errors.InvalidArgumentError):
    fn(tf.constant(K), tf.constant(2), tf.constant(0))
  with pytest.raises(tf.errors.InvalidArgumentError):
    endpoints["sample"][0](tf.constant(-1), tf.constant(0))
  assert endpoints["reconstruct"][0](_data(3))["probs"].shape == (3, X)


def test_the_reference_codes_fixed_random_prior():
  """prior_init="reference_uniform": means in [0, 1), variances exp(2 log(1 + e^{u/2}))
  in [4, 7); with prior_trainable=False a training step leaves them where they started."""
  model = _model(prior_init="reference_uniform", prior_trainable=False)
  model.compile(optimizer=keras.optimizers.Adam(0.1))
  x = _data(32)
  model(x)
  loc, scale = (v.numpy() for v in model.prior.loc_and_scale())
  assert loc.min() >= 0.0 and loc.max() < 1.0 and loc.std() > 0.1
  assert 4.0 - 1e-3 <= (scale**2).min() and (scale**2).max() < 7.0 + 1e-3
  assert not any(v is model.prior.loc or v is model.prior.raw_scale
                 for v in model.trainable_variables)
  model.fit(x, epochs=1, batch_size=8, verbose=0)
  np.testing.assert_array_equal(model.prior.loc_and_scale()[0].numpy(), loc)
  trained = _model()  # the default prior is trained
  trained.compile(optimizer=keras.optimizers.Adam(0.1))
  trained(x)
  start = trained.prior.loc.numpy().copy()
  trained.fit(x, epochs=1, batch_size=8, verbose=0)
  assert np.abs(trained.prior.loc.numpy() - start).max() > 1e-3


def test_an_unknown_prior_init_is_refused():
  with pytest.raises(ValueError, match="prior init must be one of"):
    _model(prior_init="uniform")
