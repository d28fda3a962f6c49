"""The per-step latent block of a VRNN: prior, approximate posterior, sampling and KL.

Chung et al. (2015), VRNN report section 2.2 (figures 3-4):

    prior      p(z_t | h_{t-1})      = N(mu_0,t, diag sigma_0,t^2),  [mu_0, sigma_0] = phi_prior(h_{t-1})
    posterior  q(z_t | x_t, h_{t-1}) = N(mu_z,t, diag sigma_z,t^2),  [mu_z, sigma_z] = phi_enc(phi_x(x_t), h_{t-1})
    z_t = mu_z,t + sigma_z,t * eps_t                                  (reparameterisation)
    KL(q || p) in closed form per step                                (report eq. 20)

The block is written for a fused, precomputed loop (``vrnn_cell``), and is the piece a
Gaussian-mixture VRNN replaces. Its contract:

* ``h_layers``: Dense layers reading ``h_{t-1}``; the cell evaluates them, fused with the
  LSTM's recurrent product, as one matmul per step and passes their pre-activations.
* ``x_layers``: Dense layers reading ``phi_x(x_t)``; evaluated for all steps before the loop.
* ``noise(lead_shape, seed)``: every random number a step needs, drawn up front (a nest
  of tensors with leading axes ``lead_shape``, e.g. ``[T, B]``).
* ``posterior_step(h_feats, x_feats, noise) -> (z, stats)``, ``prior_step(h_feats, noise)
  -> (z, stats)``: one step; ``stats`` is a flat dict of tensors stacked over time.
* optional, for speed: ``train_h_layers`` (the h-reading layers the *training* loop
  needs; default ``h_layers``), ``train_step(h_feats, x_feats, noise) -> (z, stats)`` (the
  loop's step; default ``posterior_step``) and ``complete_stats(outputs)`` (runs after the
  loop on the stacked outputs, e.g. the prior network on every ``h_prev`` at once).
* ``step_terms(stats, z)``: after the loop, on stacked ``[T, B, ...]`` values: per-step
  ``kl`` (the penalty of the bound), ``log_weight`` = log p(z_t|h) - log q(z_t|x, h) (for
  importance sampling; None where only a bound is available) and monitoring scalars.
"""
from typing import Sequence

import keras
import tensorflow as tf

from tfvae import random_ops
from tfvae.nets.mlp import MLP


class ConditionedHead(keras.layers.Layer):
  """An MLP whose first layer is split into per-input Dense layers (fusable).

  ``first_layers[i]`` reads input ``i``; the MLP's first hidden layer is
  ``act(sum_i first_layers[i](u_i))``, then ``rest`` maps it to ``output_size`` linear
  outputs. With no hidden sizes the first layers are the (linear) output layer.
  """

  def __init__(self, input_names: Sequence[str], hidden_sizes: Sequence[int],
               output_size: int, activation: str = "relu", **kwargs):
    super().__init__(**kwargs)
    hidden_sizes = tuple(int(h) for h in hidden_sizes)
    self.linear = not hidden_sizes
    first = hidden_sizes[0] if hidden_sizes else int(output_size)
    self.activation = keras.activations.get(activation)
    self.first_layers = {
        name: keras.layers.Dense(first, use_bias=(i == 0), name=f"{self.name}_in_{name}")
        for i, name in enumerate(input_names)}
    self.rest = None if self.linear else MLP(hidden_sizes[1:], activation,
                                             output_size=int(output_size),
                                             name=f"{self.name}_out")

  def build_inputs(self, sizes):
    """Builds the first layers for inputs of the given ``{name: size}``."""
    for name, layer in self.first_layers.items():
      if not layer.built:
        layer.build((None, int(sizes[name])))
    if self.rest is not None and not self.rest.built:
      first = self.first_layers[next(iter(self.first_layers))].units
      self.rest(tf.zeros([1, first], self.compute_dtype))  # MLP builds on first call
    self.built = True

  def finish(self, pre_activations):
    """Output from the summed first-layer pre-activations."""
    pre = tf.add_n(list(pre_activations)) if len(pre_activations) > 1 else pre_activations[0]
    if self.linear:
      return pre
    return self.rest(self.activation(pre))


