"""One VRNN time step, split so the training loop does as little as possible per step.

Chung et al. (2015); VRNN report section 2.2, figures 3 (training) and 4 (generation):

    phi_x(x_t), phi_z(z_t)                                feature extractors
    z_t ~ q(z_t | x_t, h_{t-1})  (training)  or  p(z_t | h_{t-1})  (generation)
    x_t ~ p(x_t | z_t, h_{t-1}) = output(phi_dec(phi_z(z_t), h_{t-1}))
    h_t = LSTM([phi_x(x_t), phi_z(z_t)], h_{t-1})          transition f_theta

Training knows every x_t in advance, so (measured in docs/benchmarks/vrnn.md):

* ``precompute`` runs phi_x and every Dense layer that reads phi_x(x_t) (the encoder's x
  part, the LSTM's x part) on all steps at once, outside the loop;
* ``infer_step`` fuses every product with h_{t-1} (prior, encoder h part, the top LSTM
  layer's recurrent kernel) into one matmul, samples z_t, and runs the transition;
* ``decode`` evaluates the decoder on the stacked ``(phi_z(z_t), h_{t-1})`` of all steps
  after the loop.

* ``defer_weight_gradients`` (one LSTM layer, a latent with ``linear_h_x``): inside the
  loop the fused h_{t-1} kernel and the LSTM's z kernel are used through
  ``stop_gradient``, and their gradients are formed after the loop in one large matmul
  each. The per-step pre-activations they feed are sums with precomputed inputs
  (``enc_t = h_{t-1} W_eh + x_feat_t``, ``gates_t = gates_x_t + phi_z W_z + h_{t-1} U``),
  so the gradient reaching ``x_feat_t``/``gates_x_t`` is exactly the one of those
  products, and dW = sum_t input_t^T dpre_t = stacked(input)^T stacked(dpre).

The latent block (``vrnn_latent.GaussianLatent`` or a Gaussian-mixture replacement) is
passed in; its contract is described in ``vrnn_latent``.
"""
from typing import Sequence

import keras
import tensorflow as tf

from tfvae.models.recurrent.sequence_outputs import SequenceOutput
from tfvae.nets.fused import apply_fused, dense_parts, fused_kernel
from tfvae.nets.lstm import LSTMStack
from tfvae.nets.mlp import MLP


