"""VRNN: compiled loop vs an eager step-by-step reference, masking, estimators,
generation and the export hooks."""
import os
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.models.recurrent.vrnn import VRNN

tfd = tfp.distributions
T, B = 6, 3


def tiny_vrnn(**kwargs):
  settings = dict(input_size=3, sequence_kind="pen", max_length=T, output="pen_gmm",
                  num_components=2, latent_dim=2, rnn_units=8, phi_x_sizes=(5,),
                  phi_z_sizes=(4,), prior_sizes=(6,), encoder_sizes=(6,),
                  decoder_sizes=(7,), seed=3)
  settings.update(kwargs)
  keras.utils.set_random_seed(0)
  return VRNN(**settings)


def pen_batch(seed=0, lengths=(T, 2, 4)):
  xy = tf.random.stateless_normal([B, T, 2], seed=[seed, 0])
  pen = tf.cast(tf.random.stateless_uniform([B, T], seed=[seed, 1]) < 0.3, tf.float32)
  mask = tf.sequence_mask(lengths, T, dtype=tf.float32)
  return tf.concat([xy, pen[..., None]], -1) * mask[..., None], mask


def eager_reference(model, x, mask, seed):
  """Chung et al.'s step written out with the model's layers, Keras LSTM cells and TFP
  distributions: per-sequence (reconstruction, KL)."""
  cell, latent = model.cell, model.latent
  relu = tf.nn.relu
  soft = lambda r, m: tf.nn.softplus(r) + m
  rnn = cell.rnn
  lstm_cells = []
  for l in range(rnn.num_layers):
    c = keras.layers.LSTMCell(rnn.units)
    c.build((None, cell.phi_x_size + cell.phi_z_size if l == 0 else rnn.units))
    kernel = tf.concat(rnn.input_kernels, 0) if l == 0 else rnn.kernels[l]
    c.set_weights([kernel.numpy(), rnn.recurrent_kernels[l].numpy(), rnn.biases[l].numpy()])
    lstm_cells.append(c)
  eps = latent.noise(tf.constant([T, x.shape[0]]), seed)
  state = [[tf.zeros([x.shape[0], rnn.units])] * 2 for _ in lstm_cells]
  rec, kl = 0.0, 0.0
  for t in range(T):
    h = state[-1][0]
    prior = latent.prior_net.rest(relu(latent.prior_net.first_layers["h"](h)))
    mp, sp = tf.split(prior, 2, -1)
    phx = cell.phi_x(x[:, t])
    enc_first = latent.encoder_net.first_layers
    enc = latent.encoder_net.rest(relu(enc_first["h"](h) + enc_first["x"](phx)))
    mq, sq = tf.split(enc, 2, -1)
    sp, sq = soft(sp, latent.min_scale), soft(sq, latent.min_scale)
    z = mq + sq * eps[t]
    phz = cell.phi_z(z)
    params = cell.output_head(cell.decoder(tf.concat([phz, h], -1)))
    rec += mask[:, t] * cell.output_head.distribution(params).log_prob(x[:, t])
    kl += mask[:, t] * tfd.kl_divergence(tfd.MultivariateNormalDiag(mq, sq),
                                         tfd.MultivariateNormalDiag(mp, sp))
    below = tf.concat([phx, phz], -1)
    for l, c in enumerate(lstm_cells):
      below, new = c(below, state[l])
      state[l] = list(new)
  return rec.numpy(), kl.numpy()


