"""LSTM baseline: exact next-step log-likelihood vs Keras LSTM layers, masking, priming."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tfvae.models.recurrent.lstm_baseline import LSTMBaseline

T, B, D = 7, 3, 4


def tiny(**kwargs):
  keras.utils.set_random_seed(1)
  settings = dict(input_size=D, sequence_kind="real", max_length=T, output="gmm",
                  num_components=2, rnn_units=6, num_layers=2, input_sizes=(5,),
                  output_sizes=(5,))
  settings.update(kwargs)
  return LSTMBaseline(**settings)


def batch():
  x = tf.random.stateless_normal([B, T, D], seed=[0, 1])
  mask = tf.sequence_mask([T, 3, 5], T, dtype=tf.float32)
  return x * mask[..., None], mask


@pytest.mark.parametrize("loop", ["unrolled", "while"])
def test_log_likelihood_matches_keras_lstm_layers(loop):
  model = tiny(loop=loop)
  x, mask = batch()
  layers = []
  for l in range(model.rnn.num_layers):
    layer = keras.layers.LSTM(model.rnn.units, return_sequences=True)
    layer.build((None, None, 5 if l == 0 else model.rnn.units))
    kernel = model.rnn.input_kernels[0] if l == 0 else model.rnn.kernels[l]
    layer.set_weights([kernel.numpy(), model.rnn.recurrent_kernels[l].numpy(),
                       model.rnn.biases[l].numpy()])
    layers.append(layer)
  previous = tf.concat([tf.zeros_like(x[:, :1]), x[:, :-1]], 1)
  h = model.input_net(previous)
  for layer in layers:
    h = layer(h)
  params = model.output_head(model.output_net(h))
  reference = tf.reduce_sum(model.output_head.distribution(params).log_prob(x) * mask, 1)
  ours = tf.function(model.log_likelihood)({"x": x, "mask": mask})
  np.testing.assert_allclose(ours.numpy(), reference.numpy(), rtol=1e-5, atol=1e-4)
  terms = model.loss_terms({"x": x, "mask": mask})
  np.testing.assert_allclose(float(terms["elbo"]), float(tf.reduce_mean(reference)), rtol=1e-5)
  assert float(terms["kl"]) == 0.0


def test_padding_is_ignored_and_priming_keeps_the_prefix():
  model = tiny()
  x, mask = batch()
  junk = x + 100.0 * (1.0 - mask[..., None])
  np.testing.assert_allclose(model.log_likelihood((x, mask)).numpy(),
                             model.log_likelihood((junk, mask)).numpy(), rtol=1e-6)
  given = tf.sequence_mask([2, 0, 4], T, dtype=tf.float32)
  out = model.prime(x, given, 10, tf.constant([4, 2]))["samples"].numpy()
  assert out.shape == (B, 10, D)
  keep = np.broadcast_to(given.numpy()[..., None] > 0, x.shape)
  np.testing.assert_array_equal(out[:, :T][keep], x.numpy()[keep])
  weights = model.log_importance_weights({"x": x, "mask": mask}, 3, None)
  np.testing.assert_allclose(weights.numpy()[0], model.log_likelihood((x, mask)).numpy())


def test_a_few_adam_steps_raise_the_likelihood():
  model = tiny(output="gaussian", num_layers=1)
  model.compile(optimizer=keras.optimizers.Adam(1e-2))
  x, mask = batch()
  data = tf.data.Dataset.from_tensors({"x": x, "mask": mask}).repeat(40)
  before = float(tf.reduce_mean(model.log_likelihood((x, mask))))
  model.fit(data, epochs=1, verbose=0)
  assert float(tf.reduce_mean(model.log_likelihood((x, mask)))) > before + 1.0


def test_config_round_trip_rebuilds_the_same_architecture():
  model = tiny(num_layers=3, rnn_units=4)
  clone = LSTMBaseline.from_config(model.get_config())
  assert [v.shape for v in clone.weights] == [v.shape for v in model.weights]
  assert clone.output_kind == "gmm" and clone.rnn.num_layers == 3


def test_cold_samples_do_not_depend_on_the_seed_and_priming_keeps_the_prefix():
  """With no latent variable, a near-zero temperature makes generation the greedy
  recursion: two seeds give the same sequence; a prime still returns its prefix."""
  model = tiny()
  x, mask = batch()
  model(x)
  a = model.sample(2, tf.constant([1, 0]), temperature=1e-8)["samples"].numpy()
  b = model.sample(2, tf.constant([5, 3]), temperature=1e-8)["samples"].numpy()
  np.testing.assert_allclose(a, b, atol=1e-3)
  warm = model.sample(2, tf.constant([5, 3]))["samples"].numpy()
  assert np.abs(warm - a).max() > 1e-2
  given = tf.sequence_mask([2, 3, 4], T, dtype=tf.float32)
  out = model.prime(x, given, T, tf.constant([1, 1]), temperature=0.5)["samples"].numpy()
  keep = given.numpy() > 0
  np.testing.assert_array_equal(out[keep], x.numpy()[keep])
