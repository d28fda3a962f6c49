"""KL[q || RBM] estimator and its gradients (DVAE eq. 11-12, appendix F) vs exact references."""
import numpy as np
import pytest
import tensorflow as tf

from tfvae.distributions import rbm as rbm_lib
from tfvae.distributions import smoothing as sm
from tfvae.distributions.rbm_kl import rbm_kl_terms

W = tf.constant([[1.5, 1.0], [-0.8, 0.5]])
B_LEFT = tf.constant([0.3, -0.5])
B_RIGHT = tf.constant([-0.2, 0.4])
# RBM order [l1, l2, r1, r2]; posterior group 0 = {l1}, group 1 = {l2, r1, r2}.
GROUPS = np.array([0, 1, 1, 1])


def _exact_log_z(w, bl, br):
  states = tf.constant(rbm_lib.all_binary_states(2))
  return tf.reduce_logsumexp(rbm_lib.neg_free_energy_left(states, w, bl, br))


def _smoothing(name, probs):
  if name == "spike_and_exponential":
    return sm.SpikeAndExponential(probs, beta=2.5)
  if name == "spike_and_gaussian":
    return sm.SpikeAndGaussian(probs, loc=0.8, scale=0.5)
  return sm.smoothing_class(name)(probs)


class TinyPosterior:
  """q(l1 | x) = sigmoid(phi0); q(u | zeta_l1, x) = sigmoid(a_u + c_u zeta_l1), u in group 1."""

  def __init__(self):
    self.phi0 = tf.Variable(0.3)
    self.a = tf.Variable([-0.4, 0.6, 0.2])   # for [l2, r1, r2]
    self.c = tf.Variable([1.5, -2.0, 1.0])

  @property
  def variables(self):
    return [self.phi0, self.a, self.c]

  def group1_logits(self, zeta1):
    return self.a + self.c * zeta1[..., None]

  @staticmethod
  def rbm_order(first, rest):
    """[l1], [l2, r1, r2] -> [l1, l2, r1, r2]."""
    return tf.concat([first, rest], axis=-1)


def _estimator_terms(post, name, num, seed, negative_state, w=W, bl=B_LEFT, br=B_RIGHT,
                     has_spike=None):
  rho = tf.random.stateless_uniform([num, 4], seed=seed)
  g1 = tf.fill([num, 1], post.phi0)
  d1 = _smoothing(name, tf.sigmoid(g1))
  zeta1 = d1.reparameterized_sample(rho[:, :1])
  g2 = post.group1_logits(zeta1[:, 0])
  d2 = _smoothing(name, tf.sigmoid(g2))
  zeta2 = d2.reparameterized_sample(rho[:, 1:])
  values = post.rbm_order(d1.prob_one(zeta1), d2.prob_one(zeta2))
  logits = post.rbm_order(g1, g2)
  spike = d1.has_spike if has_spike is None else has_spike
  return rbm_kl_terms(w, bl, br, logits, values, GROUPS, negative_state, has_spike=spike)


def _exact_kl_minus_log_z(post, name, w=W, bl=B_LEFT, br=B_RIGHT, nodes=96):
  """E_rho1[...] by Gauss-Legendre on both sides of rho1 = 1 - q1; inner expectations exact."""
  t, wt = np.polynomial.legendre.leggauss(nodes)
  t, wt = tf.constant(t, tf.float32), tf.constant(wt, tf.float32)
  q1 = tf.sigmoid(post.phi0)

  def inner(rho1):
    d1 = _smoothing(name, tf.fill(tf.shape(rho1), q1))
    zeta1 = d1.reparameterized_sample(rho1)
    m1 = d1.prob_one(zeta1)                      # E[l1 | zeta1]
    g2 = post.group1_logits(zeta1)
    q2 = tf.sigmoid(g2)                          # [l2, r1, r2]
    h = lambda g, q: q * g - tf.nn.softplus(g)
    neg_ent = h(post.phi0, q1) + tf.reduce_sum(h(g2, q2), -1)
    bias = bl[0] * q1 + bl[1] * q2[:, 0] + br[0] * q2[:, 1] + br[1] * q2[:, 2]
    pair = (w[0, 0] * m1 * q2[:, 1] + w[0, 1] * m1 * q2[:, 2]
            + w[1, 0] * q2[:, 0] * q2[:, 1] + w[1, 1] * q2[:, 0] * q2[:, 2])
    return neg_ent - bias - pair

  def integral(lo, hi):
    rho = lo + (hi - lo) * (t + 1.0) / 2.0
    return tf.reduce_sum(wt * inner(rho)) * (hi - lo) / 2.0

  return integral(0.0, 1.0 - q1) + integral(1.0 - q1, 1.0)


