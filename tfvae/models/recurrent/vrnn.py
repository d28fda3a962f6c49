"""Variational recurrent neural network (Chung et al. 2015; VRNN report section 2.2).

Per step t (figures 3-4): prior p(z_t|h_{t-1}), posterior q(z_t|x_t, h_{t-1}), output
p(x_t|z_t, h_{t-1}) and LSTM transition h_t = f(phi_x(x_t), phi_z(z_t), h_{t-1}). The bound
per sequence sums the step-wise VAE bounds over the valid (mask = 1) steps:

    ELBO = sum_t m_t ( E_q[log p(x_t | z_t, h_{t-1})] - KL(q(z_t|x_t,h_{t-1}) || p(z_t|h_{t-1})) )

with the KL in closed form (eq. 20). The training loss weights the KL by ``kl_weight``
(beta, for warm-up schedules) and by the constant ``kl_discount`` (section 4.2 tries 0.1):

    loss = -( reconstruction - kl_discount * beta * KL );   ``elbo`` is always the true bound.

Multi-layer transitions (``num_layers``, 2 x 1500 in section 4.2) condition prior, encoder
and decoder on the top layer's h. The latent block is built by ``make_latent`` so the
Gaussian-mixture VRNNs (section 5) only replace that block.
"""
from typing import Sequence

import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.models.recurrent.sequence_model import SequenceModel, masked_mean, unpack_batch
from tfvae.models.recurrent.vrnn_cell import VRNNCell
from tfvae.models.recurrent.vrnn_latent import GaussianLatent
from tfvae.models.recurrent.vrnn_loop import run_loop
from tfvae.registry import MODELS


