"""Hierarchical approximating posterior over the smoothed RBM units (DVAE section 3, eq. 10).

The n RBM units (order [left side, right side]) are split into k contiguous groups.
Group j's logits are a network of x and the earlier groups' smoothed zeta_{i<j}:

    q(z_j | zeta_{i<j}, x) = prod_{u in j} Bernoulli(z_u; sigmoid(g_u(x, zeta_{i<j}))),
    zeta_j = F^{-1}_{q(zeta_j | zeta_{i<j}, x)}(rho_j),   rho_j ~ U(0, 1)      (fig. 3b)

so x -> g_1 -> zeta_1 -> g_2 -> ... is deterministic and differentiable given rho.
k = 1 is the factorial posterior of figure 1a. Each group network has the hidden layers
``hidden_sizes`` (Dense, batch norm, ReLU) and a linear logit layer followed by Laplacian
batch norm with the scale bounded in ``logit_bounds`` (appendix H.2; None disables it).
For the spike-and-Gaussian smoothing each group also outputs the location and scale of
q(zeta_u | z_u = 1, x).
"""
from typing import Optional, Sequence

import keras
import numpy as np
import tensorflow as tf

from tfvae import random_ops
from tfvae.distributions import smoothing as smoothing_lib
from tfvae.nets.laplacian_batch_norm import LaplacianBatchNorm
from tfvae.nets.normalized_mlp import NormalizedMLP, track_as_attributes


def group_boundaries(num_units: int, num_groups: int):
  """Contiguous ``[start, end)`` of each of ``num_groups`` groups over ``num_units``."""
  if not 1 <= num_groups <= num_units:
    raise ValueError(f"need 1 <= groups <= units, got {num_groups} groups, {num_units} units")
  edges = np.linspace(0, num_units, num_groups + 1).round().astype(int)
  return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:])]


class HierarchicalRBMPosterior(keras.layers.Layer):
  """q(zeta, z | x) over ``num_units`` smoothed binary units in ``num_groups`` groups."""

  def __init__(self, num_units: int, num_groups: int = 4,
               hidden_sizes: Sequence[int] = (256, 256), activation: str = "relu",
               norm: str = "laplacian", logit_bounds: Optional[Sequence[float]] = (2.0, 3.0),
               smoothing: str = "spike_and_exponential", smoothing_kwargs=None,
               **kwargs):
    super().__init__(**kwargs)
    self.num_units = int(num_units)
    self.bounds = group_boundaries(self.num_units, int(num_groups))
    self.groups = np.concatenate([np.full(b - a, j) for j, (a, b) in enumerate(self.bounds)])
    self.smoothing_cls = smoothing_lib.smoothing_class(smoothing)
    self.smoothing_kwargs = dict(smoothing_kwargs or {})
    self.gaussian = self.smoothing_cls is smoothing_lib.SpikeAndGaussian
    heads = 3 if self.gaussian else 1
    self.nets = [NormalizedMLP(hidden_sizes, heads * (b - a), activation, norm,
                               name=f"group_{j}")
                 for j, (a, b) in enumerate(self.bounds)]
    self.logit_norms = [LaplacianBatchNorm(logit_bounds, name=f"logit_norm_{j}")
                        if logit_bounds is not None else None
                        for j in range(len(self.bounds))]
    track_as_attributes(self, "group_net", self.nets)
    track_as_attributes(self, "group_logit_norm", self.logit_norms)

  @property
  def input_dtype(self):
    """``x`` and ``beta`` stay float32 under mixed precision (the nets cast their inputs)."""
    return "float32"

  @property
  def has_spike(self):
    return self.smoothing_cls.has_spike

  def _distribution(self, logits, extra, beta):
    probs = tf.sigmoid(logits)
    if self.gaussian:
      loc, raw_scale = extra
      return self.smoothing_cls(probs, loc=loc, scale=tf.nn.softplus(raw_scale) + 1e-3,
                                **self.smoothing_kwargs)
    if self.smoothing_cls is smoothing_lib.SpikeAndExponential:
      return self.smoothing_cls(probs, beta=beta)
    return self.smoothing_cls(probs)

  def call(self, x, seed, beta=None, training=False):
    """One reparameterised draw. Returns a dict of ``[B, n]`` tensors (RBM order):

    ``zeta``, ``logits``, ``units`` (P(z=1 | zeta): the binary unit for spiky
    smoothings, soft for ramps), ``z`` (a binary draw of the discrete units) and, per
    example ``[B]``, ``extra_kl`` (eq. 22 term; 0 unless spike-and-Gaussian) and
    ``slab_log_ratio`` (sum over z=1 units of log r(zeta|1) - log q(zeta|1,x)).
    """
    x = tf.cast(x, tf.float32)
    batch = tf.shape(x)[0]
    rho = random_ops.stateless_uniform([batch, self.num_units], seed=seed)
    seed_z = tf.random.experimental.stateless_fold_in(seed, 1)
    zetas, logits_all, units, zs = [], [], [], []
    extra_kl = tf.zeros([batch])
    slab = tf.zeros([batch])
    for j, ((a, b), net) in enumerate(zip(self.bounds, self.nets)):
      inputs = tf.concat([x] + zetas, axis=-1)
      out = tf.cast(net(inputs, training=training), tf.float32)
      if self.gaussian:
        logits, loc, raw_scale = tf.split(out, 3, axis=-1)
        extra = (loc, raw_scale)
      else:
        logits, extra = out, None
      if self.logit_norms[j] is not None:
        logits = self.logit_norms[j](logits, training=training)
      dist = self._distribution(logits, extra, beta)
      zeta = dist.reparameterized_sample(rho[:, a:b])
      unit = dist.prob_one(zeta)
      if dist.has_spike:
        z = tf.cast(rho[:, a:b] > 1.0 - dist.probs, tf.float32)
      else:
        u = random_ops.stateless_uniform(tf.shape(zeta),
                                        seed=tf.random.experimental.stateless_fold_in(seed_z, j))
        z = tf.cast(u < unit, tf.float32)
      if self.gaussian:
        extra_kl += tf.reduce_sum(dist.extra_kl(), -1)
        slab += tf.reduce_sum(z * dist.slab_log_ratio(zeta), -1)
      zetas.append(zeta)
      logits_all.append(logits)
      units.append(unit)
      zs.append(z)
    return {"zeta": tf.concat(zetas, -1), "logits": tf.concat(logits_all, -1),
            "units": tf.concat(units, -1), "z": tf.concat(zs, -1),
            "extra_kl": extra_kl, "slab_log_ratio": slab}

  def prior_smoothing(self, z, beta=None):
    """r(zeta | z) of the prior (same family; spike-and-Gaussian uses its fixed prior)."""
    q = tf.cast(z, tf.float32)
    if self.gaussian:
      kw = dict(self.smoothing_kwargs)
      loc, scale = kw.get("prior_loc", 0.0), kw.get("prior_scale", 1.0)
      return self.smoothing_cls(q, loc=loc, scale=scale, **kw)
    if self.smoothing_cls is smoothing_lib.SpikeAndExponential:
      return self.smoothing_cls(q, beta=beta)
    return self.smoothing_cls(q)
