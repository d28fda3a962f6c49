"""LSTM sequence VAE (flows paper, section 4.1): likelihood by hand, generation loop,
masking, importance weights, reconstruction of a tiny set, every posterior family."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tfvae.data import architectures as arch
from tfvae.models.vae.posteriors import POSTERIORS
from tfvae.models.vae.sequence_vae import SequenceVAE

NUM_TYPES = len(arch.LAYER_TYPES)


def _tiny_model(**kwargs):
  settings = dict(num_types=NUM_TYPES, max_length=8, type_names=arch.LAYER_TYPES,
                  latent_dim=3, encoder_units=8, decoder_units=6, decoder_hidden_sizes=(8,),
                  seed=0)
  settings.update(kwargs)
  return SequenceVAE(**settings)


def _sequences(num, max_length, seed=0):
  rng = np.random.default_rng(seed)
  out = [arch.windows(*arch.tokens_to_arrays(arch.random_architecture(rng)), max_length,
                      max_length) for _ in range(num)]
  # one window per architecture: its last (shorter, padded, ends with <end>) one.
  return np.stack([w[-1] for w in out])


def _sigmoid(a):
  return 1.0 / (1.0 + np.exp(-a))


def _log_normal(x, loc, scale):
  return -0.5 * ((x - loc) / scale) ** 2 - np.log(scale) - 0.5 * np.log(2 * np.pi)


@pytest.mark.parametrize("feature_likelihood", ["sigmoid", "relu", "gaussian"])
def test_teacher_forced_log_likelihood_equals_hand_computation(feature_likelihood):
  types, chans = arch.tokens_to_arrays([("Input", 3), ("Conv2D", 32), ("ReLU", 32),
                                        ("<end>", 0)])
  x = arch.windows(types, chans, 6, 6)  # [1, 6, D]: 4 real steps, 2 padded
  x = np.concatenate([x, _sequences(1, 6, seed=4)])
  model = _tiny_model(max_length=6, decoder_hidden_sizes=(),
                      feature_likelihood=feature_likelihood, feature_stddev=0.2)
  model.loss_terms(x)  # builds every layer
  z = np.random.default_rng(1).normal(size=(2, 3)).astype(np.float32)
  got = model.decoder_log_prob(tf.constant(x), tf.constant(z)).numpy()

  w, b = [v.numpy() for v in model.decoder_mlp.layers[-1].weights]
  cell = model.decoder_lstm.cell
  kernel, recurrent, bias = (cell.kernel.numpy(), cell.recurrent_kernel.numpy(),
                             cell.bias.numpy())
  head_w, head_b = model.output_head.kernel.numpy(), model.output_head.bias.numpy()
  d, units = NUM_TYPES + 1, 6
  for n in range(2):
    start = z[n] @ w + b
    inp, h, c = start[:d], start[d:d + units], start[d + units:]
    total = 0.0
    for t in range(6):
      gates = inp @ kernel + h @ recurrent + bias  # Keras order: i, f, c, o
      i, f = _sigmoid(gates[:units]), _sigmoid(gates[units:2 * units])
      g, o = np.tanh(gates[2 * units:3 * units]), _sigmoid(gates[3 * units:])
      c = f * c + i * g
      h = o * np.tanh(c)
      params = h @ head_w + head_b
      logits, a = params[:NUM_TYPES], params[NUM_TYPES]
      if x[n, t, :NUM_TYPES].any():  # masked: padded steps add nothing
        log_softmax = logits - np.log(np.sum(np.exp(logits - logits.max()))) - logits.max()
        total += log_softmax[np.argmax(x[n, t, :NUM_TYPES])]
        if feature_likelihood == "sigmoid":
          loc, scale = _sigmoid(a), 0.2
        elif feature_likelihood == "relu":
          loc, scale = max(a, 0.0), 0.2
        else:
          loc, scale = a, np.log1p(np.exp(params[NUM_TYPES + 1])) + 1e-3
        total += _log_normal(x[n, t, NUM_TYPES], loc, scale)
      inp = x[n, t]  # teacher forcing: the true step is the next input
    np.testing.assert_allclose(got[n], total, rtol=1e-4, atol=1e-4)


def test_padding_changes_nothing():
  x = _sequences(4, 8, seed=2)
  mask = arch.sequence_mask(x)
  assert not mask.all()
  garbage = x.copy()
  garbage[..., NUM_TYPES] = np.where(mask, x[..., NUM_TYPES], 0.7)  # feature on padding
  model = _tiny_model()
  z = tf.random.stateless_normal([4, 3], seed=[0, 1])
  np.testing.assert_allclose(model.decoder_log_prob(x, z), model.decoder_log_prob(garbage, z),
                             rtol=1e-6)
  q1, q2 = model.encode(tf.constant(x)), model.encode(tf.constant(garbage))
  np.testing.assert_allclose(model.posterior.moments(q1)[0], model.posterior.moments(q2)[0],
                             rtol=1e-6)


def test_decoder_input_dropout_zeroes_inputs_not_targets():
  model = _tiny_model(decoder_input_dropout=0.5)
  x = tf.constant(_sequences(4, 8, seed=8))
  z = tf.random.stateless_normal([4, 3], seed=[2, 2])
  seed = tf.constant([5, 6])
  plain = model.decoder_log_prob(x, z)
  np.testing.assert_allclose(model.decoder_log_prob(x, z, dropout_seed=None), plain)
  dropped = model.decoder_log_prob(x, z, dropout_seed=seed).numpy()
  keep = (tf.random.stateless_uniform([4, 7], seed=seed) >= 0.5).numpy()
  assert 0 < keep.mean() < 1
  x0, h, c = model.initial_state(z)
  inputs = tf.concat([x0[:, None], x[:, :-1] * keep[..., None]], axis=1)
  types_dist, feature_dist = model.step_distributions(
      model.decoder_lstm(inputs, initial_state=[h, c]))
  mask = arch.sequence_mask(x.numpy())
  expected = np.sum(mask * (types_dist.log_prob(np.argmax(x[..., :NUM_TYPES], -1))
                            + feature_dist.log_prob(x[..., NUM_TYPES])), -1)
  np.testing.assert_allclose(dropped, expected, rtol=1e-5)
  assert np.any(np.abs(dropped - plain.numpy()) > 1e-3)


@pytest.mark.parametrize("unroll", [False, True])
def test_compiled_generation_equals_step_by_step_reference(unroll):
  model = _tiny_model(feature_likelihood="sigmoid", unroll=unroll)
  model.loss_terms(_sequences(2, 8))
  # Sharper logits so argmax feedback actually varies the path.
  model.output_head.kernel.assign(model.output_head.kernel * 5.0)
  seed = tf.constant([3, 4])
  z = tf.random.stateless_normal([5, 3], seed=seed)
  compiled = tf.function(model.generate_loop)(z)

  x0, h, c = model.initial_state(z)
  inputs, types, features = x0, [], []
  for _ in range(8):
    out, (h, c) = model.decoder_lstm.cell(inputs, [h, c])
    params = model.output_head(out).numpy()
    t = np.argmax(params[:, :NUM_TYPES], -1)
    f = _sigmoid(params[:, NUM_TYPES])
    types.append(t)
    features.append(f)
    inputs = tf.constant(np.concatenate([np.eye(NUM_TYPES)[t], f[:, None]], -1), tf.float32)
  types, features = np.stack(types, 1), np.stack(features, 1)
  np.testing.assert_array_equal(compiled["types"], types)
  np.testing.assert_allclose(compiled["features"], features, rtol=1e-5, atol=1e-6)
  assert len(np.unique(types)) > 1

  sampled = model.sample(5, seed)
  np.testing.assert_array_equal(sampled["types"], types)  # same seed -> same z -> same path
  again = model.sample(5, seed)
  np.testing.assert_array_equal(again["samples"], sampled["samples"])
  # Steps after the first <end> are masked out of samples and descriptions.
  mask = sampled["mask"].numpy()
  for row_types, row_mask, text in zip(types, mask, model.describe_samples(sampled)):
    ends = np.flatnonzero(row_types == arch.END)
    expected = ends[0] + 1 if len(ends) else 8
    assert row_mask.sum() == expected
    assert len(text.split(" -> ")) == expected


def test_importance_weights_match_per_sample_computation():
  model = _tiny_model(posterior="diag")
  x = tf.constant(_sequences(3, 8, seed=5))
  seed = tf.constant([7, 8])
  log_w = model.log_importance_weights(x, 4, seed).numpy()
  assert log_w.shape == (4, 3)
  q = model.encode(x)
  z, log_q = q.experimental_sample_and_log_prob(4, seed=seed)
  for s in range(4):
    expected = model.decoder_log_prob(x, z[s]) + model.prior.log_prob(z[s]) - log_q[s]
    np.testing.assert_allclose(log_w[s], expected, rtol=1e-5, atol=1e-4)


def test_mc_kl_of_importance_weights_matches_analytic_kl():
  """E_q[log q - log p] (from log w) equals the analytic KL within 4 standard errors."""
  model = _tiny_model(posterior="diag")
  x = tf.constant(_sequences(2, 8, seed=6))
  seed = tf.constant([1, 1])
  num = 4000
  q = model.encode(x)
  z, _ = q.experimental_sample_and_log_prob(num, seed=seed)
  log_w = model.log_importance_weights(x, num, seed).numpy()
  flat_x = tf.repeat(x[None], num, 0)
  log_px = tf.reshape(model.decoder_log_prob(tf.reshape(flat_x, [-1, 8, NUM_TYPES + 1]),
                                             tf.reshape(z, [-1, 3])), [num, 2]).numpy()
  mc_kl = log_px - log_w  # = log q(z|x) - log p(z)
  analytic = model._kl(q, None, None).numpy()  # pylint: disable=protected-access
  stderr = mc_kl.std(0) / np.sqrt(num)
  assert np.all(np.abs(mc_kl.mean(0) - analytic) < 4 * stderr + 1e-4)


def test_reconstructs_a_tiny_set():
  x = tf.constant(_sequences(8, 10, seed=11))
  model = _tiny_model(max_length=10, latent_dim=8, encoder_units=32, decoder_units=32,
                      decoder_hidden_sizes=(32,), seed=1, unroll=True)
  model.loss_terms(x)
  # A small beta keeps the strong autoregressive decoder from ignoring z (KL collapse).
  model.kl_weight.assign(0.01)
  optimizer = keras.optimizers.Adam(1e-2)

  @tf.function
  def step():
    with tf.GradientTape() as tape:
      terms = model.loss_terms(x, training=True)
    grads = tape.gradient(terms["loss"], model.trainable_variables)
    optimizer.apply(grads, model.trainable_variables)
    return terms

  first = step()
  for _ in range(300):
    terms = step()
  assert float(terms["reconstruction"]) > float(first["reconstruction"]) + 30.0
  assert float(terms["type_accuracy"]) > 0.95
  assert float(terms["generation_accuracy"]) > 0.9
  generated = model.reconstruct(x)  # free running from the posterior mean
  mask = arch.sequence_mask(x.numpy())
  targets = np.argmax(x.numpy()[..., :NUM_TYPES], -1)
  accuracy = np.mean(generated["types"].numpy()[mask] == targets[mask])
  assert accuracy > 0.9, accuracy


@pytest.mark.parametrize("posterior", POSTERIORS.names())
def test_every_posterior_family_trains_and_weights_are_finite(posterior):
  model = _tiny_model(posterior=posterior)
  x = tf.constant(_sequences(4, 8, seed=9))
  with tf.GradientTape() as tape:
    terms = model.loss_terms(x, training=True)
  assert set(model.loss_term_names) <= set(terms)
  grads = tape.gradient(terms["loss"], model.trainable_variables)
  for var, grad in zip(model.trainable_variables, grads):
    assert grad is not None, var.path
    assert np.all(np.isfinite(grad)), var.path
  posterior_grads = [g for v, g in zip(model.trainable_variables, grads)
                     if "posterior" in v.path or v.path.startswith(model.posterior.name)]
  assert any(np.any(g != 0) for g in posterior_grads)
  log_w = model.log_importance_weights(x, 3, tf.constant([0, 2])).numpy()
  assert log_w.shape == (3, 4) and np.all(np.isfinite(log_w))
  assert np.isclose(float(terms["elbo"]),
                    float(terms["reconstruction"]) - float(terms["kl"]), atol=1e-4)


def test_config_round_trip_and_saved_weights(tmp_path):
  model = _tiny_model(feature_likelihood="gaussian")
  x = tf.constant(_sequences(2, 8, seed=3))
  model(x)  # builds (a custom train_step never calls the model)
  path = str(tmp_path / "seq.weights.h5")
  model.save_weights(path)
  clone = SequenceVAE.from_config(model.get_config())
  clone(x)
  clone.load_weights(path)
  z = tf.random.stateless_normal([2, 3], seed=[0, 0])
  np.testing.assert_allclose(clone.decoder_log_prob(x, z), model.decoder_log_prob(x, z),
                             rtol=1e-6)
  np.testing.assert_array_equal(clone.sample(3, tf.constant([1, 2]))["types"],
                                model.sample(3, tf.constant([1, 2]))["types"])
