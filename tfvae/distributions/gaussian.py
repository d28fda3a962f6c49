"""Closed-form diagonal-Gaussian helpers shared by the families (one place for each).

``diag_gaussian_kl(loc_a, scale_a, loc_b, scale_b)`` is KL[N(a) || N(b)] in the order
the arguments are read, summed over the last axis:
0.5 * sum(r + ((mu_a - mu_b) / s_b)^2 - 1 - log r) with r = (s_a / s_b)^2.
"""
import math

import tensorflow as tf

HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


def diag_gaussian_kl(loc_a, scale_a, loc_b, scale_b):
  """KL[N(loc_a, diag scale_a^2) || N(loc_b, diag scale_b^2)] over the last axis."""
  ratio = tf.square(scale_a / scale_b)
  mahalanobis = tf.square((loc_a - loc_b) / scale_b)
  return 0.5 * tf.reduce_sum(ratio + mahalanobis - 1.0 - tf.math.log(ratio), axis=-1)


def normal_log_density(x, loc, scale):
  """log N(x; loc, scale^2) elementwise (no sum)."""
  z = (x - loc) / scale
  return -0.5 * tf.square(z) - tf.math.log(scale) - HALF_LOG_2PI