def _batch_gradients(fn, variables, num_batches=40):
  """Gradients of the batch-mean of ``fn(batch_index)``: ``[num_batches, num_params]``.

  Their mean is the estimator over all samples; their spread gives its standard error.
  """
  rows = []
  for k in range(num_batches):
    with tf.GradientTape() as tape:
      value = tf.reduce_mean(fn(k))
    rows.append(np.concatenate([g.numpy().ravel() for g in tape.gradient(value, variables)]))
  return np.array(rows)


def _exact_gradient(fn, variables):
  with tf.GradientTape() as tape:
    value = fn()
  return np.concatenate([g.numpy().ravel() for g in tape.gradient(value, variables)])


@pytest.mark.parametrize("name", ["spike_and_exponential", "spike_and_slab",
                                  "spike_and_gaussian", "mixture_of_ramps"])
def test_posterior_gradient_matches_exact_enumeration(name):
  """Eq. 12 (F.1 + F.4) vs the autodiff gradient of the exact KL (up to log Z)."""
  post = TinyPosterior()
  num = 20_000
  neg = tf.zeros([1, 4])
  value = _estimator_terms(post, name, num, [1, 2], neg)["value"].numpy()
  exact_value = _exact_kl_minus_log_z(post, name).numpy()
  assert abs(value.mean() - exact_value) < 5 * value.std() / np.sqrt(num)

  per = _batch_gradients(
      lambda k: _estimator_terms(post, name, 500, [3, k], neg)["surrogate"], post.variables)
  exact = _exact_gradient(lambda: _exact_kl_minus_log_z(post, name), post.variables)
  mean, se = per.mean(0), per.std(0) / np.sqrt(len(per))
  assert np.all(np.abs(mean - exact) < 5 * se + 1e-4), (mean, exact, se)


def test_naive_gradient_without_eq31_is_detectably_wrong():
  """Dropping the F.4 correction (pairwise term through a step function) is biased."""
  post = TinyPosterior()
  neg = tf.zeros([1, 4])
  name = "spike_and_exponential"
  per = _batch_gradients(
      lambda k: _estimator_terms(post, name, 500, [3, k], neg, has_spike=False)["surrogate"],
      post.variables)
  exact = _exact_gradient(lambda: _exact_kl_minus_log_z(post, name), post.variables)
  mean, se = per.mean(0), per.std(0) / np.sqrt(len(per))
  ratio = np.abs(mean - exact) / (se + 1e-4)
  print("naive |bias| / se:", ratio)
  assert np.max(ratio) > 8


def test_prior_gradient_is_positive_minus_negative_phase():
  """Eq. 11: d/dtheta KL = E_q[dE/dtheta] - E_p[dE/dtheta], with exact prior samples."""
  post = TinyPosterior()
  name = "spike_and_exponential"
  w, bl, br = tf.Variable(W), tf.Variable(B_LEFT), tf.Variable(B_RIGHT)
  theta = [w, bl, br]
  states = rbm_lib.all_binary_states(4)
  logp = -rbm_lib.energy(tf.constant(states), W, B_LEFT, B_RIGHT).numpy()
  p = np.exp(logp - logp.max())
  p /= p.sum()
  num_neg = 50_000
  neg = tf.constant(states[np.random.default_rng(1).choice(16, num_neg, p=p)])
  per = _batch_gradients(
      lambda k: _estimator_terms(post, name, 500, [5, k], neg, w, bl, br)["surrogate"], theta)
  exact = _exact_gradient(
      lambda: _exact_kl_minus_log_z(post, name, w, bl, br) + _exact_log_z(w, bl, br), theta)
  # Standard error: positive phase (over batches) and negative phase (per chain).
  neg_np = neg.numpy()
  neg_stats = np.concatenate([np.einsum("ci,cj->cij", neg_np[:, :2], neg_np[:, 2:]).reshape(
      num_neg, -1), neg_np], axis=1)
  se = np.sqrt(per.var(0) / len(per) + neg_stats.var(0) / num_neg)
  assert np.all(np.abs(per.mean(0) - exact) < 5 * se + 1e-4), (per.mean(0), exact, se)
  # The posterior parameters get no gradient from the prior phases and vice versa.
  with tf.GradientTape() as tape:
    terms = _estimator_terms(post, name, 64, [7, 8], neg[:100], w, bl, br)
    loss = tf.reduce_mean(terms["surrogate"])
  assert all(g is not None for g in tape.gradient(loss, theta + post.variables))


