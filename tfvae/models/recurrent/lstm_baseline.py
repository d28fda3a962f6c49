"""LSTM next-step baseline (VRNN report section 4.2, last paragraph).

An input MLP reads x_{t-1} (x_0 = 0), a stack of LSTM layers (2 x 2000 in the report)
carries h_t, and an output MLP gives p(x_t | x_{<t}); the exact log-likelihood is

    log p(x) = sum_t m_t log p(x_t | x_{<t})

over the valid (mask = 1) steps, so ``elbo`` is the log-likelihood itself and ``kl`` is 0.
Training knows every x_{t-1}: the input MLP and the LSTM's input projection run on all
steps before the loop and the output MLP after it; only the recurrence is stepped.
"""
from typing import Sequence

import tensorflow as tf

from tfvae.models.recurrent.sequence_model import SequenceModel, unpack_batch
from tfvae.models.recurrent.vrnn_loop import run_loop
from tfvae.nets.lstm import LSTMStack
from tfvae.nets.mlp import MLP
from tfvae.registry import MODELS


@MODELS.register("lstm_baseline")
class LSTMBaseline(SequenceModel):
  """Input MLP -> ``num_layers`` x LSTM(``rnn_units``) -> output MLP -> p(x_t)."""

  def __init__(self, input_size: int, rnn_units: int = 256, num_layers: int = 2,
               input_sizes: Sequence[int] = (256,), output_sizes: Sequence[int] = (256,),
               activation: str = "relu", loop: str = "auto", **kwargs):
    super().__init__(input_size=input_size, **kwargs)
    if not input_sizes:
      raise ValueError("input_sizes needs at least one layer")
    self.loop = loop
    self.input_net = MLP(input_sizes, activation, name="input_net")
    self.rnn = LSTMStack(rnn_units, num_layers, input_sizes=(int(input_sizes[-1]),),
                         name="rnn")
    self.output_net = MLP(output_sizes, activation, name="output_net")
    zeros = lambda n: tf.zeros([1, n], self.compute_dtype)
    self.input_net(zeros(self.input_size))
    self.rnn.build()
    self.output_head(self.output_net(zeros(int(rnn_units))))

  # ------------------------------------------------------------------ maths
  def step_log_likelihood(self, x):
    """``log p(x_t | x_{<t})`` time-major ``[T, B]`` and the output params."""
    x_tm = tf.transpose(x, [1, 0, 2])
    previous = tf.concat([tf.zeros_like(x_tm[:1]), x_tm[:-1]], 0)
    gates = self.rnn.project(self.input_net(tf.cast(previous, self.compute_dtype)), 0)
    consts = self.rnn.prepare()
    step = lambda g, state: (lambda s: (self.rnn.top(s), s))(self.rnn.step(g, state, consts))
    hs, _ = run_loop(step, gates, self.rnn.initial_state(tf.shape(x)[0]), self.loop)
    params = self.output_head(self.output_net(hs))
    return params, x_tm

  def loss_terms(self, x, training=False):
    x, mask = unpack_batch(x)
    params, x_tm = self.step_log_likelihood(x)
    log_lik, monitor = self.output_terms(params, x_tm, tf.transpose(mask))
    log_lik = tf.reduce_mean(log_lik)
    return {"loss": -log_lik, "elbo": log_lik, "reconstruction": log_lik,
            "kl": tf.zeros([]), **monitor}

  def log_likelihood(self, x):
    """Exact ``log p(x)`` per sequence ``[B]``."""
    x, mask = unpack_batch(x)
    params, x_tm = self.step_log_likelihood(x)
    return self.output_terms(params, x_tm, tf.transpose(mask))[0]

  def log_importance_weights(self, x, num_samples, seed):
    """No latent variables: every 'sample' weighs the exact log-likelihood."""
    del seed
    return tf.repeat(self.log_likelihood(x)[None], num_samples, axis=0)

  # ------------------------------------------------------------- generation
  def _generate(self, batch_size, length, seed, given_x=None, given=None, temperature=1.0):
    consts = self.rnn.prepare()
    seed = tf.cast(seed, tf.int32)

    def step(t, carry, given_t, mask_t):
      state, previous = carry
      gates = self.rnn.project(self.input_net(tf.cast(previous, self.compute_dtype)), 0)
      state = self.rnn.step(gates, state, consts)
      params = self.output_head(self.output_net(self.rnn.top(state)))
      x = self.output_head.sample(params, tf.random.experimental.stateless_fold_in(seed, t),
                                  temperature)
      mean = self.output_head.mean(params)
      if given_t is not None:
        keep = mask_t[:, None] > 0
        x = tf.where(keep, given_t, x)
        mean = tf.where(keep, given_t, mean)
      return x, mean, (state, x)

    start = (self.rnn.initial_state(batch_size),
             tf.zeros(tf.stack([batch_size, self.input_size])))
    return self._generation_loop(step, start, length, given_x, given)