class HeadedLatent(keras.layers.Layer):
  """Base of the per-step latents: ``prior_heads`` read ``h_{t-1}`` alone, ``encoder_heads``
  read ``h_{t-1}`` and ``phi_x(x_t)``; this gives the contract's ``build_inputs``,
  ``h_layers`` (prior heads first) and ``x_layers`` from those two lists."""

  @property
  def prior_heads(self):
    return [self.prior_net]

  @property
  def encoder_heads(self):
    return [self.encoder_net]

  def build_inputs(self, h_size: int, x_size: int):
    for head in self.prior_heads:
      head.build_inputs({"h": h_size})
    for head in self.encoder_heads:
      head.build_inputs({"h": h_size, "x": x_size})
    self.built = True

  # --------------------------------------------------------------- contract
  @property
  def h_layers(self):
    return [head.first_layers["h"] for head in self.prior_heads + self.encoder_heads]

  @property
  def x_layers(self):
    return [head.first_layers["x"] for head in self.encoder_heads]


class GaussianLatent(HeadedLatent):
  """Diagonal-Gaussian prior and posterior over ``z_t`` of size ``latent_dim``.

  sigma = softplus(raw) + ``min_scale``. The prior reads ``h_{t-1}``; the encoder reads
  ``phi_x(x_t)`` and ``h_{t-1}``.
  """

  def __init__(self, latent_dim: int, prior_sizes: Sequence[int] = (256,),
               encoder_sizes: Sequence[int] = (256,), activation: str = "relu",
               min_scale: float = 1e-4, **kwargs):
    super().__init__(**kwargs)
    self.latent_dim = int(latent_dim)
    self.min_scale = float(min_scale)
    self.prior_net = ConditionedHead(["h"], prior_sizes, 2 * self.latent_dim, activation,
                                     name="prior")
    self.encoder_net = ConditionedHead(["h", "x"], encoder_sizes, 2 * self.latent_dim,
                                       activation, name="encoder")

  def noise(self, lead_shape, seed):
    return random_ops.stateless_normal(tf.concat([lead_shape, [self.latent_dim]], 0),
                                      seed=seed)

  def _loc_scale(self, params):
    loc, raw = tf.split(tf.cast(params, tf.float32), 2, axis=-1)
    return loc, tf.nn.softplus(raw) + self.min_scale

  def prior_step(self, h_feats, noise):
    prior_loc, prior_scale = self._loc_scale(self.prior_net.finish([h_feats[0]]))
    z = prior_loc + prior_scale * noise
    return z, {"prior_loc": prior_loc, "prior_scale": prior_scale}

  def posterior_step(self, h_feats, x_feats, noise):
    prior_loc, prior_scale = self._loc_scale(self.prior_net.finish([h_feats[0]]))
    post_loc, post_scale = self._loc_scale(self.encoder_net.finish([h_feats[1], x_feats[0]]))
    z = post_loc + post_scale * noise
    return z, {"prior_loc": prior_loc, "prior_scale": prior_scale,
               "post_loc": post_loc, "post_scale": post_scale}

  #: the training step's pre-activation for h layer i is h_feats[i] + x_feats[i]
  #: (lets the cell defer the fused kernel's weight gradient; see vrnn_cell).
  linear_h_x = True

  # The prior reads only h_{t-1}, which the loop stacks anyway: the training loop runs
  # the encoder alone and the prior network runs once on all steps afterwards.
  @property
  def train_h_layers(self):
    return [self.encoder_net.first_layers["h"]]

  def train_step(self, h_feats, x_feats, noise):
    post_loc, post_scale = self._loc_scale(self.encoder_net.finish([h_feats[0], x_feats[0]]))
    return post_loc + post_scale * noise, {"post_loc": post_loc, "post_scale": post_scale}

  def complete_stats(self, outputs):
    h_prev = outputs["h_prev"]
    params = self.prior_net.finish([self.prior_net.first_layers["h"](h_prev)])
    prior_loc, prior_scale = self._loc_scale(params)
    return dict(outputs, prior_loc=prior_loc, prior_scale=prior_scale)

  def step_terms(self, stats, z):
    """Per-position KL(q || p) (eq. 20), log p(z) - log q(z) and mean scales."""
    mp, sp = stats["prior_loc"], stats["prior_scale"]
    mq, sq = stats["post_loc"], stats["post_scale"]
    ratio = tf.square(sq / sp)
    kl = 0.5 * tf.reduce_sum(ratio + tf.square((mq - mp) / sp) - 1.0 - tf.math.log(ratio), -1)
    log_weight = tf.reduce_sum(
        -0.5 * tf.square((z - mp) / sp) - tf.math.log(sp)
        + 0.5 * tf.square((z - mq) / sq) + tf.math.log(sq), -1)
    return {"kl": kl, "log_weight": log_weight,
            "prior_scale": tf.reduce_mean(sp, -1), "posterior_scale": tf.reduce_mean(sq, -1)}
