"""Gaussian-mixture latent blocks for the VRNN cell (VRNN report section 5).

Both follow the latent-block contract of ``vrnn_latent`` (``h_layers``, ``x_layers``,
``noise``, ``prior_step``, ``posterior_step``, ``step_terms``), so ``VRNNCell`` runs them in
its fused loop unchanged.

``GumbelMixtureLatent`` (section 5.1): prior and posterior over z_t are K-component
diagonal mixtures, [pi, mu_k, sigma_k] = phi_prior(h_{t-1}) and phi_enc(phi_x(x_t), h_{t-1});
training samples z_t by Gumbel-softmax over components with per-component
reparameterisation (eq. 4-8) at temperature ``temperature`` (a non-trainable variable that
a schedule anneals, tau = max(0.5, exp(-r step))); the KL is the matched bound (eq. 3).
Outside training (evaluation, importance weights, generation) z_t is an exact mixture
sample (Gumbel-max), so ``reconstruction - KL_matched`` is then a true lower bound.

``VariationalMixtureLatent`` (section 5.2): w_t, v_t, z_t with phi_prior_w (eq. 9-10),
phi_GM^(k) (eq. 11), phi_enc_w (eq. 13), phi_enc_z (eq. 14), v posterior of eq. 15 and the
per-step terms of eq. 19 with M samples (``tfvae.distributions.gmvae_terms``). The first
of the M samples of z_t feeds the recurrence; all M enter the expectations.
"""
import contextlib
from typing import Sequence

import keras
import tensorflow as tf

from tfvae import random_ops
from tfvae.distributions import gaussian_mixture as gm
from tfvae.distributions import gmvae_terms as gt
from tfvae.models.recurrent.vrnn_latent import ConditionedHead, HeadedLatent
from tfvae.nets.mlp import MLP

SAMPLINGS = ("relaxed", "straight_through")


def _split_mixture(params, k: int, d: int, min_scale: float):
  """``[..., K + 2KD]`` -> ``(logits [..., K], loc [..., K, D], scale [..., K, D])``."""
  params = tf.cast(params, tf.float32)
  lead = tf.shape(params)[:-1]
  logits = params[..., :k]
  loc, raw = tf.split(params[..., k:], 2, axis=-1)
  loc = tf.reshape(loc, tf.concat([lead, [k, d]], 0))
  scale = tf.nn.softplus(tf.reshape(raw, tf.concat([lead, [k, d]], 0))) + min_scale
  return logits, loc, scale


def _split_gaussian(params, min_scale: float):
  loc, raw = tf.split(tf.cast(params, tf.float32), 2, axis=-1)
  return loc, tf.nn.softplus(raw) + min_scale


def _pick_component(v_index, loc, scale, eps):
  """loc_v + scale_v * eps for a component index ``v_index [...]``."""
  loc_v = tf.gather(loc, v_index, axis=-2, batch_dims=len(v_index.shape))
  scale_v = tf.gather(scale, v_index, axis=-2, batch_dims=len(v_index.shape))
  return loc_v + scale_v * eps