@MODELS.register("vrnn")
class VRNN(SequenceModel):
  """VRNN with a diagonal-Gaussian latent z_t of size ``latent_dim`` per step."""

  extra_term_names = ("prior_scale", "posterior_scale")

  def __init__(self, input_size: int, latent_dim: int = 16, rnn_units: int = 256,
               num_layers: int = 1, phi_x_sizes: Sequence[int] = (256,),
               phi_z_sizes: Sequence[int] = (256,), prior_sizes: Sequence[int] = (256,),
               encoder_sizes: Sequence[int] = (256,), decoder_sizes: Sequence[int] = (256,),
               activation: str = "relu", kl_discount: float = 1.0, loop: str = "auto",
               latent_min_scale: float = 1e-4, defer_weight_gradients: bool = True,
               **kwargs):
    super().__init__(input_size=input_size, **kwargs)
    self.latent_dim = int(latent_dim)
    self.kl_discount = float(kl_discount)
    self.loop = loop
    self.defer_weight_gradients = bool(defer_weight_gradients)
    self.activation = activation
    self.prior_sizes = tuple(prior_sizes)
    self.encoder_sizes = tuple(encoder_sizes)
    self.latent_min_scale = float(latent_min_scale)
    self.cell = VRNNCell(self.input_size, self.make_latent(), self.output_head,
                         phi_x_sizes=phi_x_sizes, phi_z_sizes=phi_z_sizes,
                         decoder_sizes=decoder_sizes, rnn_units=rnn_units,
                         num_layers=num_layers, activation=activation, name="cell")

  def make_latent(self):
    """The per-step latent block (see ``vrnn_latent``); GMVRNNs override this."""
    return GaussianLatent(self.latent_dim, self.prior_sizes, self.encoder_sizes,
                          self.activation, self.latent_min_scale, name="latent")

  @property
  def latent(self):
    return self.cell.latent

  # ------------------------------------------------------------------ maths
  def run_inference(self, x_tm, noise):
    """The training loop over time-major ``x_tm`` ``[T, B, D]``; returns the stacked
    step outputs (``h_prev``, ``phi_z``, ``z``, latent stats) and the output params."""
    cell = self.cell
    consts = cell.prepare(training=True)
    pre = cell.precompute(tf.cast(x_tm, self.compute_dtype))
    holder = {}
    if self.defer_weight_gradients and cell.can_defer_weight_gradients():
      pre, consts = cell.defer_weight_gradients(pre, consts, holder)
    inputs = {"x_feats": pre["x_feats"], "gates_x": pre["gates_x"], "noise": noise}
    state = cell.initial_state(tf.shape(x_tm)[1])
    step = lambda inputs_t, state: cell.infer_step(inputs_t, state, consts)
    outputs, _ = run_loop(step, inputs, state, self.loop)
    holder.update(h_prev=outputs["h_prev"], phi_z=outputs["phi_z"])
    outputs = cell.complete(outputs)
    params = cell.decode(outputs["phi_z"], outputs["h_prev"])
    return outputs, params

  def sequence_terms(self, x, mask, seed):
    """Per-sequence ``reconstruction``, ``kl``, ``log_weight`` ``[B]``, the per-step
    terms ``[T, B]`` and masked monitoring means."""
    x_tm = tf.transpose(x, [1, 0, 2])
    mask_tm = tf.transpose(mask)
    noise = self.latent.noise(tf.shape(x_tm)[:2], seed)
    outputs, params = self.run_inference(x_tm, noise)
    reconstruction, monitor = self.output_terms(params, x_tm, mask_tm)
    steps = self.latent.step_terms(outputs, outputs["z"])
    per_seq = {k: tf.reduce_sum(steps[k] * mask_tm, 0)
               for k in ("kl", "log_weight") if steps.get(k) is not None}
    for name, value in steps.items():
      if name not in ("kl", "log_weight") and value is not None:
        monitor[name] = masked_mean(value, mask_tm)
    return {"reconstruction": reconstruction, **per_seq, "steps": steps,
            "step_reconstruction": self.output_head.log_prob(params, x_tm),
            "monitor": monitor}

  def loss_terms(self, x, training=False):
    x, mask = unpack_batch(x)
    terms = self.sequence_terms(x, mask, self.next_seed())
    reconstruction = tf.reduce_mean(terms["reconstruction"])
    kl = tf.reduce_mean(terms["kl"])
    beta = tf.cast(self.kl_weight, tf.float32)  # call() autocasts variables to bf16
    loss = -(reconstruction - self.kl_discount * beta * kl)
    return {"loss": loss, "elbo": reconstruction - kl, "reconstruction": reconstruction,
            "kl": kl, **terms["monitor"]}

  def step_profile(self, x, seed=(0, 0)):
    """Per-step batch means ``[T]`` of KL and reconstruction over valid sequences."""
    x, mask = unpack_batch(x)
    terms = self.sequence_terms(x, mask, tf.constant(seed, tf.int32))
    mask_tm = tf.transpose(mask)
    count = tf.maximum(tf.reduce_sum(mask_tm, 1), 1.0)
    return {"kl": tf.reduce_sum(terms["steps"]["kl"] * mask_tm, 1) / count,
            "reconstruction": tf.reduce_sum(terms["step_reconstruction"] * mask_tm, 1) / count}

  def log_importance_weights(self, x, num_samples, seed):
    """``sum_t m_t [log p(x_t|z_t,h) + log p(z_t|h) - log q(z_t|x_t,h)]`` ``[S, B]``."""
    x, mask = unpack_batch(x)
    batch = tf.shape(x)[0]
    tile = lambda a: tf.reshape(tf.repeat(a[None], num_samples, 0),
                                tf.concat([[num_samples * batch], tf.shape(a)[1:]], 0))
    terms = self.sequence_terms(tile(x), tile(mask), seed)
    if "log_weight" not in terms:
      raise NotImplementedError(f"{type(self).__name__} has no importance weights")
    weights = terms["reconstruction"] + terms["log_weight"]
    return tf.reshape(weights, [num_samples, batch])

  # ------------------------------------------------------------- generation
  def _generate(self, batch_size, length, seed, given_x=None, given=None, temperature=1.0):
    cell = self.cell
    consts = cell.prepare()
    seed = tf.cast(seed, tf.int32)

    def step(t, state, given_t, mask_t):
      seed_z, seed_x = tfp.random.split_seed(
          tf.random.experimental.stateless_fold_in(seed, t), 2)
      noise = self.latent.noise(tf.reshape(batch_size, [1]), seed_z)
      return cell.generate_step(state, consts, noise, seed_x, given_t, mask_t,
                                temperature=temperature)

    return self._generation_loop(step, cell.initial_state(batch_size), length, given_x,
                                 given)

