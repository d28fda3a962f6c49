"""Per-step terms of the variational Gaussian-mixture VRNN bound (VRNN report, section 5.2).

One time step, everything conditioned on h_{t-1} (names of the report; [2] is
Dilokthanakul et al.'s GMVAE):

  prior      p(w_t) = N(mu_0, sigma_0^2), p(v_t) = Cat(pi_0)     (phi_prior_w, eq. 9-10)
             p(z_t | w_t, v_t = k) = N(mu_k(w_t), sigma_k(w_t)^2)  (phi_GM^(k), eq. 11)
  posterior  q(w_t | x_t) = N(mu_w, sigma_w^2)                    (phi_enc_w, eq. 13)
             q(z_t | x_t) = N(mu_z, sigma_z^2)                    (phi_enc_z, eq. 14)
             p(v_t = k | z_t, w_t) = tau_k
               = pi_k N(z_t | mu_k(w_t), sigma_k(w_t)) / sum_j pi_j N(z_t | mu_j, sigma_j)
                                                                  (eq. 15)

The bound of eq. 19 with M samples z^(j) ~ q(z), w^(j) ~ q(w) is

  reconstruction     (1/M) sum_j log p(x_t | z^(j), h_{t-1})
  - conditional prior (1/M) sum_j sum_k tau_k(z^(j), w^(j)) KL(q(z) || p(z | w^(j), v = k))
  - w-prior          KL(q(w) || p(w))                              (analytic)
  - v-prior          (1/M) sum_j KL(tau(z^(j), w^(j)) || pi_0)

Every KL is between Gaussians (eq. 20) or categoricals (eq. 21). Note that eq. 19 (as
eq. 13 of [2]) takes the analytic KL over z *outside* the z-dependence of tau, so it is
an approximation of the ELBO, not an unbiased estimate of it. Because
p(v) p(z | w, v) / p(v | z, w) = p(z | w) for every v, the exact ELBO is

  E_q[log p(x | z)] - KL(q(w) || p(w)) - E_{q(z) q(w)}[log q(z) - log sum_k pi_k N_k(z | w)]

and ``latent_kl_exact`` estimates its KL part without bias from the same samples; the
models report it as ``elbo``.
"""
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae import random_ops
from tfvae.distributions.gaussian_mixture import categorical_kl
from tfvae.distributions.gaussian_mixture import diag_gaussian_kl

tfd = tfp.distributions


def diag_gaussian_log_prob(x, loc, scale):
  """log N(x | loc, diag scale^2), summed over the last axis."""
  standardized = (x - loc) / scale
  return -0.5 * tf.reduce_sum(tf.square(standardized) + 2.0 * tf.math.log(scale)
                              + tf.math.log(2.0 * 3.141592653589793), axis=-1)


def component_log_prob(z, loc_k, scale_k):
  """log N(z | mu_k, sigma_k) for every component: z ``[..., D]`` -> ``[..., K]``."""
  return diag_gaussian_log_prob(z[..., tf.newaxis, :], loc_k, scale_k)


def v_posterior_log_probs(log_pi, z, loc_k, scale_k):
  """log tau_k of eq. 15: ``log_softmax(log pi_k + log N(z | mu_k(w), sigma_k(w)))``."""
  return tf.nn.log_softmax(log_pi + component_log_prob(z, loc_k, scale_k), axis=-1)


def mixture_log_prob(log_pi, z, loc_k, scale_k):
  """log p(z | w) = logsumexp_k (log pi_k + log N(z | mu_k(w), sigma_k(w)))."""
  return tf.reduce_logsumexp(log_pi + component_log_prob(z, loc_k, scale_k), axis=-1)


def w_prior_kl(q_w_loc, q_w_scale, p_w_loc, p_w_scale):
  """w-prior term KL(q(w_t | x_t, h) || p(w_t | h)) (analytic, eq. 20)."""
  return diag_gaussian_kl(q_w_loc, q_w_scale, p_w_loc, p_w_scale)


