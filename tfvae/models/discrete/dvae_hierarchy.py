"""Hierarchy of continuous Gaussian layers below the RBM (DVAE section 4, appendix H).

Layers zz_1..zz_M (``num_layers`` of ``latent_dim`` units), autoregressive in the same
order in the approximating posterior and the prior (eq. 13):

    q(zz_m | zz_{l<m}, x) = N(mu_q, sigma_q),      p(zz_m | zz_{l<m}) = N(mu_p, sigma_p),

with zz_0 = zeta (the smoothed RBM). The ELBO uses the analytic diagonal-Gaussian KL of
every layer at the posterior sample of the layers above (eq. 14). Prior parameter
sharing (appendix H):

* ``"none"``: p_m is its own network of [zeta, zz_1, ..., zz_{m-1}]; the decoder sees the
  concatenation [zeta, zz_1, ..., zz_M].
* ``"complete"``: every p_m is one shared network of s_m = M zeta + sum_{1<=l<m} zz_l
  (M a trainable linear map to ``latent_dim``); the decoder sees s_{M+1}.
* an integer n ("n groups"): the M layers are split into n groups of consecutive layers;
  the layers of a group share one prior network of s_m; M zeta is its own map.

Without an RBM (``zeta_size == 0``) p(zz_1) is N(0, I), the "RBM removed" ablation.
Posterior networks are not shared: q_m is a network of [x, zeta, zz_1, ..., zz_{m-1}].

Each network's linear output is [mu, u] and the standard deviation is, by ``scale``,
``"softplus"``: sigma = softplus(u) + ``min_scale`` (the default), or ``"exp"``:
sigma = exp(u), u the log-standard deviation as in the paper (section 5: "the neural
networks output the mean and log-standard deviation of a diagonal-covariance Gaussian").
With ``"exp"`` each layer's sample can grow exponentially with the one before (layer m's
sigma scales the input of layer m + 1): at the default initialisation, the paper-sized
configs (``configs/dvae_*_paper.py``) overflow on a batch of 100 images (Caltech: an
infinite sample in layer 4 of 12, NaN after), so they use ``"softplus"``.
"""
from typing import Sequence

import keras
import tensorflow as tf

from tfvae import random_ops
from tfvae.distributions.gaussian import diag_gaussian_kl, normal_log_density
from tfvae.nets.normalized_mlp import NormalizedMLP, track_as_attributes


SCALES = ("softplus", "exp")


def _gaussian_params(out, min_scale, scale="softplus"):
  loc, raw = tf.split(tf.cast(out, tf.float32), 2, axis=-1)
  if scale == "exp":  # raw is the log-standard deviation
    return loc, tf.exp(raw)
  return loc, tf.nn.softplus(raw) + min_scale


def gaussian_log_prob(x, loc, scale):
  """log N(x; loc, diag scale^2), summed over the last axis."""
  return tf.reduce_sum(normal_log_density(x, loc, scale), -1)


