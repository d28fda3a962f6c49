"""Planar flow (eq. 26-29): log-det vs autodiff, the wᵀû ≥ -1 constraint, inverse."""
import numpy as np
import keras
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.bijectors.planar import PlanarFlow, PlanarFlowStack, constrain_u, planar_chain

D = 5


def _autodiff_log_det(bijector, z):
  with tf.GradientTape() as tape:
    tape.watch(z)
    y = bijector.forward(z)
  jacobian = tape.batch_jacobian(y, z)  # [B, D, D]
  sign, log_abs_det = tf.linalg.slogdet(jacobian)
  return sign.numpy(), log_abs_det.numpy()


def test_log_det_matches_autodiff_jacobian_amortized_and_global():
  rng = np.random.default_rng(0)
  z = tf.constant(rng.normal(size=(8, D)) * 2.0, tf.float32)
  cases = {
      "amortized": [rng.normal(size=s).astype(np.float32) * 1.5
                    for s in ((8, D), (8, D), (8,))],
      "global": [rng.normal(size=s).astype(np.float32) * 1.5 for s in ((D,), (D,), ())],
  }
  for name, (u, w, b) in cases.items():
    flow = PlanarFlow(u, w, b)
    sign, expected = _autodiff_log_det(flow, z)
    got = flow.forward_log_det_jacobian(z, event_ndims=1).numpy()
    assert got.shape == (8,), name
    np.testing.assert_allclose(got, expected, atol=2e-5, rtol=1e-4, err_msg=name)
    assert np.all(sign > 0), name  # wᵀû > -1 makes det positive


def test_chain_log_det_matches_autodiff_jacobian():
  rng = np.random.default_rng(1)
  us, ws = (tf.constant(rng.normal(size=(4, 3, D)), tf.float32) for _ in range(2))
  bs = tf.constant(rng.normal(size=(4, 3)), tf.float32)
  chain = planar_chain(us, ws, bs)
  z = tf.constant(rng.normal(size=(4, D)), tf.float32)
  _, expected = _autodiff_log_det(chain, z)
  got = chain.forward_log_det_jacobian(z, event_ndims=1).numpy()
  np.testing.assert_allclose(got, expected, atol=5e-5, rtol=1e-4)
  # f_1 acts first: the chain equals applying the flows one by one.
  manual = z
  for k in range(3):
    manual = PlanarFlow(us[:, k], ws[:, k], bs[:, k]).forward(manual)
  np.testing.assert_allclose(chain.forward(z).numpy(), manual.numpy(), atol=1e-6)


def test_zero_flows_is_identity():
  z = tf.random.stateless_normal([3, D], seed=[0, 1])
  for flows in (planar_chain, PlanarFlowStack):
    chain = flows(tf.zeros([3, 0, D]), tf.zeros([3, 0, D]), tf.zeros([3, 0]))
    np.testing.assert_array_equal(chain.forward(z).numpy(), z.numpy())
    np.testing.assert_array_equal(chain.forward_log_det_jacobian(z, 1).numpy(), 0.0)


