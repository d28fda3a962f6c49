"""Diagonal-Gaussian mixtures: construction, the matched KL bound, Gumbel-softmax sampling.

VRNN report section 5.1. A mixture over ``D``-dimensional z with ``K`` components is
parameterised by ``logits [..., K]`` (pi = softmax(logits)), ``loc [..., K, D]`` and
``scale [..., K, D]`` and built as a ``tfd.MixtureSameFamily`` of
``tfd.MultivariateNormalDiag`` components.

Matched bound (eq. 3; Hershey & Olsen 2007, section 6, "matched bound" of Do /
Goldberger). For f = sum_a pi_a f_a and g = sum_a omega_a g_a with the same number of
components and a one-to-one matching ``m`` (the paper uses the identity: the order of
the components is learned, since both mixtures are network outputs),

    D(f || g) <= sum_a pi_a [ log(pi_a / omega_m(a)) + D(f_a || g_m(a)) ]       (eq. 3)

The right-hand side is the KL between the joints p_f(a, z) = pi_a f_a(z) and
p_g(a, z) = omega_m(a) g_m(a)(z) (chain rule), and marginalising ``a`` cannot increase a
KL (data processing), so it is an upper bound for *every* permutation ``m``. (Hershey &
Olsen's "matched bound approximation" instead picks m(a) = argmin_b D(f_a||g_b) -
log omega_b, which need not be one-to-one and is then no bound; it is not used here.)
The Gaussian KLs D(f_a || g_b) are the closed form of appendix eq. 20.

Gumbel-softmax sampling (eq. 4-8; Jang et al. 2016): component weights
v ~ RelaxedOneHotCategorical(tau, logits) (eq. 4-5), one reparameterised draw per
component w_i = mu_i + sigma_i * eps_i (eq. 6-7), and z = sum_i v_i w_i (eq. 8). As
tau -> 0, v tends to the one-hot Gumbel-max sample and z to an exact mixture sample.
The temperature is annealed as tau = max(tau_min, exp(-r * step)) with tau_min = 0.5.
"""
from typing import Optional, Sequence

import tensorflow as tf
import tensorflow_probability as tfp

from tfvae import random_ops
# KL of two diagonal Gaussians (appendix eq. 20), used by gmvae_terms.
from tfvae.distributions.gaussian import diag_gaussian_kl  # noqa: F401

tfd = tfp.distributions


def diag_gaussian_mixture(logits, loc, scale) -> tfd.MixtureSameFamily:
  """sum_k softmax(logits)_k N(loc_k, diag scale_k^2): batch ``[...]``, event ``[D]``."""
  logits = tf.cast(logits, tf.float32)
  return tfd.MixtureSameFamily(
      mixture_distribution=tfd.Categorical(logits=logits),
      components_distribution=tfd.MultivariateNormalDiag(
          loc=tf.cast(loc, tf.float32), scale_diag=tf.cast(scale, tf.float32)))


def mixture_parameters(mixture: tfd.MixtureSameFamily):
  """``(log_pi [..., K], loc [..., K, D], scale [..., K, D])`` of a diagonal mixture."""
  components = mixture.components_distribution
  log_pi = tf.nn.log_softmax(mixture.mixture_distribution.logits_parameter(), axis=-1)
  return log_pi, components.mean(), components.stddev()


def categorical_kl(log_p, log_q):
  """KL(Cat(p) || Cat(q)) = sum_k p_k (log p_k - log q_k) from normalised log-probs
  (appendix eq. 21, with the sign written so that the KL is >= 0)."""
  return tf.reduce_sum(tf.exp(log_p) * (log_p - log_q), axis=-1)


def matched_bound_kl_from_parameters(log_pi_f, loc_f, scale_f, log_pi_g, loc_g, scale_g,
                                     permutation: Optional[Sequence[int]] = None):
  """Eq. 3: sum_a pi_a [log pi_a - log omega_m(a) + KL(f_a || g_m(a))]: shape ``[...]``.

  ``log_pi_*`` are normalised log-weights ``[..., K]``; ``loc_*``/``scale_*`` are
  ``[..., K, D]``. ``permutation`` is the matching m (``None``: the identity, as in the
  paper); any permutation gives an upper bound on KL(f || g).
  """
  if permutation is not None:
    permutation = tf.constant(permutation, tf.int32)
    log_pi_g = tf.gather(log_pi_g, permutation, axis=-1)
    loc_g = tf.gather(loc_g, permutation, axis=-2)
    scale_g = tf.gather(scale_g, permutation, axis=-2)
  component_kl = diag_gaussian_kl(loc_f, scale_f, loc_g, scale_g)  # [..., K]
  return tf.reduce_sum(tf.exp(log_pi_f) * (log_pi_f - log_pi_g + component_kl), axis=-1)