@pytest.mark.parametrize("loop,num_layers", [("unrolled", 1), ("while", 2), ("scan", 1)])
def test_compiled_loop_equals_eager_reference(loop, num_layers):
  model = tiny_vrnn(loop=loop, num_layers=num_layers)
  x, mask = pen_batch()
  seed = tf.constant([5, 6])
  compiled = tf.function(model.sequence_terms)(x, mask, seed)
  rec, kl = eager_reference(model, x, mask, seed)
  np.testing.assert_allclose(compiled["reconstruction"].numpy(), rec, rtol=1e-4, atol=1e-4)
  np.testing.assert_allclose(compiled["kl"].numpy(), kl, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("loop", ["unrolled", "while"])
def test_deferred_weight_gradients_equal_plain_autodiff(loop):
  model = tiny_vrnn(loop=loop)
  x, mask = pen_batch()
  model({"x": x, "mask": mask})

  def gradients(defer):
    model.defer_weight_gradients = defer

    @tf.function
    def run():
      with tf.GradientTape() as tape:
        terms = model.sequence_terms(x, mask, tf.constant([1, 2]))
        loss = -tf.reduce_mean(terms["reconstruction"] - terms["kl"])
      return tape.gradient(loss, model.trainable_variables)
    return run()

  plain, deferred = gradients(False), gradients(True)
  assert model.cell.can_defer_weight_gradients()
  for variable, a, b in zip(model.trainable_variables, plain, deferred):
    assert b is not None, variable.path
    np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-4, atol=1e-5,
                               err_msg=variable.path)


def test_masked_steps_do_not_change_loss_or_metrics():
  model = tiny_vrnn()
  x, mask = pen_batch()
  junk = tf.random.stateless_normal(x.shape, seed=[9, 9]) * 50.0
  x_junk = x * mask[..., None] + junk * (1.0 - mask[..., None])
  model.seed_counter.assign(0)
  clean = model.loss_terms({"x": x, "mask": mask})
  model.seed_counter.assign(0)
  dirty = model.loss_terms({"x": x_junk, "mask": mask})
  for name in model.loss_term_names:
    np.testing.assert_allclose(clean[name].numpy(), dirty[name].numpy(), rtol=1e-6,
                               err_msg=name)
  # ...while a change at a valid step does change it.
  x_changed = tf.tensor_scatter_nd_add(x, [[1, 0, 0]], [3.0])
  model.seed_counter.assign(0)
  assert abs(float(model.loss_terms({"x": x_changed, "mask": mask})["loss"])
             - float(clean["loss"])) > 1e-3


def test_log_weight_is_minus_kl_in_expectation():
  """sum_t (log q - log p - KL_t) is a sum of zero-mean martingale steps."""
  model = tiny_vrnn(output="pen_gaussian", num_components=1)
  x, mask = pen_batch(lengths=(T, T, T))
  s = 400
  tile = lambda a: tf.reshape(tf.repeat(a[None], s, 0), [-1] + a.shape[1:].as_list())
  terms = tf.function(model.sequence_terms)(tile(x), tile(mask), tf.constant([1, 2]))
  diff = (-terms["log_weight"] - terms["kl"]).numpy()
  stderr = diff.std() / np.sqrt(diff.size)
  assert abs(diff.mean()) < 4.0 * stderr, (diff.mean(), stderr)
  weights = model.log_importance_weights({"x": x, "mask": mask}, 16, tf.constant([3, 4]))
  assert weights.shape == (16, B)


def test_kl_weight_and_discount_scale_only_the_loss():
  model = tiny_vrnn(kl_discount=0.1)
  x, mask = pen_batch()
  model.kl_weight.assign(0.5)
  model.seed_counter.assign(0)
  terms = model.loss_terms({"x": x, "mask": mask})
  expected = -(terms["reconstruction"] - 0.05 * terms["kl"])
  np.testing.assert_allclose(terms["loss"].numpy(), expected.numpy(), rtol=1e-6)
  np.testing.assert_allclose(terms["elbo"].numpy(),
                             (terms["reconstruction"] - terms["kl"]).numpy(), rtol=1e-6)
  assert 0.0 <= float(terms["pen_accuracy"]) <= 1.0


