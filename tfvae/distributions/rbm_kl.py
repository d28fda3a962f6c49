"""KL[q(zeta, z | x) || p(zeta, z)] for an RBM prior and a hierarchical posterior (app. F).

The smoothing r(zeta|z) is shared by q and p and cancels (eq. 24), so with groups
j = 1..k, unit probabilities q_i = q(z_i = 1 | zeta_{<g(i)}, x) = sigmoid(g_i) and the
RBM energy E(z) = -(l^T W r + b^T z),

    KL = E_rho[ sum_i h(q_i) ] + E_q[E(z)] + log Z,    h(q) = q log q + (1-q) log(1-q),

where h(q_i) = q_i g_i - softplus(g_i) is the analytic negative entropy of a unit given
the earlier groups (eq. 26). ``rbm_kl_terms`` returns, per example,

* ``value``: sum_i h(q_i) + E(z_hat) = KL - log Z, an unbiased single-sample estimate
  (log Z is never needed in training). z_hat is the unit's sample for groups < k and q
  for the last group (its expectation taken analytically, eq. 25), which is valid
  because the z_i are independent given zeta; the bias term always uses q.
* ``surrogate``: a scalar function whose *gradient* is the paper's estimator:

  - RBM parameters theta (eq. 11 / 25): positive phase E(stop(z_hat)) minus the negative
    phase, the mean energy of the persistent chains (optionally Rao-Blackwellised);
  - posterior parameters phi: the entropy gradient of F.1 (autodiff of sum h(q_i) with
    zeta reparameterised: d h / d q = g, i.e. dq^T/dphi g) plus the cross-entropy gradient
    -sum_i (b_i + c_i) dq_i/dphi, with the pairwise coefficient of F.4 / eq. 31
        c_i = sum_j W_ij z_hat_j * w_ij,  w_ij = (1 - z_i)/(1 - q_i) if g(j) > g(i) else 1,
    i.e. eq. 12, not REINFORCE. This needs r(zeta|z=0) to be a spike at 0; for the
    spike-free mixture of ramps the pairwise term is instead differentiated directly,
    since E_q[z_i z_j] = E_zeta[P(z_i=1|zeta_i) P(z_j=1|zeta_j)] is a smooth function of
    the reparameterised zeta.

``1 - q`` in w_ij is floored at ``min_one_minus_q`` (1e-3) to bound the importance weight.
"""
import numpy as np
import tensorflow as tf


def pairwise_masks(groups, num_left: int):
  """Static masks of the pairwise coefficient: ``(later_lr, later_rl)``, both ``[n_l, n_r]``.

  ``later_lr[i, j]``: right unit j is in a later group than left unit i;
  ``later_rl[i, j]``: left unit i is in a later group than right unit j.
  """
  groups = np.asarray(groups)
  g_left, g_right = groups[:num_left], groups[num_left:]
  later_lr = (g_right[None, :] > g_left[:, None]).astype(np.float32)
  later_rl = (g_left[:, None] > g_right[None, :]).astype(np.float32)
  return later_lr, later_rl


def negative_entropy_units(logits, probs):
  """h(q) = q log q + (1-q) log(1-q) = q g - softplus(g), per unit."""
  return probs * logits - tf.nn.softplus(logits)


def rbm_kl_terms(w, b_left, b_right, logits, unit_values, groups, negative_state,
                 has_spike: bool = True, min_one_minus_q: float = 1e-3):
  """KL - log Z estimate and its gradient surrogate (see module docstring).

  Args:
    w, b_left, b_right: RBM parameters (``[n_l, n_r]``, ``[n_l]``, ``[n_r]``).
    logits: posterior logits g_i of every unit, RBM order, ``[..., n]`` (each computed
      from the earlier groups' reparameterised zeta, so differentiable in phi).
    unit_values: P(z_i = 1 | zeta_i) per unit ``[..., n]`` -- the sampled binary unit for
      spiky smoothings, a differentiable soft value for the mixture of ramps.
    groups: static int array ``[n]``, the hierarchy group of each unit (0 = first).
    negative_state: ``[C, n]`` states whose mean energy gradient estimates E_p[dE/dtheta].
    has_spike: whether r(zeta|z=0) is a point mass at 0 (enables eq. 31).

  Returns:
    dict of ``[...]`` tensors: ``value`` (KL - log Z), ``negative_entropy``,
    ``cross_entropy`` (E(z_hat) estimate) and ``surrogate`` (value-free, for gradients).
  """
  groups = np.asarray(groups)
  num_left = int(w.shape[0])
  logits = tf.cast(logits, tf.float32)
  probs = tf.sigmoid(logits)
  bias = tf.concat([b_left, b_right], axis=0)
  last = tf.constant(groups == groups.max())
  z_hat = tf.where(last, probs, unit_values)
  zl, zr = z_hat[..., :num_left], z_hat[..., num_left:]

  neg_entropy = tf.reduce_sum(negative_entropy_units(logits, probs), axis=-1)
  coupling = tf.reduce_sum(tf.matmul(zl, w) * zr, axis=-1)
  cross = -(tf.reduce_sum(probs * bias, axis=-1) + coupling)

  # ---- theta: positive phase from q minus negative phase from the chains (eq. 11).
  neg = tf.stop_gradient(tf.convert_to_tensor(negative_state, tf.float32))
  sl, sr = tf.stop_gradient(zl), tf.stop_gradient(zr)
  positive = -(tf.reduce_sum(tf.stop_gradient(probs) * bias, -1)
               + tf.reduce_sum(tf.matmul(sl, w) * sr, -1))
  negative = -tf.reduce_mean(tf.reduce_sum(neg * bias, -1) + tf.reduce_sum(
      tf.matmul(neg[:, :num_left], w) * neg[:, num_left:], -1))
  prior_surrogate = positive - negative

  # ---- phi: F.1 entropy gradient + cross-entropy gradient (eq. 12 / 31).
  w_sg, bias_sg = tf.stop_gradient(w), tf.stop_gradient(bias)
  if has_spike:
    later_lr, later_rl = pairwise_masks(groups, num_left)
    z_sg = tf.stop_gradient(unit_values)
    zl_s, zr_s = tf.stop_gradient(zl), tf.stop_gradient(zr)
    weight = (1.0 - z_sg) / tf.maximum(1.0 - tf.stop_gradient(probs), min_one_minus_q)
    wl, wr = weight[..., :num_left], weight[..., num_left:]
    c_left = (tf.matmul(zr_s, w_sg * (1.0 - later_lr), transpose_b=True)
              + wl * tf.matmul(zr_s, w_sg * later_lr, transpose_b=True))
    c_right = (tf.matmul(zl_s, w_sg * (1.0 - later_rl))
               + wr * tf.matmul(zl_s, w_sg * later_rl))
    coeff = tf.stop_gradient(bias_sg + tf.concat([c_left, c_right], axis=-1))
    cross_surrogate = -tf.reduce_sum(coeff * probs, axis=-1)
  else:
    cross_surrogate = -(tf.reduce_sum(probs * bias_sg, -1)
                        + tf.reduce_sum(tf.matmul(zl, w_sg) * zr, -1))
  surrogate = neg_entropy + cross_surrogate + prior_surrogate
  return {"value": neg_entropy + cross, "negative_entropy": neg_entropy,
          "cross_entropy": cross, "surrogate": surrogate}


def with_gradient_of(value, surrogate):
  """A tensor equal to ``value`` whose gradient is that of ``surrogate``."""
  return tf.stop_gradient(value) + surrogate - tf.stop_gradient(surrogate)