class GumbelMixtureLatent(HeadedLatent):
  """K-component diagonal-mixture prior and posterior; Gumbel-softmax sampling."""

  def __init__(self, latent_dim: int, num_components: int = 3,
               prior_sizes: Sequence[int] = (256,), encoder_sizes: Sequence[int] = (256,),
               activation: str = "relu", min_scale: float = 1e-4,
               sampling: str = "relaxed", initial_temperature: float = 1.0, **kwargs):
    super().__init__(**kwargs)
    if sampling not in SAMPLINGS:
      raise ValueError(f"sampling must be one of {SAMPLINGS}, got {sampling!r}")
    self.latent_dim = int(latent_dim)
    self.num_components = int(num_components)
    self.min_scale = float(min_scale)
    self.sampling = sampling
    size = self.num_components * (1 + 2 * self.latent_dim)
    self.prior_net = ConditionedHead(["h"], prior_sizes, size, activation, name="prior")
    self.encoder_net = ConditionedHead(["h", "x"], encoder_sizes, size, activation,
                                       name="encoder")
    #: Gumbel-softmax temperature tau; schedules assign it (``exp_rate``, floor 0.5).
    self.temperature = self.add_weight(
        shape=(), dtype="float32", trainable=False, name="temperature",
        initializer=keras.initializers.Constant(float(initial_temperature)))
    self._relaxed = False

  @contextlib.contextmanager
  def relaxed(self, enabled: bool = True):
    """Within the block (at trace time), posterior samples are relaxed (eq. 5-8);
    outside it they are exact mixture samples (Gumbel-max)."""
    previous, self._relaxed = self._relaxed, bool(enabled)
    try:
      yield
    finally:
      self._relaxed = previous

  def noise(self, lead_shape, seed):
    seed_g, seed_e = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
    k, d = self.num_components, self.latent_dim
    return {"gumbel": gm.gumbel_noise(tf.concat([lead_shape, [k]], 0), seed_g),
            "eps": random_ops.stateless_normal(tf.concat([lead_shape, [k, d]], 0), seed=seed_e)}

  def _mixture(self, params):
    return _split_mixture(params, self.num_components, self.latent_dim, self.min_scale)

  def prior_step(self, h_feats, noise):
    logits, loc, scale = self._mixture(self.prior_net.finish([h_feats[0]]))
    v_index = tf.argmax(tf.nn.log_softmax(logits) + noise["gumbel"], axis=-1)
    z = _pick_component(v_index, loc, scale, tf.gather(
        noise["eps"], v_index, axis=-2, batch_dims=len(v_index.shape)))
    return z, {"prior_logits": logits, "prior_loc": loc, "prior_scale": scale}

  def posterior_step(self, h_feats, x_feats, noise):
    p_logits, p_loc, p_scale = self._mixture(self.prior_net.finish([h_feats[0]]))
    q_logits, q_loc, q_scale = self._mixture(
        self.encoder_net.finish([h_feats[1], x_feats[0]]))
    z, _ = gm.mixture_sample_from_noise(
        q_logits, q_loc, q_scale, noise["gumbel"], noise["eps"], self.temperature,
        hard=not self._relaxed,
        straight_through=self._relaxed and self.sampling == "straight_through")
    return z, {"prior_logits": p_logits, "prior_loc": p_loc, "prior_scale": p_scale,
               "post_logits": q_logits, "post_loc": q_loc, "post_scale": q_scale}

  def step_terms(self, stats, z):
    """Matched-bound KL (eq. 3), log p(z) - log q(z) (exact for exact samples) and
    monitoring: mean component scales and the posterior's largest weight."""
    log_p = tf.nn.log_softmax(stats["prior_logits"])
    log_q = tf.nn.log_softmax(stats["post_logits"])
    kl = gm.matched_bound_kl_from_parameters(log_q, stats["post_loc"], stats["post_scale"],
                                             log_p, stats["prior_loc"], stats["prior_scale"])
    log_weight = (gt.mixture_log_prob(log_p, z, stats["prior_loc"], stats["prior_scale"])
                  - gt.mixture_log_prob(log_q, z, stats["post_loc"], stats["post_scale"]))
    return {"kl": kl, "log_weight": log_weight,
            "prior_scale": tf.reduce_mean(stats["prior_scale"], [-2, -1]),
            "posterior_scale": tf.reduce_mean(stats["post_scale"], [-2, -1]),
            "posterior_max_weight": tf.reduce_max(tf.exp(log_q), -1)}