def test_stack_matches_chain_values_gradients_and_autodiff_log_det():
  """The looped PlanarFlowStack (used by the posterior) equals the tfb.Chain of
  PlanarFlow steps, in values and in gradients wrt the parameters, with samples
  broadcast against amortised ([B, K, D]) and global ([K, D]) parameters."""
  rng = np.random.default_rng(4)
  z = tf.constant(rng.normal(size=(3, 4, D)), tf.float32)  # [S, B, D]
  for shape in ((4, 6), (6,)):
    params = [tf.Variable(rng.normal(size=shape + (D,)).astype(np.float32)),
              tf.Variable(rng.normal(size=shape + (D,)).astype(np.float32)),
              tf.Variable(rng.normal(size=shape).astype(np.float32))]
    results = []
    for flows in (planar_chain, PlanarFlowStack):
      with tf.GradientTape() as tape:
        bijector = flows(*params)
        y = bijector.forward(z)
        log_det = bijector.forward_log_det_jacobian(z, event_ndims=1)
        objective = tf.reduce_sum(tf.sin(y)) + tf.reduce_sum(log_det)
      results.append([y, log_det] + tape.gradient(objective, params))
    for chain_value, stack_value in zip(*results):
      np.testing.assert_allclose(stack_value.numpy(), chain_value.numpy(),
                                 atol=1e-4, rtol=1e-4)
  flat = z[0]  # log-det of the stack (global parameters) vs autodiff
  with tf.GradientTape() as tape:
    tape.watch(flat)
    y = PlanarFlowStack(*params).forward(flat)
  _, expected = tf.linalg.slogdet(tape.batch_jacobian(y, flat))
  got = PlanarFlowStack(*params).forward_log_det_jacobian(flat, event_ndims=1)
  np.testing.assert_allclose(got.numpy(), expected.numpy(), atol=5e-5, rtol=1e-4)


def test_constraint_and_invertibility_survive_adversarial_training():
  """Raw u starts anti-aligned with w (wᵀu ≪ -1) and the optimiser drives log det
  down (towards a singular map); û must keep wᵀû > -1, a finite log-det and an
  invertible map (inverse(forward(z)) = z)."""
  rng = np.random.default_rng(2)
  w0 = rng.normal(size=(3, D)).astype(np.float32)
  u = tf.Variable(-10.0 * w0)
  w = tf.Variable(w0)
  b = tf.Variable(tf.zeros([3]))
  optimizer = keras.optimizers.Adam(0.1)
  z = tf.constant(rng.normal(size=(64, D)), tf.float32)
  for _ in range(60):
    with tf.GradientTape() as tape:
      chain = planar_chain(u, w, b)
      loss = tf.reduce_mean(chain.forward_log_det_jacobian(z, event_ndims=1))
    grads = tape.gradient(loss, [u, w, b])
    optimizer.apply(grads, [u, w, b])
  raw_wu = tf.reduce_sum(u * w, -1).numpy()
  assert np.all(raw_wu < -1.0), raw_wu  # the raw parameters are adversarial
  wu_hat = tf.reduce_sum(constrain_u(u, w) * w, -1).numpy()
  assert np.all(wu_hat >= -1.0 - 1e-5), wu_hat  # float32: -1 + softplus(≪0) is -1
  chain = planar_chain(u, w, b)
  log_det = chain.forward_log_det_jacobian(z, event_ndims=1).numpy()
  assert np.all(np.isfinite(log_det))
  # The adversary pushes wᵀû to -1, where the map is still injective but its inverse
  # is ill-conditioned (f' = 1 - h' vanishes at one point): check f(f⁻¹(y)) = y.
  y = tf.constant(chain.forward(z).numpy())  # fresh tensor: no bijector cache
  y_again = planar_chain(u, w, b).forward(chain.inverse(y))
  np.testing.assert_allclose(y_again.numpy(), y.numpy(), atol=1e-4)


def test_inverse_round_trip_and_log_prob_consistency():
  rng = np.random.default_rng(3)
  params = [rng.normal(size=s).astype(np.float32) for s in ((6, 4, D), (6, 4, D), (6, 4))]
  q = tfp.distributions.TransformedDistribution(
      tfp.distributions.MultivariateNormalDiag(tf.zeros([6, D]), tf.ones([6, D])),
      PlanarFlowStack(*params))
  z, log_q = q.experimental_sample_and_log_prob(10, seed=[3, 4])
  fresh = tf.constant(z.numpy())  # a new tensor, so TFP's bijector cache is not used
  np.testing.assert_allclose(q.log_prob(fresh).numpy(), log_q.numpy(), atol=1e-3)
  z0 = q.distribution.sample(10, seed=[3, 4])
  z_back = q.bijector.inverse(tf.constant(q.bijector.forward(z0).numpy()))
  np.testing.assert_allclose(z_back.numpy(), z0.numpy(), atol=1e-4)
