"""Tests of the Gumbel-softmax Gaussian-mixture VRNN (VRNN report section 5.1)."""
import keras
import numpy as np
import tensorflow as tf

from tfvae.models.recurrent.gmvrnn_gumbel import GumbelMixtureVRNN
from tfvae.training.schedules import VariableSchedule

SMALL = dict(latent_dim=2, latent_components=3, rnn_units=12, phi_x_sizes=(12,),
             phi_z_sizes=(12,), prior_sizes=(12,), encoder_sizes=(12,),
             decoder_sizes=(12,), max_length=6)


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
  return GumbelMixtureVRNN(input_size=3, seed=3, **dict(SMALL, **kwargs))


def test_masked_steps_do_not_change_the_terms():
  x, mask = _data()
  model = _model()
  seed = tf.constant([4, 5])
  garbage = np.where(mask[..., None] > 0, x, 1e3 * np.ones_like(x)).astype(np.float32)
  for relaxed in (True, False):
    with model.latent.relaxed(relaxed):
      a = model.sequence_terms(tf.constant(x), tf.constant(mask), seed)
      b = model.sequence_terms(tf.constant(garbage), tf.constant(mask), seed)
    for name in ("reconstruction", "kl", "log_weight"):
      np.testing.assert_allclose(a[name].numpy(), b[name].numpy(), rtol=1e-5, atol=1e-4)
    for name, value in a["monitor"].items():
      np.testing.assert_allclose(value.numpy(), b["monitor"][name].numpy(), rtol=1e-5,
                                 atol=1e-5, err_msg=name)
  # ... while a change on a valid step does change them.
  changed = x.copy()
  changed[0, 0] += 1.0
  c = model.sequence_terms(tf.constant(changed), tf.constant(mask), seed)
  assert abs(float(c["reconstruction"][0] - a["reconstruction"][0])) > 1e-3


def _negative_bound(model, x, mask):
  """-(reconstruction - KL) per sequence with exact samples and a fixed seed (eager)."""
  terms = model.sequence_terms(tf.constant(x), tf.constant(mask), tf.constant([6, 7]))
  return float(tf.reduce_mean(terms["kl"] - terms["reconstruction"]))


def test_training_steps_decrease_the_loss_and_anneal_the_temperature():
  x, mask = _data(n=32)
  data = {"x": x, "mask": mask}
  model = _model()
  model.compile(optimizer=keras.optimizers.Adam(1e-2), jit_compile=False)
  before = _negative_bound(model, x, mask)
  schedule = VariableSchedule("temperature", "exp_rate", start=1.0, end=0.5, rate=0.05,
                              unit="step")
  history = model.fit(data, batch_size=8, epochs=10, verbose=0, shuffle=False,
                      callbacks=[schedule]).history
  after = _negative_bound(model, x, mask)
  assert np.all(np.isfinite(history["loss"]))
  assert after < before - 1.0, (before, after)
  assert history["loss"][-1] < history["loss"][0]
  # 40 steps: the last one was taken at tau = max(0.5, exp(-0.05 * 39)).
  np.testing.assert_allclose(float(model.temperature.numpy()),
                             max(0.5, np.exp(-0.05 * 39)), rtol=1e-6)
  assert history["temperature"][0] > history["temperature"][-1]


def test_matched_bound_lower_bounds_the_importance_weight():
  """With exact mixture samples E[log p(z|h) - log q(z|x,h)] = -KL >= -D_matched (eq. 3):
  per sequence, mean(log_weight + kl) >= 0 within Monte Carlo error."""
  x, mask = _data(n=4)
  model = _model(latent_components=4)
  reps = 200
  tile = lambda a: np.repeat(a, reps, axis=0)
  terms = model.sequence_terms(tf.constant(tile(x)), tf.constant(tile(mask)),
                               tf.constant([8, 9]))
  gap = (terms["log_weight"] + terms["kl"]).numpy().reshape(4, reps)
  assert np.all(gap.mean(1) >= -4.0 * gap.std(1) / np.sqrt(reps)), gap.mean(1)
  # The matched bound is loose for unmatched random networks: the gap is positive.
  assert np.mean(gap) > 0


def test_generation_and_priming_reproduce_the_prefix():
  x, mask = _data(n=4)
  model = _model()
  out = model.sample(3, tf.constant([1, 2]), length=6)
  assert out["samples"].shape == (3, 6, 3)
  assert np.all(np.isfinite(out["samples"].numpy()))
  given = np.zeros((4, 6), np.float32)
  given[:, :3] = 1.0
  primed = model.prime(x, given, 6, tf.constant([3, 4]))["samples"].numpy()
  np.testing.assert_array_equal(primed[:, :3], x[:, :3])
  again = model.prime(x, given, 6, tf.constant([3, 4]))["samples"].numpy()
  np.testing.assert_array_equal(primed, again)


def test_relaxed_samples_depend_on_the_temperature_and_config_round_trips():
  x, mask = _data(n=4)
  model = _model(sampling="straight_through")
  seed = tf.constant([1, 1])
  with model.latent.relaxed():
    hot = model.sequence_terms(tf.constant(x), tf.constant(mask), seed)["reconstruction"]
    model.temperature.assign(0.5)
    cold = model.sequence_terms(tf.constant(x), tf.constant(mask), seed)["reconstruction"]
  # Straight-through: the forward sample is the hard one at any temperature.
  np.testing.assert_allclose(hot.numpy(), cold.numpy(), rtol=1e-5)
  relaxed = _model()
  with relaxed.latent.relaxed():
    hot = relaxed.sequence_terms(tf.constant(x), tf.constant(mask), seed)["reconstruction"]
    relaxed.temperature.assign(0.5)
    cold = relaxed.sequence_terms(tf.constant(x), tf.constant(mask), seed)["reconstruction"]
  assert np.max(np.abs(hot.numpy() - cold.numpy())) > 1e-4
  config = relaxed.get_config()
  assert config["latent_components"] == 3 and config["sampling"] == "relaxed"
  clone = GumbelMixtureVRNN(**config)
  assert clone.latent.num_components == 3