class VariationalMixtureLatent(HeadedLatent):
  """GMVAE-style latent (w_t, v_t, z_t) per step with the bound of eq. 19."""

  def __init__(self, latent_dim: int, w_dim: int = None, num_components: int = 3,
               num_samples: int = 1, prior_sizes: Sequence[int] = (256,),
               encoder_sizes: Sequence[int] = (256,), gm_sizes: Sequence[int] = (256,),
               activation: str = "relu", min_scale: float = 1e-4, **kwargs):
    super().__init__(**kwargs)
    self.latent_dim = int(latent_dim)
    self.w_dim = int(w_dim or latent_dim)
    self.num_components = int(num_components)
    self.num_samples = int(num_samples)
    if self.num_samples < 1:
      raise ValueError(f"num_samples (M) must be >= 1, got {num_samples}")
    self.min_scale = float(min_scale)
    k, d, dw = self.num_components, self.latent_dim, self.w_dim
    self.prior_net = ConditionedHead(["h"], prior_sizes, 2 * dw + k, activation,
                                     name="prior_w")                       # eq. 9-10
    self.encoder_w = ConditionedHead(["h", "x"], encoder_sizes, 2 * dw, activation,
                                     name="encoder_w")                     # eq. 13
    self.encoder_z = ConditionedHead(["h", "x"], encoder_sizes, 2 * d, activation,
                                     name="encoder_z")                     # eq. 14
    self.gm_net = MLP(gm_sizes, activation, output_size=2 * k * d, name="gm")  # eq. 11

  @property
  def encoder_heads(self):
    return [self.encoder_w, self.encoder_z]

  def build_inputs(self, h_size: int, x_size: int):
    super().build_inputs(h_size, x_size)
    size = self.w_dim
    for layer in self.gm_net.layers:  # MLP has no build(): build its Dense layers
      if not layer.built:
        layer.build((None, size))
      size = layer.units
    self.gm_net.built = True
    self.built = True

  def noise(self, lead_shape, seed):
    seeds = tf.unstack(tf.random.experimental.stateless_split(seed, 3))
    m, k = self.num_samples, self.num_components
    return {"eps_z": random_ops.stateless_normal(
                tf.concat([lead_shape, [m, self.latent_dim]], 0), seed=seeds[0]),
            "eps_w": random_ops.stateless_normal(
                tf.concat([lead_shape, [m, self.w_dim]], 0), seed=seeds[1]),
            "gumbel": gm.gumbel_noise(tf.concat([lead_shape, [k]], 0), seeds[2])}

  def mixture(self, w):
    """phi_GM^(k)(w) for all k: ``(loc_k, scale_k)`` ``[..., K, D]`` (eq. 11)."""
    params = tf.cast(self.gm_net(tf.cast(w, self.compute_dtype)), tf.float32)
    lead = tf.shape(params)[:-1]
    loc, raw = tf.split(params, 2, axis=-1)
    shape = tf.concat([lead, [self.num_components, self.latent_dim]], 0)
    return (tf.reshape(loc, shape),
            tf.nn.softplus(tf.reshape(raw, shape)) + self.min_scale)

  def _prior(self, h_feat):
    params = tf.cast(self.prior_net.finish([h_feat]), tf.float32)
    dw = self.w_dim
    loc, scale = _split_gaussian(params[..., :2 * dw], self.min_scale)
    return loc, scale, params[..., 2 * dw:]

  def prior_step(self, h_feats, noise):
    """Generation (eq. 9-11): w ~ p(w|h), v ~ Cat(pi_0) by Gumbel-max, z ~ N_v(w)."""
    w_loc, w_scale, logits = self._prior(h_feats[0])
    w = w_loc + w_scale * noise["eps_w"][..., 0, :]
    loc_k, scale_k = self.mixture(w)
    v_index = tf.argmax(tf.nn.log_softmax(logits) + noise["gumbel"], axis=-1)
    z = _pick_component(v_index, loc_k, scale_k, noise["eps_z"][..., 0, :])
    return z, {"prior_w_loc": w_loc, "prior_w_scale": w_scale, "prior_logits": logits}

  def posterior_step(self, h_feats, x_feats, noise):
    """q(w|x,h), q(z|x,h) (eq. 13-14) and M reparameterised samples of each; the
    first z sample is the one that feeds the recurrence."""
    w_loc, w_scale, logits = self._prior(h_feats[0])
    qw_loc, qw_scale = _split_gaussian(self.encoder_w.finish([h_feats[1], x_feats[0]]),
                                       self.min_scale)
    qz_loc, qz_scale = _split_gaussian(self.encoder_z.finish([h_feats[2], x_feats[1]]),
                                       self.min_scale)
    z_samples = qz_loc[..., None, :] + qz_scale[..., None, :] * noise["eps_z"]
    w_samples = qw_loc[..., None, :] + qw_scale[..., None, :] * noise["eps_w"]
    return z_samples[..., 0, :], {
        "prior_w_loc": w_loc, "prior_w_scale": w_scale, "prior_logits": logits,
        "post_w_loc": qw_loc, "post_w_scale": qw_scale,
        "post_loc": qz_loc, "post_scale": qz_scale,
        "z_samples": z_samples, "w_samples": w_samples}

  def step_terms(self, stats, z):
    """Eq. 19's KL terms per position (averaged over the M samples), their sum ``kl``,
    the unbiased exact latent KL ``kl_exact``, log p(z, w) - log q(z, w) of the first
    sample (importance weight, v summed out) and monitoring scales."""
    # Sample axis first: [M, T, B, ...]; per-step parameters broadcast over it.
    to_front = lambda a: tf.transpose(
        a, [a.shape.rank - 2] + list(range(a.shape.rank - 2)) + [a.shape.rank - 1])
    z_s, w_s = to_front(stats["z_samples"]), to_front(stats["w_samples"])
    log_pi = tf.nn.log_softmax(stats["prior_logits"])
    terms = gt.eq19_terms_from_samples(
        z_s, w_s, stats["post_loc"], stats["post_scale"], stats["post_w_loc"],
        stats["post_w_scale"], stats["prior_w_loc"], stats["prior_w_scale"], log_pi,
        self.mixture)
    kl = terms["conditional_prior"] + terms["w_prior"] + terms["v_prior"]
    w0, z0 = w_s[0], z_s[0]
    log_weight = (
        gt.diag_gaussian_log_prob(w0, stats["prior_w_loc"], stats["prior_w_scale"])
        + gt.mixture_log_prob(log_pi, z0, terms["loc_k"][0], terms["scale_k"][0])
        - gt.diag_gaussian_log_prob(w0, stats["post_w_loc"], stats["post_w_scale"])
        - gt.diag_gaussian_log_prob(z0, stats["post_loc"], stats["post_scale"]))
    return {"kl": kl, "kl_exact": terms["latent_kl_exact"],
            "kl_conditional": terms["conditional_prior"], "kl_w": terms["w_prior"],
            "kl_v": terms["v_prior"], "log_weight": log_weight,
            "prior_scale": tf.reduce_mean(terms["scale_k"], [0, -2, -1]),
            "posterior_scale": tf.reduce_mean(stats["post_scale"], -1),
            "w_posterior_scale": tf.reduce_mean(stats["post_w_scale"], -1)}
