"""Tests of the variational Gaussian-mixture VRNN (VRNN report section 5.2, eq. 9-19)."""
import keras
import numpy as np
import tensorflow as tf

from tfvae.models.recurrent.gmvrnn_variational import VariationalMixtureVRNN

SMALL = dict(latent_dim=2, w_dim=2, latent_components=3, rnn_units=12,
             phi_x_sizes=(12,), phi_z_sizes=(12,), prior_sizes=(12,),
             encoder_sizes=(12,), decoder_sizes=(12,), gm_sizes=(12,), max_length=6)


def _data(n=16, t=6, d=3, seed=0):
  """Noisy sinusoids with random phases, and a mask with padded tails."""
  rng = np.random.default_rng(seed)
  phase = rng.uniform(0, 2 * np.pi, size=(n, 1, 1))
  steps = np.arange(t)[None, :, None]
  x = np.sin(0.8 * steps + phase + np.arange(d)) + 0.1 * rng.normal(size=(n, t, d))
  lengths = rng.integers(3, t + 1, size=n)
  mask = (np.arange(t)[None] < lengths[:, None]).astype(np.float32)
  return (x * mask[..., None]).astype(np.float32), mask


def _model(**kwargs):
  return VariationalMixtureVRNN(input_size=3, seed=3, **dict(SMALL, **kwargs))


def _terms(model, x, mask, seed=(4, 5)):
  return model.sequence_terms(tf.constant(x), tf.constant(mask), tf.constant(seed))


def test_masked_steps_do_not_change_the_terms():
  x, mask = _data()
  model = _model(num_samples=2)
  garbage = np.where(mask[..., None] > 0, x, 1e3 * np.ones_like(x)).astype(np.float32)
  a, b = _terms(model, x, mask), _terms(model, garbage, mask)
  for name in ("reconstruction", "reconstruction_first", "kl", "kl_exact",
               "kl_conditional", "kl_w", "kl_v", "log_weight"):
    np.testing.assert_allclose(a[name].numpy(), b[name].numpy(), rtol=1e-5, atol=1e-4,
                               err_msg=name)
  for name, value in a["monitor"].items():
    np.testing.assert_allclose(value.numpy(), b["monitor"][name].numpy(), rtol=1e-5,
                               atol=1e-5, err_msg=name)
  changed = x.copy()
  changed[0, 0] += 1.0
  c = _terms(model, changed, mask)
  assert abs(float(c["reconstruction"][0] - a["reconstruction"][0])) > 1e-3


def test_kl_terms_add_up_and_estimators_agree_in_expectation():
  """kl = conditional + w + v (eq. 19); E[rec_1 + log_weight] = E[rec - kl_exact] (both
  the exact ELBO); for K = 1 eq. 19's KL and the exact KL have the same expectation."""
  x, mask = _data(n=3)
  reps = 300
  tile = lambda a: np.repeat(a, reps, axis=0)

  def paired(a, b):
    diff = (a - b).numpy().reshape(3, reps)
    np.testing.assert_array_less(np.abs(diff.mean(1)),
                                 4.0 * diff.std(1) / np.sqrt(reps) + 1e-4)

  model = _model(num_samples=2)
  t = _terms(model, tile(x), tile(mask))
  np.testing.assert_allclose(t["kl"].numpy(),
                             (t["kl_conditional"] + t["kl_w"] + t["kl_v"]).numpy(),
                             rtol=1e-5, atol=1e-5)
  assert np.all(t["kl_v"].numpy() >= -1e-6) and np.all(t["kl_w"].numpy() >= -1e-6)
  paired(t["reconstruction_first"] + t["log_weight"], t["reconstruction"] - t["kl_exact"])
  single = _model(latent_components=1)
  t1 = _terms(single, tile(x), tile(mask))
  np.testing.assert_allclose(t1["kl_v"].numpy(), 0.0, atol=1e-5)
  paired(t1["kl"], t1["kl_exact"])


def test_m_sample_reconstruction_averages_the_decoder_over_samples():
  x, mask = _data(n=4)
  model = _model(num_samples=4)
  t = _terms(model, x, mask)
  steps = t["step_reconstruction"].numpy()  # [T, B], mean over the 4 samples
  np.testing.assert_allclose(t["reconstruction"].numpy(), (steps * mask.T).sum(0),
                             rtol=1e-5)
  # The first sample alone gives a different (noisier) value.
  assert np.max(np.abs(t["reconstruction"].numpy() - t["reconstruction_first"].numpy())) > 1e-4


def test_training_steps_decrease_the_loss():
  x, mask = _data(n=32)
  model = _model(num_samples=2, loop="while")  # a while loop traces faster
  model.compile(optimizer=keras.optimizers.Adam(1e-2), jit_compile=False)

  def negative_bound():
    t = _terms(model, x, mask, seed=(6, 7))
    return float(tf.reduce_mean(t["kl"] - t["reconstruction"]))

  before = negative_bound()
  history = model.fit({"x": x, "mask": mask}, batch_size=8, epochs=10, verbose=0,
                      shuffle=False).history
  after = negative_bound()
  assert np.all(np.isfinite(history["loss"])) and np.all(np.isfinite(history["elbo"]))
  assert after < before - 1.0, (before, after)
  assert history["loss"][-1] < history["loss"][0]
  for name in ("kl_exact", "kl_conditional", "kl_w", "kl_v", "prior_scale"):
    assert np.all(np.isfinite(history[name])), name


def test_generation_priming_and_importance_weights():
  x, mask = _data(n=4)
  model = _model(num_samples=3)
  out = model.sample(3, tf.constant([1, 2]), length=6)
  assert out["samples"].shape == (3, 6, 3)
  assert np.all(np.isfinite(out["samples"].numpy()))
  given = np.zeros((4, 6), np.float32)
  given[:, :2] = 1.0
  primed = model.prime(x, given, 6, tf.constant([3, 4]))["samples"].numpy()
  np.testing.assert_array_equal(primed[:, :2], x[:, :2])
  weights = model.log_importance_weights({"x": x, "mask": mask}, 5, tf.constant([1, 3]))
  assert weights.shape == (5, 4) and np.all(np.isfinite(weights.numpy()))
  clone = VariationalMixtureVRNN(**model.get_config())
  assert clone.latent.num_samples == 3 and clone.kl_estimator == "eq19"