def sharing_groups(num_layers: int, sharing):
  """Prior-network index of each layer, or None for ``"none"``."""
  if sharing in ("none", None):
    return None
  if sharing == "complete":
    return [0] * num_layers
  n = int(sharing)
  if not 1 <= n <= max(num_layers, 1):
    raise ValueError(f"prior_sharing groups must be in [1, {num_layers}], got {n}")
  return [int(m * n // num_layers) for m in range(num_layers)]


class ContinuousHierarchy(keras.layers.Layer):
  """q and p over ``num_layers`` Gaussian layers, plus the decoder's input."""

  def __init__(self, num_layers: int, latent_dim: int, zeta_size: int,
               posterior_hidden: Sequence[int] = (256,), prior_hidden: Sequence[int] = (128,),
               sharing="none", activation: str = "relu", norm: str = "laplacian",
               min_scale: float = 1e-3, scale: str = "softplus", **kwargs):
    super().__init__(**kwargs)
    if scale not in SCALES:
      raise ValueError(f"continuous scale must be one of {SCALES}, got {scale!r}")
    self.num_layers, self.latent_dim = int(num_layers), int(latent_dim)
    self.zeta_size = int(zeta_size)
    self.min_scale = float(min_scale)
    self.scale_kind = scale
    self.groups = sharing_groups(self.num_layers, sharing)
    d = self.latent_dim
    self.posterior_nets = [NormalizedMLP(posterior_hidden, 2 * d, activation, norm,
                                         name=f"q_layer_{m}") for m in range(self.num_layers)]
    if self.groups is None:
      first = 0 if self.zeta_size == 0 else 1  # no RBM: p(zz_1) = N(0, I)
      self.prior_nets = [None] * (1 - first) + [
          NormalizedMLP(prior_hidden, 2 * d, activation, norm, name=f"p_layer_{m}")
          for m in range(1 - first, self.num_layers)]
      self.projection = None
    else:
      self.prior_nets = [NormalizedMLP(prior_hidden, 2 * d, activation, norm,
                                       name=f"p_shared_{g}")
                         for g in range(max(self.groups) + 1)] if self.num_layers else []
      self.projection = (keras.layers.Dense(d, use_bias=False, name="zeta_projection")
                         if self.zeta_size and self.num_layers else None)
    track_as_attributes(self, "q_net", self.posterior_nets)
    track_as_attributes(self, "p_net", self.prior_nets)

  # ---------------------------------------------------------------- helpers
  @property
  def shared(self):
    return self.groups is not None

  def _summary(self, zeta, zs):
    """s = M zeta + sum zz (shared modes), or [zeta, zz...] (``none``)."""
    if not self.shared or self.num_layers == 0:
      parts = ([zeta] if self.zeta_size else []) + list(zs)
      return tf.concat(parts, -1)
    total = (tf.cast(self.projection(zeta), tf.float32) if self.projection is not None
             else None)
    for z in zs:
      total = z if total is None else total + z
    return total

  def _prior(self, m, zeta, zs, batch, training):
    if self.shared:
      if m == 0 and self.projection is None:
        return tf.zeros([batch, self.latent_dim]), tf.ones([batch, self.latent_dim])
      net = self.prior_nets[self.groups[m]]
      return _gaussian_params(net(self._summary(zeta, zs[:m]), training=training),
                              self.min_scale, self.scale_kind)
    net = self.prior_nets[m]
    if net is None:
      return tf.zeros([batch, self.latent_dim]), tf.ones([batch, self.latent_dim])
    return _gaussian_params(net(self._summary(zeta, zs[:m]), training=training),
                            self.min_scale, self.scale_kind)

  # ------------------------------------------------------------------ passes
  def posterior(self, x, zeta, seed, training=False):
    """Samples zz_1..M from q; returns ``(zs, kl [B], log_p_minus_log_q [B])``."""
    x = tf.cast(x, tf.float32)
    batch = tf.shape(x)[0]
    zs = []
    kl = tf.zeros([batch])
    log_ratio = tf.zeros([batch])
    for m in range(self.num_layers):
      inputs = tf.concat([x] + ([zeta] if self.zeta_size else []) + zs, -1)
      loc_q, scale_q = _gaussian_params(self.posterior_nets[m](inputs, training=training),
                                        self.min_scale, self.scale_kind)
      eps = random_ops.stateless_normal(tf.shape(loc_q),
                                       seed=tf.random.experimental.stateless_fold_in(seed, m))
      z = loc_q + scale_q * eps
      loc_p, scale_p = self._prior(m, zeta, zs, batch, training)
      kl += diag_gaussian_kl(loc_q, scale_q, loc_p, scale_p)
      log_ratio += gaussian_log_prob(z, loc_p, scale_p) - gaussian_log_prob(z, loc_q, scale_q)
      zs.append(z)
    return zs, kl, log_ratio

  def prior_sample(self, zeta, batch, seed, training=False):
    """Ancestral zz_1..M ~ p given zeta."""
    zs = []
    for m in range(self.num_layers):
      loc_p, scale_p = self._prior(m, zeta, zs, batch, training)
      eps = random_ops.stateless_normal(tf.shape(loc_p),
                                       seed=tf.random.experimental.stateless_fold_in(seed, m))
      zs.append(loc_p + scale_p * eps)
    return zs

  def decoder_input(self, zeta, zs):
    return self._summary(zeta, zs)

  def decoder_input_size(self):
    if self.shared and self.num_layers:
      return self.latent_dim
    return self.zeta_size + self.num_layers * self.latent_dim