class VRNNCell(keras.layers.Layer):
  """phi_x, latent block, phi_z, LSTM transition, decoder and output head."""

  def __init__(self, input_size: int, latent, output: SequenceOutput,
               phi_x_sizes: Sequence[int] = (256,), phi_z_sizes: Sequence[int] = (256,),
               decoder_sizes: Sequence[int] = (256,), rnn_units: int = 256,
               num_layers: int = 1, activation: str = "relu", **kwargs):
    super().__init__(**kwargs)
    if not phi_x_sizes or not phi_z_sizes:
      raise ValueError("phi_x_sizes and phi_z_sizes need at least one layer")
    self.input_size = int(input_size)
    self.latent = latent
    self.output_head = output
    self.phi_x = MLP(phi_x_sizes, activation, name="phi_x")
    self.phi_z = MLP(phi_z_sizes, activation, name="phi_z")
    self.phi_x_size = int(phi_x_sizes[-1])
    self.phi_z_size = int(phi_z_sizes[-1])
    self.rnn = LSTMStack(rnn_units, num_layers, input_sizes=(self.phi_x_size, self.phi_z_size),
                         name="rnn")
    self.decoder = MLP(decoder_sizes, activation, name="decoder")
    self.decoder_out_size = int(decoder_sizes[-1]) if decoder_sizes else (
        self.phi_z_size + int(rnn_units))

  @property
  def rnn_units(self):
    return self.rnn.units

  def build(self, input_shape=None):
    zeros = lambda n: tf.zeros([1, n], self.compute_dtype)
    self.phi_x(zeros(self.input_size))  # MLPs build on their first call
    self.phi_z(zeros(self.latent.latent_dim))
    self.rnn.build()
    self.latent.build_inputs(self.rnn_units, self.phi_x_size)
    self.output_head(self.decoder(zeros(self.phi_z_size + self.rnn_units)))
    super().build(input_shape)

  def _ensure_built(self):
    if not self.built:
      self.build()

  # ------------------------------------------------------------- constants
  def prepare(self, training: bool = False):
    """Per-call constants: the fused h_{t-1} kernel and the LSTM's cast kernels.

    ``training``: for ``infer_step`` (the latent's ``train_h_layers`` only).
    """
    self._ensure_built()
    dtype = self.compute_dtype
    layers = self.latent.h_layers
    if training:
      layers = getattr(self.latent, "train_h_layers", layers)
    kernels, biases = dense_parts(layers)
    kernels.append(self.rnn.top_recurrent_kernel())
    biases.append(None)
    return {"h": fused_kernel(kernels, biases, dtype), "rnn": self.rnn.prepare(),
            "z_kernel": tf.cast(self.rnn.input_kernels[1], dtype)}

  def initial_state(self, batch_size):
    self._ensure_built()
    return self.rnn.initial_state(batch_size)

  def h_features(self, state, consts):
    """``(h_{t-1}, latent h pre-activations, top recurrent product)``."""
    h_prev = self.rnn.top(state)
    parts = apply_fused(h_prev, consts["h"])
    return h_prev, parts[:-1], parts[-1]

  def transition(self, gates_x, phi_z, state, top_recurrent, consts):
    """h_t = f([phi_x(x_t), phi_z(z_t)], h_{t-1}) given the x part of the gates."""
    gates = gates_x + tf.matmul(phi_z, consts["z_kernel"])
    return self.rnn.step(gates, state, consts["rnn"], top_recurrent=top_recurrent)

  # -------------------------------------------------------------- training
  def precompute(self, x_seq):
    """Everything that depends on x alone, for all steps: ``x_seq`` ``[T, B, D]``."""
    self._ensure_built()
    phi_x = self.phi_x(x_seq)
    return {"x_feats": [layer(phi_x) for layer in self.latent.x_layers],
            "gates_x": self.rnn.project(phi_x, 0)}

  def complete(self, outputs):
    """After the training loop: the latent's batched extras (e.g. the prior)."""
    complete = getattr(self.latent, "complete_stats", None)
    return complete(outputs) if complete is not None else outputs

  def can_defer_weight_gradients(self) -> bool:
    return self.rnn.num_layers == 1 and getattr(self.latent, "linear_h_x", False)

  def defer_weight_gradients(self, pre, consts, holder):
    """Rewires ``pre``/``consts`` of a training loop for deferred weight gradients.

    After the loop the caller stores the stacked ``h_prev`` and ``phi_z`` in ``holder``;
    the gradient function reads them from there.
    """
    kernel, bias, sizes = consts["h"]
    z_kernel = consts["z_kernel"]
    if len(pre["x_feats"]) != len(sizes) - 1:
      raise ValueError("deferred gradients need one x feature per h layer")
    x_sizes = [int(f.shape[-1]) for f in pre["x_feats"]]
    x_feats, gates_x = tf.concat(pre["x_feats"], -1), pre["gates_x"]

    @tf.custom_gradient
    def tap(x_feats, gates_x, kernel, bias, z_kernel):
      def grad(d_x_feats, d_gates):
        flat = lambda a: tf.reshape(a, [-1, a.shape[-1]])
        d_pre = flat(tf.concat([d_x_feats, d_gates], -1))
        h_prev = flat(tf.cast(holder["h_prev"], d_pre.dtype))
        phi_z = flat(tf.cast(holder["phi_z"], d_pre.dtype))
        d_gates_flat = flat(d_gates)
        return (d_x_feats, d_gates,
                tf.matmul(h_prev, d_pre, transpose_a=True),
                tf.reduce_sum(d_pre, 0),
                tf.matmul(phi_z, d_gates_flat, transpose_a=True))
      return (tf.identity(x_feats), tf.identity(gates_x)), grad

    x_feats, gates_x = tap(x_feats, gates_x, kernel, bias, z_kernel)
    pre = dict(pre, x_feats=tf.split(x_feats, x_sizes, -1), gates_x=gates_x)
    consts = dict(consts, h=(tf.stop_gradient(kernel), tf.stop_gradient(bias), sizes),
                  z_kernel=tf.stop_gradient(z_kernel))
    return pre, consts

  def infer_step(self, inputs_t, state, consts):
    """One training step (``consts = prepare(training=True)``): z_t from the posterior,
    then the transition.

    ``inputs_t``: ``{"x_feats", "gates_x", "noise"}`` at step t. Returns
    ``(outputs_t, new_state)``; outputs hold h_{t-1}, phi_z(z_t), z_t and latent stats.
    """
    h_prev, h_feats, top_recurrent = self.h_features(state, consts)
    step = getattr(self.latent, "train_step", self.latent.posterior_step)
    z, stats = step(h_feats, inputs_t["x_feats"], inputs_t["noise"])
    phi_z = self.phi_z(tf.cast(z, self.compute_dtype))
    new_state = self.transition(inputs_t["gates_x"], phi_z, state, top_recurrent, consts)
    outputs = dict(stats, h_prev=h_prev, phi_z=phi_z, z=z)
    return outputs, new_state

  def decode(self, phi_z, h_prev):
    """Output parameters (float32) of p(x_t | z_t, h_{t-1}); any leading axes."""
    return self.output_head(self.decoder(tf.concat([phi_z, h_prev], -1)))

  # ------------------------------------------------------------ generation
  def generate_step(self, state, consts, noise_z, seed_x, given_x=None, given=None,
                    temperature=1.0):
    """One generation step; with ``given_x`` ``[B, D]`` and ``given`` ``[B]`` (1 = the step
    is a prime), primed rows take z_t from the posterior and keep ``given_x`` exactly.
    ``temperature`` applies to the output draw only (``SequenceOutput.sample``); z_t is
    drawn from the prior as it is.

    Returns ``(x_t, mean_t, new_state)``.
    """
    h_prev, h_feats, top_recurrent = self.h_features(state, consts)
    z, _ = self.latent.prior_step(h_feats, noise_z)
    if given_x is not None:
      given_x = tf.cast(given_x, self.compute_dtype)
      x_feats = [layer(self.phi_x(given_x)) for layer in self.latent.x_layers]
      z_post, _ = self.latent.posterior_step(h_feats, x_feats, noise_z)
      z = tf.where(given[:, None] > 0, z_post, z)
    phi_z = self.phi_z(tf.cast(z, self.compute_dtype))
    params = self.decode(phi_z, h_prev)
    x = self.output_head.sample(params, seed_x, temperature)
    mean = self.output_head.mean(params)
    if given_x is not None:
      keep = given[:, None] > 0
      x = tf.where(keep, tf.cast(given_x, tf.float32), x)
      mean = tf.where(keep, tf.cast(given_x, tf.float32), mean)
    gates_x = self.rnn.project(self.phi_x(tf.cast(x, self.compute_dtype)), 0)
    new_state = self.transition(gates_x, phi_z, state, top_recurrent, consts)
    return x, mean, new_state
