"""IAF (eq. 30-33): MADE autoregressive structure, gated update, log-det vs autodiff."""
import numpy as np
import tensorflow as tf

from tfvae.bijectors.iaf import MADE, iaf_chain, iaf_step, made_masks

D, C = 5, 3


def _made(seed=0, hidden=(16, 16)):
  tf.random.set_seed(seed)
  made = MADE(D, hidden, context_size=C, name="made")
  made(tf.zeros([1, D]), tf.zeros([1, C]))
  # Random biases too, so that no output is trivially zero.
  for weight in made.weights:
    weight.assign(tf.random.stateless_normal(weight.shape, seed=[seed, 7]) * 0.5)
  return made


def test_made_is_autoregressive():
  made = _made()
  rng = np.random.default_rng(0)
  z = tf.constant(rng.normal(size=(4, D)), tf.float32)
  context = tf.constant(rng.normal(size=(4, C)), tf.float32)
  with tf.GradientTape(persistent=True) as tape:
    tape.watch([z, context])
    m, s = made(z, context)
  for name, out in (("m", m), ("s", s)):
    jac = tape.batch_jacobian(out, z).numpy()  # [B, out i, in j]
    upper = np.triu(np.ones((D, D), bool))  # j >= i: must not depend
    assert np.all(jac[:, upper] == 0.0), name
    assert np.all(np.abs(jac[:, ~upper]) > 0.0), name  # every earlier dim is used
    jac_h = tape.batch_jacobian(out, context).numpy()
    assert np.all(np.abs(jac_h).sum(-1) > 0.0), name  # context reaches every output


def test_made_masks_shapes_and_output_degrees():
  masks = made_masks(D, (7,), num_outputs=2)
  assert [m.shape for m in masks] == [(D, 7), (7, 2 * D)]
  # Output unit of dimension 1 sees no hidden unit (it may depend on no input).
  assert masks[-1][:, 0].sum() == 0 and masks[-1][:, D].sum() == 0


def test_gated_update():
  made = _made(1)
  rng = np.random.default_rng(1)
  z = tf.constant(rng.normal(size=(6, D)), tf.float32)
  context = tf.constant(rng.normal(size=(6, C)), tf.float32)
  step = iaf_step(made, context, gate_bias=1.0)
  m, s = made(z, context)
  sigma = tf.sigmoid(s + 1.0)
  expected = sigma * z + (1.0 - sigma) * m
  np.testing.assert_allclose(step.forward(z).numpy(), expected.numpy(), atol=1e-5)
  np.testing.assert_allclose(step.forward_log_det_jacobian(z, 1).numpy(),
                             tf.reduce_sum(tf.math.log(sigma), -1).numpy(), atol=1e-5)


def test_chain_log_det_matches_autodiff_jacobian_and_inverse():
  mades = [_made(k) for k in range(3)]
  rng = np.random.default_rng(2)
  z = tf.constant(rng.normal(size=(6, D)), tf.float32)
  context = tf.constant(rng.normal(size=(6, C)), tf.float32)
  chain = iaf_chain(mades, context, gate_bias=0.5)
  with tf.GradientTape() as tape:
    tape.watch(z)
    y = chain.forward(z)
  full = tape.batch_jacobian(y, z)
  sign, expected = tf.linalg.slogdet(full)
  got = chain.forward_log_det_jacobian(z, event_ndims=1).numpy()
  np.testing.assert_allclose(got, expected.numpy(), atol=5e-5, rtol=1e-4)
  assert np.all(sign.numpy() > 0)
  # Each step is triangular; the reversal between steps makes the composite not.
  full = full.numpy()
  assert np.any(np.abs(full[:, np.triu(np.ones((D, D)), 1) > 0]) > 0)
  assert np.any(np.abs(full[:, np.tril(np.ones((D, D)), -1) > 0]) > 0)
  # Inverse (the MAF's D-pass forward) undoes the forward.
  z_back = chain.inverse(tf.constant(y.numpy()))
  np.testing.assert_allclose(z_back.numpy(), z.numpy(), atol=1e-4)


def test_zero_steps_is_identity():
  chain = iaf_chain([], None)
  z = tf.random.stateless_normal([3, D], seed=[0, 1])
  np.testing.assert_array_equal(chain.forward(z).numpy(), z.numpy())