def matched_bound_kl(f: tfd.MixtureSameFamily, g: tfd.MixtureSameFamily,
                     permutation: Optional[Sequence[int]] = None):
  """Eq. 3 between two diagonal mixtures built by ``diag_gaussian_mixture``."""
  return matched_bound_kl_from_parameters(*mixture_parameters(f), *mixture_parameters(g),
                                          permutation=permutation)


def monte_carlo_kl(f, g, num_samples: int, seed):
  """Monte Carlo KL(f || g) = E_f[log f(z) - log g(z)]: ``(mean, standard_error)``."""
  z = f.sample(num_samples, seed=seed)
  log_ratio = f.log_prob(z) - g.log_prob(z)
  mean = tf.reduce_mean(log_ratio, axis=0)
  stderr = tf.math.reduce_std(log_ratio, axis=0) / tf.sqrt(float(num_samples))
  return mean, stderr


def gumbel_noise(shape, seed):
  """g ~ Gumbel(0, 1) of the given shape (eq. 4), from a stateless seed."""
  return tfd.Gumbel(loc=0.0, scale=1.0).sample(shape, seed=seed)


def relaxed_one_hot(logits, gumbel, temperature):
  """Eq. 5: v = softmax((log pi + g) / tau), pi = softmax(logits); a sample of
  ``tfd.RelaxedOneHotCategorical(tau, logits)`` when g is Gumbel(0, 1) noise."""
  log_pi = tf.nn.log_softmax(tf.cast(logits, tf.float32), axis=-1)
  return tf.nn.softmax((log_pi + gumbel) / tf.cast(temperature, tf.float32), axis=-1)


def _harden(v, hard: bool, straight_through: bool):
  if not (hard or straight_through):
    return v
  one_hot = tf.one_hot(tf.argmax(v, axis=-1), tf.shape(v)[-1], dtype=v.dtype)
  return one_hot if hard else one_hot + v - tf.stop_gradient(v)


def combine_components(v, loc, scale, eps):
  """Eq. 7-8: w_i = loc_i + scale_i * eps_i and z = sum_i v_i w_i (``[..., K, D]`` -> ``[..., D]``)."""
  w = loc + scale * eps
  return tf.reduce_sum(v[..., tf.newaxis] * w, axis=-2)


def mixture_sample_from_noise(logits, loc, scale, gumbel, eps, temperature,
                              hard: bool = False, straight_through: bool = False):
  """Eq. 5-8 from pre-drawn noise (``gumbel [..., K]``, ``eps [..., K, D]``): ``(z, v)``.

  Used inside recurrent loops, where all the noise of a sequence is drawn up front.
  ``hard``/``straight_through`` as in ``gumbel_softmax_mixture_sample``.
  """
  v = _harden(relaxed_one_hot(logits, gumbel, temperature), hard, straight_through)
  z = combine_components(v, tf.cast(loc, tf.float32), tf.cast(scale, tf.float32), eps)
  return z, v


def gumbel_softmax_mixture_sample(logits, loc, scale, temperature, seed,
                                  sample_shape=(), hard: bool = False,
                                  straight_through: bool = False):
  """Relaxed mixture sample (eq. 4-8): ``(z [*sample_shape, ..., D], v [..., K])``.

  ``v ~ tfd.RelaxedOneHotCategorical(temperature, logits)``; ``w_i = loc_i + scale_i
  eps_i`` for every component; ``z = sum_i v_i w_i``. ``hard=True`` replaces v by the
  one-hot of its argmax (the Gumbel-max trick: an exact mixture sample, no gradient to
  the weights); ``straight_through=True`` uses the hard v forward and the relaxed
  gradient.
  """
  sample_shape = ((int(sample_shape),) if isinstance(sample_shape, int)
                  else tuple(int(n) for n in sample_shape))
  seed_v, seed_eps = tfp.random.split_seed(seed, 2)
  logits = tf.cast(logits, tf.float32)
  loc = tf.cast(loc, tf.float32)
  scale = tf.cast(scale, tf.float32)
  relaxed = tfd.RelaxedOneHotCategorical(tf.cast(temperature, tf.float32), logits=logits)
  v = _harden(relaxed.sample(sample_shape, seed=seed_v), hard, straight_through)
  shape = tf.concat([tf.constant(sample_shape, tf.int32, [len(sample_shape)]),
                     tf.shape(loc)], axis=0)
  eps = random_ops.stateless_normal(shape, seed=seed_eps)
  return combine_components(v, loc, scale, eps), v


def gumbel_temperature(step, rate: float, minimum: float = 0.5):
  """Annealed Gumbel-softmax temperature tau = max(minimum, exp(-rate * step))."""
  step = tf.cast(step, tf.float32)
  return tf.maximum(tf.constant(minimum, tf.float32), tf.exp(-float(rate) * step))