def conditional_prior_kl(log_tau, q_z_loc, q_z_scale, loc_k, scale_k):
  """Inner conditional-prior term of eq. 19: sum_k tau_k KL(q(z) || N(mu_k, sigma_k)).

  ``log_tau [..., K]``, ``q_z_* [..., D]``, ``loc_k``/``scale_k [..., K, D]``.
  """
  component_kl = diag_gaussian_kl(q_z_loc[..., tf.newaxis, :], q_z_scale[..., tf.newaxis, :],
                                  loc_k, scale_k)
  return tf.reduce_sum(tf.exp(log_tau) * component_kl, axis=-1)


def v_prior_kl(log_tau, log_pi):
  """v-prior term KL(p(v | z, w) || p(v | h)) = sum_k tau_k log(tau_k / pi_k) (eq. 21)."""
  return categorical_kl(log_tau, log_pi)


def latent_kl_exact(z, q_z_loc, q_z_scale, log_pi, loc_k, scale_k):
  """log q(z) - log p(z | w) at a sample (z, w): its expectation plus the w-prior KL is
  the exact latent part of the ELBO (module docstring)."""
  return (diag_gaussian_log_prob(z, q_z_loc, q_z_scale)
          - mixture_log_prob(log_pi, z, loc_k, scale_k))


def eq19_terms_from_samples(z, w, q_z_loc, q_z_scale, q_w_loc, q_w_scale, p_w_loc,
                            p_w_scale, log_pi, mixture_fn, log_likelihood_fn=None):
  """The terms of eq. 19 given M samples ``z [M, ..., D] ~ q(z)``, ``w [M, ..., Dw] ~ q(w)``.

  ``mixture_fn(w) -> (loc_k, scale_k)`` each ``[M, ..., K, D]`` is phi_GM;
  ``log_likelihood_fn(z [M, ..., D]) -> [M, ...]`` is log p(x_t | z, h_{t-1}) (optional).
  Returns ``[...]``-shaped ``conditional_prior``, ``w_prior``, ``v_prior`` (eq. 19 is
  ``reconstruction`` minus these three), ``latent_kl_exact`` (unbiased KL part of the
  exact ELBO, module docstring), ``reconstruction`` when ``log_likelihood_fn`` is given,
  and ``log_tau [M, ..., K]``, ``loc_k``, ``scale_k``.
  """
  loc_k, scale_k = mixture_fn(w)
  log_tau = v_posterior_log_probs(log_pi, z, loc_k, scale_k)
  conditional = tf.reduce_mean(
      conditional_prior_kl(log_tau, q_z_loc, q_z_scale, loc_k, scale_k), axis=0)
  v_kl = tf.reduce_mean(v_prior_kl(log_tau, log_pi), axis=0)
  w_kl = w_prior_kl(q_w_loc, q_w_scale, p_w_loc, p_w_scale)
  exact = tf.reduce_mean(
      latent_kl_exact(z, q_z_loc, q_z_scale, log_pi, loc_k, scale_k), axis=0) + w_kl
  out = {"conditional_prior": conditional, "w_prior": w_kl, "v_prior": v_kl,
         "latent_kl_exact": exact, "log_tau": log_tau, "loc_k": loc_k, "scale_k": scale_k}
  if log_likelihood_fn is not None:
    out["reconstruction"] = tf.reduce_mean(log_likelihood_fn(z), axis=0)
  return out


def eq19_terms(q_z_loc, q_z_scale, q_w_loc, q_w_scale, p_w_loc, p_w_scale, log_pi,
               mixture_fn, log_likelihood_fn, num_samples: int, seed):
  """Eq. 19 for one step with ``num_samples`` = M fresh reparameterised samples
  z^(j) = mu_z + sigma_z eps, w^(j) = mu_w + sigma_w eps' (see
  ``eq19_terms_from_samples``); also returns the samples ``z``, ``w`` ``[M, ..., D]``.
  """
  seed_z, seed_w = tfp.random.split_seed(seed, 2)
  z = q_z_loc + q_z_scale * random_ops.stateless_normal(
      tf.concat([[num_samples], tf.shape(q_z_loc)], 0), seed=seed_z)
  w = q_w_loc + q_w_scale * random_ops.stateless_normal(
      tf.concat([[num_samples], tf.shape(q_w_loc)], 0), seed=seed_w)
  out = eq19_terms_from_samples(z, w, q_z_loc, q_z_scale, q_w_loc, q_w_scale, p_w_loc,
                                p_w_scale, log_pi, mixture_fn, log_likelihood_fn)
  return dict(out, z=z, w=w)
