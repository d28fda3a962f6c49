"""Gaussian-mixture VRNN, variational version (VRNN report section 5.2, eq. 9-19).

Per step, the latent block ``gmvrnn_latents.VariationalMixtureLatent`` has w_t ~ p(w|h)
(phi_prior_w, eq. 9), v_t ~ Cat(pi_0) (eq. 10), z_t | v_t, w_t ~ N(phi_GM^(v)(w_t)) (eq. 11),
posteriors q(w_t | x_t, h) and q(z_t | x_t, h) (eq. 13-14) and p(v_t | z_t, w_t) (eq. 15).
The objective is eq. 19 with M samples per step, summed over the valid steps:

    eq19 = sum_t m_t [ (1/M) sum_j log p(x_t | z^(j), h)
                       - conditional prior - w-prior - v-prior ]

Eq. 19 (like eq. 13 of Dilokthanakul et al.) is an approximation of the ELBO, so the
reported ``elbo`` uses the unbiased exact form (``gmvae_terms`` docstring)

    elbo = sum_t m_t [ (1/M) sum_j log p(x_t | z^(j), h) - KL(q(w) || p(w))
                       - (1/M) sum_j (log q(z^(j)) - log p(z^(j) | w^(j))) ]

from the same samples. ``kl_estimator`` picks the KL in ``loss``: ``eq19`` (the paper,
default) or ``exact``; ``kl`` reports that KL, ``kl_exact`` the exact one, and
``kl_conditional``/``kl_w``/``kl_v`` eq. 19's three terms (their sum is eq. 19's KL; all
in nats per sequence).
"""
from typing import Sequence

import tensorflow as tf

from tfvae.models.recurrent.gmvrnn_latents import VariationalMixtureLatent
from tfvae.models.recurrent.sequence_model import masked_mean, unpack_batch
from tfvae.models.recurrent.vrnn import VRNN
from tfvae.registry import MODELS

KL_ESTIMATORS = ("eq19", "exact")
_PER_SEQUENCE = ("kl", "kl_exact", "kl_conditional", "kl_w", "kl_v", "log_weight")


@MODELS.register("gmvrnn_variational")
class VariationalMixtureVRNN(VRNN):
  """VRNN with the GMVAE latent (w_t, v_t, z_t) and the bound of eq. 19.

  ``latent_components``: K; ``w_dim``: size of w_t (default ``latent_dim``);
  ``num_samples``: M of eq. 19; ``gm_sizes``: hidden sizes of phi_GM.
  """

  extra_term_names = ("prior_scale", "posterior_scale", "w_posterior_scale",
                      "kl_exact", "kl_conditional", "kl_w", "kl_v")

  def __init__(self, input_size: int, latent_components: int = 3, w_dim: int = None,
               num_samples: int = 1, gm_sizes: Sequence[int] = (256,),
               kl_estimator: str = "eq19", **kwargs):
    if kl_estimator not in KL_ESTIMATORS:
      raise ValueError(f"kl_estimator must be one of {KL_ESTIMATORS}, got {kl_estimator!r}")
    self.latent_components = int(latent_components)
    self.w_dim = None if w_dim is None else int(w_dim)
    self.num_samples = int(num_samples)
    self.gm_sizes = tuple(int(s) for s in gm_sizes)
    self.kl_estimator = kl_estimator
    super().__init__(input_size=input_size, **kwargs)

  def make_latent(self):
    return VariationalMixtureLatent(
        self.latent_dim, self.w_dim, self.latent_components, self.num_samples,
        self.prior_sizes, self.encoder_sizes, self.gm_sizes, self.activation,
        self.latent_min_scale, name="latent")

  # ------------------------------------------------------------------ maths
  def _extra_reconstructions(self, outputs, x_tm):
    """log p(x_t | z^(j), h_{t-1}) for samples j = 2..M: ``[T, B, M - 1]``."""
    z_extra = outputs["z_samples"][:, :, 1:]
    phi_z = self.cell.phi_z(tf.cast(z_extra, self.compute_dtype))
    h_prev = outputs["h_prev"][:, :, None, :]
    h_prev = tf.broadcast_to(h_prev, tf.concat([tf.shape(phi_z)[:-1],
                                                tf.shape(h_prev)[-1:]], 0))
    params = self.cell.decode(phi_z, h_prev)
    return self.output_head.log_prob(params, x_tm[:, :, None, :])

  def sequence_terms(self, x, mask, seed):
    """As ``VRNN.sequence_terms`` with the M-sample reconstruction of eq. 19, every KL
    term summed per sequence, and ``reconstruction_first`` (sample 1 only, the one the
    importance weight ``log_weight`` belongs to)."""
    x_tm = tf.transpose(x, [1, 0, 2])
    mask_tm = tf.transpose(mask)
    noise = self.latent.noise(tf.shape(x_tm)[:2], seed)
    outputs, params = self.run_inference(x_tm, noise)
    first, monitor = self.output_terms(params, x_tm, mask_tm)
    step_first = self.output_head.log_prob(params, x_tm)
    step_reconstruction = step_first
    if self.num_samples > 1:
      extra = self._extra_reconstructions(outputs, x_tm)
      step_reconstruction = (step_first + tf.reduce_sum(extra, -1)) / self.num_samples
    steps = self.latent.step_terms(outputs, outputs["z"])
    per_seq = {k: tf.reduce_sum(steps[k] * mask_tm, 0) for k in _PER_SEQUENCE}
    for name, value in steps.items():
      if name not in _PER_SEQUENCE:
        monitor[name] = masked_mean(value, mask_tm)
    return {"reconstruction": tf.reduce_sum(step_reconstruction * mask_tm, 0),
            "reconstruction_first": first, **per_seq, "steps": steps,
            "step_reconstruction": step_reconstruction, "monitor": monitor}

  def loss_terms(self, x, training=False):
    x, mask = unpack_batch(x)
    terms = self.sequence_terms(x, mask, self.next_seed())
    mean = {k: tf.reduce_mean(terms[k]) for k in ("reconstruction",) + _PER_SEQUENCE}
    kl = mean["kl"] if self.kl_estimator == "eq19" else mean["kl_exact"]
    reconstruction = mean["reconstruction"]
    loss = -(reconstruction - self.kl_discount * self.kl_weight * kl)
    return {"loss": loss, "elbo": reconstruction - mean["kl_exact"],
            "reconstruction": reconstruction, "kl": kl, "kl_exact": mean["kl_exact"],
            "kl_conditional": mean["kl_conditional"], "kl_w": mean["kl_w"],
            "kl_v": mean["kl_v"], **terms["monitor"]}

  def log_importance_weights(self, x, num_samples, seed):
    """``sum_t m_t [log p(x_t|z_t,h) + log p(z_t, w_t|h) - log q(z_t, w_t|x_t,h)]``
    (v summed out) for the first of the M samples: ``[S, B]``."""
    x, mask = unpack_batch(x)
    batch = tf.shape(x)[0]
    tile = lambda a: tf.reshape(tf.repeat(a[None], num_samples, 0),
                                tf.concat([[num_samples * batch], tf.shape(a)[1:]], 0))
    terms = self.sequence_terms(tile(x), tile(mask), seed)
    weights = terms["reconstruction_first"] + terms["log_weight"]
    return tf.reshape(weights, [num_samples, batch])
