"""Flow posteriors: a diagonal Gaussian q0(z0|x) pushed through K invertible maps.

    z_K = f_K ∘ ... ∘ f_1(z_0),  z_0 = mu + sigma ⊙ eps                  (eq. 16, 28)
    log q_K(z_K) = log q_0(z_0) - Σ_k log |det ∂f_k/∂z_{k-1}|            (eq. 18)

The KL to N(0, I) has no closed form: the model estimates it by Monte Carlo,
log q_K(z_K) - log p(z_K) at the sampled z_K (eq. 12), with log q_K from
``experimental_sample_and_log_prob`` (forward pass plus forward log-det; no
inverse needed). ``moments(q)`` returns the base Gaussian's (mu, sigma).

* ``planar`` (section 4.4): K planar steps (eq. 26-29), parameters amortised (one
  (u, w, b) per data point, predicted from the encoder features as in Rezende &
  Mohamed 2015) or global (shared weights of the head); the K steps run as one
  ``PlanarFlowStack`` bijector (a loop: XLA compile time independent of K).
* ``iaf`` (section 4.5): K IAF steps (eq. 30-33); the encoder also outputs a
  context h fed into every MADE (Kingma et al. 2016).
"""
from typing import Sequence

import keras
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.bijectors.iaf import MADE, iaf_chain
from tfvae.bijectors.planar import PlanarFlowStack
from tfvae.registry import POSTERIORS

tfd = tfp.distributions


class _FlowPosterior(keras.layers.Layer):
  """Shared parts: the base Gaussian head and the flow's moments."""

  analytic_kl = False
  kl_per_dim = None  # no per-dimension decomposition of the Monte Carlo KL

  def __init__(self, latent_dim: int, extra_outputs: int = 0, min_scale: float = 1e-4,
               **kwargs):
    super().__init__(**kwargs)
    self.latent_dim = int(latent_dim)
    self.min_scale = float(min_scale)
    self.dense = keras.layers.Dense(2 * self.latent_dim + extra_outputs,
                                    name="loc_scale")

  def build(self, input_shape):
    self.dense.build(input_shape)
    for layer in getattr(self, "mades", ()):
      layer.build((None, self.latent_dim))
    self.built = True

  def base_and_extra(self, h):
    """q0 = N(mu, diag sigma^2) and the remaining head outputs (float32)."""
    params = tf.cast(self.dense(h), tf.float32)
    d = self.latent_dim
    loc, raw_scale, extra = params[..., :d], params[..., d:2 * d], params[..., 2 * d:]
    scale = tf.nn.softplus(raw_scale) + self.min_scale
    return tfd.MultivariateNormalDiag(loc=loc, scale_diag=scale), extra

  def moments(self, q):
    return q.distribution.mean(), q.distribution.stddev()


@POSTERIORS.register("planar")
class PlanarFlowPosterior(_FlowPosterior):
  """q0 followed by ``num_flows`` planar steps (eq. 26-29).

  ``amortized=True``: the head predicts (u_k, w_k, b_k) for every data point;
  ``amortized=False``: they are weights of the head shared by all data points
  (u, w ~ U(±1/sqrt(D)), b = 0). u is constrained to û (wᵀû > -1) inside the
  bijector, so the map stays invertible whatever the weights become.
  ``parameter_scale`` multiplies the amortized (u, w, b) the head predicts: under Adam it
  is their step size relative to the rest of the encoder (and their initial size).
  """

  def __init__(self, latent_dim: int, num_flows: int = 10, amortized: bool = True,
               min_scale: float = 1e-4, parameter_scale: float = 1.0, **kwargs):
    if not parameter_scale > 0:
      raise ValueError(f"parameter_scale must be > 0, got {parameter_scale}")
    self.parameter_scale = float(parameter_scale)
    num_flows = int(num_flows)
    per_flow = 2 * int(latent_dim) + 1
    super().__init__(latent_dim, extra_outputs=num_flows * per_flow if amortized else 0,
                     min_scale=min_scale, **kwargs)
    self.num_flows = num_flows
    self.amortized = bool(amortized)
    if not self.amortized and num_flows:
      init = keras.initializers.RandomUniform(-latent_dim ** -0.5, latent_dim ** -0.5)
      self.flow_u = self.add_weight(shape=(num_flows, self.latent_dim), name="u",
                                    initializer=init, dtype="float32")
      self.flow_w = self.add_weight(shape=(num_flows, self.latent_dim), name="w",
                                    initializer=init, dtype="float32")
      self.flow_b = self.add_weight(shape=(num_flows,), name="b",
                                    initializer="zeros", dtype="float32")

  def flow_parameters(self, extra):
    """(u, w, b): ``[..., K, D]``, ``[..., K, D]``, ``[..., K]``."""
    k, d = self.num_flows, self.latent_dim
    if self.amortized:
      extra = self.parameter_scale * extra
      batch = tf.shape(extra)[:-1]
      u = tf.reshape(extra[..., :k * d], tf.concat([batch, [k, d]], 0))
      w = tf.reshape(extra[..., k * d:2 * k * d], tf.concat([batch, [k, d]], 0))
      b = extra[..., 2 * k * d:]
      return u, w, b
    if not k:
      return tf.zeros([0, d]), tf.zeros([0, d]), tf.zeros([0])
    return (tf.convert_to_tensor(self.flow_u), tf.convert_to_tensor(self.flow_w),
            tf.convert_to_tensor(self.flow_b))

  def call(self, h):
    base, extra = self.base_and_extra(h)
    u, w, b = self.flow_parameters(extra)
    return tfd.TransformedDistribution(base, PlanarFlowStack(u, w, b))


@POSTERIORS.register("iaf")
class IAFPosterior(_FlowPosterior):
  """q0 followed by ``num_steps`` IAF steps (eq. 30-33) with context h.

  The head outputs (mu, sigma, h) with h of ``context_size``; each step has its own
  MADE (``hidden_sizes``, ``activation``); ``gate_bias`` is added to s so that
  sigma = sigmoid(s) starts near 1 (Kingma et al. 2016: "s sufficiently positive").
  """

  def __init__(self, latent_dim: int, num_steps: int = 2, context_size: int = 40,
               hidden_sizes: Sequence[int] = (320, 320), activation: str = "elu",
               gate_bias: float = 1.0, min_scale: float = 1e-4, **kwargs):
    super().__init__(latent_dim, extra_outputs=int(context_size), min_scale=min_scale,
                     **kwargs)
    self.num_steps = int(num_steps)
    self.context_size = int(context_size)
    self.gate_bias = float(gate_bias)
    self.mades = [MADE(self.latent_dim, hidden_sizes, context_size=self.context_size,
                       activation=activation, name=f"made_{k}")
                  for k in range(self.num_steps)]

  def call(self, h):
    base, context = self.base_and_extra(h)
    bijector = iaf_chain(self.mades, context if self.context_size else None,
                         self.gate_bias)
    return tfd.TransformedDistribution(base, bijector)