def test_primed_generation_reproduces_prefix_and_conditions_on_it():
  model = tiny_vrnn()
  x, _ = pen_batch()
  given = tf.sequence_mask([3, 1, 0], T, dtype=tf.float32)
  prime = tf.function(model.prime)
  out = prime(x, given, 9, tf.constant([1, 1]))
  samples = out["samples"].numpy()
  assert samples.shape == (B, 9, 3)
  keep = given.numpy()[..., None] > 0
  np.testing.assert_array_equal(samples[:, :T][np.broadcast_to(keep, x.shape)],
                                x.numpy()[np.broadcast_to(keep, x.shape)])
  again = prime(x, given, 9, tf.constant([1, 1]))["samples"].numpy()
  np.testing.assert_array_equal(samples, again)
  other = prime(x + 1.0, given, 9, tf.constant([1, 1]))["samples"].numpy()
  assert not np.allclose(other[0, 3:], samples[0, 3:])  # continuation depends on prefix
  np.testing.assert_array_equal(other[2], samples[2])  # unprimed row: same noise, same draw
  assert set(np.unique(samples[..., 2])) <= {0.0, 1.0}


def test_serving_endpoints_export_and_reload_without_tfvae(tmp_path):
  from tfvae.export.sampler import export_sampler
  model = tiny_vrnn()
  x, mask = pen_batch()
  model({"x": x, "mask": mask})
  endpoints = model.serving_endpoints()
  sample_fn, _ = endpoints["sample"]
  first = sample_fn(tf.constant(2), tf.constant(5), tf.constant(7))
  assert first["samples"].shape == (2, 5, 3)
  np.testing.assert_array_equal(first["samples"].numpy(),
                                sample_fn(tf.constant(2), tf.constant(5),
                                          tf.constant(7))["samples"].numpy())
  path = export_sampler(model, str(tmp_path), "vrnn")
  np.save(tmp_path / "prefix.npy", x.numpy())
  np.save(tmp_path / "expected.npy", first["samples"].numpy())
  script = f"""
import numpy as np, tensorflow as tf, sys
assert 'tfvae' not in sys.modules
m = tf.saved_model.load({path!r})
out = m.signatures['sample'](num_samples=tf.constant(2), length=tf.constant(5), seed=tf.constant(7))
np.testing.assert_allclose(out['samples'].numpy(), np.load({str(tmp_path / 'expected.npy')!r}), atol=1e-5)
x = np.load({str(tmp_path / 'prefix.npy')!r})
p = m.signatures['prime'](prefix=tf.constant(x), prefix_mask=tf.ones(x.shape[:2]), length=tf.constant(8), seed=tf.constant(1))
np.testing.assert_array_equal(p['samples'].numpy()[:, :{T}], x)
print('ok')
"""
  env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
  result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=300, cwd=str(tmp_path))
  assert result.stdout.strip().endswith("ok"), result.stderr[-2000:]


def test_write_samples_png(tmp_path):
  model = tiny_vrnn()
  x, mask = pen_batch()
  path = model.write_samples_png(str(tmp_path / "s.png"), seed=1,
                                 data={"x": x, "mask": mask}, num_samples=2)
  image = tf.io.decode_png(tf.io.read_file(path)).numpy()
  assert image.ndim == 3 and image.shape[0] > 4 * 128  # 1 sample + 2 primed + real rows


def test_mixed_bfloat16_loss_close_to_float32_with_the_same_weights():
  x, mask = pen_batch(lengths=(T, T, T))
  reference = tiny_vrnn()
  reference({"x": x, "mask": mask})
  want = tf.function(reference.sequence_terms)(x, mask, tf.constant([2, 2]))
  keras.mixed_precision.set_global_policy("mixed_bfloat16")
  try:
    fast = tiny_vrnn()
    fast({"x": x, "mask": mask})
    fast.set_weights(reference.get_weights())
    got = tf.function(fast.sequence_terms)(x, mask, tf.constant([2, 2]))
  finally:
    keras.mixed_precision.set_global_policy("float32")
  assert got["reconstruction"].dtype == tf.float32
  for name in ("reconstruction", "kl"):
    np.testing.assert_allclose(got[name].numpy(), want[name].numpy(), rtol=0.05, atol=0.3)
