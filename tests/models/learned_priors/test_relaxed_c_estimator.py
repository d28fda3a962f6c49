"""The relaxed-c test estimator of the CP-VAE authors' code, beside our hard-c bound."""
import numpy as np
import tensorflow as tf

from tests.models.learned_priors.test_cp_vae import _data, _model
from tfvae.models.learned_priors.relaxed_c_estimator import relaxed_c_elbo


def test_hard_c_is_the_bound_of_the_model():
  """temperature=None draws the same z and c as ``per_example_terms`` (training=False)."""
  model = _model()
  x = _data()
  seed = tf.constant([3, 4])
  reconstruction, b1, b2, _, _ = model.per_example_terms(x, seed, training=False)
  np.testing.assert_allclose(relaxed_c_elbo(model, x, seed).numpy(),
                             (reconstruction - b1 - b2).numpy(), rtol=1e-6, atol=1e-5)


def test_cold_relaxed_c_has_the_hard_mean():
  """As tau -> 0 the relaxed c becomes a one-hot draw of q(c|x): the same expectation
  (within Monte Carlo error)."""
  model = _model()
  x = tf.repeat(_data(4), 500, axis=0)

  def mean_and_error(temperature, seed):
    values = relaxed_c_elbo(model, x, tf.constant([seed, 0]), temperature).numpy()
    return values.mean(), values.std() / np.sqrt(values.size)

  hard, hard_err = mean_and_error(None, 1)
  cold, cold_err = mean_and_error(1e-3, 2)
  assert abs(cold - hard) < 4 * np.hypot(hard_err, cold_err), (cold, hard)


def test_the_decoder_gets_a_relaxed_c_at_a_temperature(monkeypatch):
  model = _model()
  seen = []
  decode = model.decode
  monkeypatch.setattr(model, "decode", lambda z, c: seen.append(c.numpy()) or decode(z, c))
  x = _data(64)
  relaxed_c_elbo(model, x, tf.constant([5, 6]), temperature=5.0)
  relaxed_c_elbo(model, x, tf.constant([5, 6]))
  warm, hard = seen
  np.testing.assert_allclose(warm.sum(-1), 1.0, rtol=1e-5)
  assert warm.max(-1).mean() < 0.9  # blends of categories
  np.testing.assert_array_equal(np.sort(hard, -1)[:, -1], 1.0)  # one-hot rows