def test_kl_with_factorial_q_and_zero_couplings_equals_closed_form():
  rng = np.random.default_rng(3)
  logits = tf.constant(rng.normal(0, 2, (5, 6)), tf.float32)
  w = tf.zeros([3, 3])
  b = rng.normal(0, 1, 6).astype(np.float32)
  bl, br = tf.Variable(b[:3]), tf.Variable(b[3:])
  groups = np.zeros(6, np.int64)   # factorial posterior: one group
  q = tf.sigmoid(logits)
  units = tf.cast(tf.random.stateless_uniform(q.shape, [1, 1]) < q, tf.float32)
  neg = tf.cast(tf.random.stateless_uniform([50_000, 6], [2, 2]) < tf.sigmoid(b), tf.float32)
  logits_var = tf.Variable(logits)
  with tf.GradientTape() as tape:
    terms = rbm_kl_terms(w, bl, br, logits_var, units, groups, neg)
    surrogate = tf.reduce_sum(terms["surrogate"])
  log_z = np.sum(np.logaddexp(0, b))
  kl = terms["value"].numpy() + log_z
  qn, pn = q.numpy(), 1 / (1 + np.exp(-b))
  closed = np.sum(qn * np.log(qn / pn) + (1 - qn) * np.log((1 - qn) / (1 - pn)), axis=1)
  np.testing.assert_allclose(kl, closed, rtol=1e-5, atol=1e-5)
  g_logits, g_bl, g_br = tape.gradient(surrogate, [logits_var, bl, br])
  np.testing.assert_allclose(g_logits.numpy(), qn * (1 - qn) * (logits.numpy() - b),
                             rtol=1e-4, atol=1e-6)
  # d/db sum_examples KL = sum_examples (sigmoid(b) - q); negative phase is Monte Carlo.
  expected = np.sum(pn - qn, axis=0)
  got = np.concatenate([g_bl.numpy(), g_br.numpy()])
  se = 5 * np.sqrt(pn * (1 - pn) / 50_000)
  assert np.all(np.abs(got - expected) < 5 * se + 1e-5)


def test_kl_with_factorial_q_and_couplings_equals_enumeration():
  rng = np.random.default_rng(4)
  w = tf.constant(rng.normal(0, 1, (2, 3)), tf.float32)
  bl = tf.constant(rng.normal(0, 1, 2), tf.float32)
  br = tf.constant(rng.normal(0, 1, 3), tf.float32)
  logits = tf.constant(rng.normal(0, 1, (1, 5)), tf.float32)
  terms = rbm_kl_terms(w, bl, br, logits, tf.zeros([1, 5]), np.zeros(5, int), tf.zeros([1, 5]))
  states = rbm_lib.all_binary_states(5)
  q = tf.sigmoid(logits).numpy()[0]
  log_q = np.sum(states * np.log(q) + (1 - states) * np.log(1 - q), axis=1)
  log_p = -rbm_lib.energy(tf.constant(states), w, bl, br).numpy()
  log_p -= np.log(np.exp(log_p).sum())
  exact = np.sum(np.exp(log_q) * (log_q - log_p))
  log_z = _exact_log_z_general(w, bl, br)
  np.testing.assert_allclose(terms["value"].numpy()[0] + log_z, exact, rtol=1e-5)


def _exact_log_z_general(w, bl, br):
  from tfvae.distributions.rbm_partition import exact_log_partition
  return exact_log_partition(w.numpy(), bl.numpy(), br.numpy()).numpy()
