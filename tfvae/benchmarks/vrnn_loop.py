"""Times one VRNN training step (forward, backward, Adam) for several loop variants.

  tfvae-benchmark --micro=vrnn_loop                  # every variant, T=28 B=64 H=256
  tfvae-benchmark --micro=vrnn_loop --micro_variants=unrolled,while --micro_steps=30

Variants (``+xla`` compiles the step with XLA, ``+bf16`` uses the mixed_bfloat16 policy,
``+nodefer`` turns off the deferred weight gradients of ``vrnn_cell``):

* ``naive``      a Python-unrolled loop doing every network per step (phi_x, prior,
                 encoder, phi_z, decoder, LSTM, each its own matmul) - the plain port;
* ``unrolled``   the model's loop: phi_x and all x-only products precomputed, the h_{t-1}
                 products fused into one matmul, the decoder batched after the loop;
* ``while`` / ``scan``  the same step under ``tf.while_loop`` / ``tf.scan``;
* ``keras_rnn``  the same step as a custom cell in ``keras.layers.RNN``.

``run`` prints, per variant, the best and median wall ms/step over ``blocks`` timed blocks
(``--rounds``, each of ``--micro_steps`` steps) and the best process CPU ms/step (user+sys
of this process). On a shared machine the wall time also counts other people's work: the
best block is the closest to an unloaded machine, and the CPU column (all threads of this
process) is a load-robust measure of the work.
"""
import os
import time
from typing import Callable, Dict, List, Optional, Sequence

import keras
import tensorflow as tf

from tfvae.models.recurrent.vrnn import VRNN

LOOPS = ("naive", "unrolled", "while", "scan", "keras_rnn")
SUFFIXES = ("xla", "bf16", "nodefer")
ALL = ("naive", "unrolled", "while", "scan", "keras_rnn", "unrolled+xla", "while+xla",
       "naive+bf16", "unrolled+bf16", "while+bf16")


def build(loop: str, length: int = 28, hidden: int = 256, latent_dim: int = 16,
          input_size: int = 28) -> VRNN:
  """The benchmarked VRNN: Gaussian output, the LSTM and every MLP of size ``hidden``."""
  keras.utils.set_random_seed(0)
  return VRNN(input_size=input_size, sequence_kind="real", max_length=length,
              output="gaussian", latent_dim=latent_dim, rnn_units=hidden,
              phi_x_sizes=(hidden,), phi_z_sizes=(hidden,), prior_sizes=(hidden,),
              encoder_sizes=(hidden,), decoder_sizes=(hidden,), loop=loop)


def naive_sequence_terms(model, x, mask, seed):
  """Every network inside the loop, one matmul each (no precompute, no fusion)."""
  cell, latent, rnn = model.cell, model.latent, model.cell.rnn
  consts = rnn.prepare()
  x_tm = tf.unstack(tf.transpose(x, [1, 0, 2]))
  noise = tf.unstack(latent.noise(tf.constant([len(x_tm), x.shape[0]]), seed))
  state = rnn.initial_state(tf.shape(x)[0])
  rec = kl = 0.0
  for t, x_t in enumerate(x_tm):
    h = rnn.top(state)
    h_feats = [layer(h) for layer in latent.h_layers]  # prior + encoder, every step
    phi_x = cell.phi_x(tf.cast(x_t, model.compute_dtype))
    x_feats = [layer(phi_x) for layer in latent.x_layers]
    z, stats = latent.posterior_step(h_feats, x_feats, noise[t])
    phi_z = cell.phi_z(tf.cast(z, model.compute_dtype))
    params = cell.decode(phi_z, h)
    rec += model.output_head.log_prob(params, x_t)
    kl += latent.step_terms(stats, z)["kl"]
    gates = rnn.project(phi_x, 0) + rnn.project(phi_z, 1)
    state = rnn.step(gates, state, consts)
  return {"reconstruction": rec, "kl": kl}


class KerasRNNCell(keras.layers.Layer):
  """The fused VRNN step as a Keras RNN cell over flattened per-step inputs."""

  def __init__(self, model, **kwargs):
    super().__init__(**kwargs)
    self.model = model
    rnn = model.cell.rnn
    self.state_size = [rnn.units] * (2 * rnn.num_layers)
    self.consts = None

  def call(self, inputs, states):
    cell = self.model.cell
    widths = [cell.latent.x_layers[0].units, 4 * cell.rnn.units, self.model.latent_dim]
    xf, gx, eps = tf.split(inputs, widths, -1)
    out, new = cell.infer_step({"x_feats": [xf], "gates_x": gx, "noise": eps},
                               tuple(states), self.consts)
    flat = tf.concat([tf.cast(out[k], tf.float32) for k in
                      ("h_prev", "phi_z", "z", "post_loc", "post_scale")], -1)
    return flat, list(new)


def keras_rnn_sequence_terms(model, layer, x, mask, seed):
  cell = model.cell
  layer.cell.consts = cell.prepare(training=True)
  x_tm = tf.transpose(x, [1, 0, 2])
  pre = cell.precompute(x_tm)
  noise = model.latent.noise(tf.shape(x_tm)[:2], seed)
  inputs = tf.concat([pre["x_feats"][0], pre["gates_x"], noise], -1)
  flat = layer(tf.transpose(inputs, [1, 0, 2]))
  flat = tf.transpose(flat, [1, 0, 2])
  h, z_dim = cell.rnn.units, model.latent_dim
  parts = tf.split(flat, [h, cell.phi_z_size, z_dim, z_dim, z_dim], -1)
  names = ("h_prev", "phi_z", "z", "post_loc", "post_scale")
  out = cell.complete(dict(zip(names, parts)))
  params = cell.decode(out["phi_z"], out["h_prev"])
  rec = tf.reduce_sum(model.output_head.log_prob(params, x_tm), 0)
  kl = tf.reduce_sum(model.latent.step_terms(out, out["z"])["kl"], 0)
  return {"reconstruction": rec, "kl": kl}


def time_variant(variant: str, steps: int = 10, blocks: int = 5, length: int = 28,
                 batch: int = 64, hidden: int = 256, latent_dim: int = 16,
                 input_size: int = 28) -> Dict[str, object]:
  """Trace seconds and the wall / process CPU seconds per step of each of ``blocks``
  timed blocks of ``steps`` steps (sorted), after three warm-up steps.

  Sets keras' global dtype policy for the variant (``run`` restores it)."""
  loop, *flags = variant.split("+")
  keras.mixed_precision.set_global_policy("mixed_bfloat16" if "bf16" in flags
                                          else "float32")
  model = build(loop if loop in ("unrolled", "while", "scan") else "unrolled", length,
                hidden, latent_dim, input_size)
  optimizer = keras.optimizers.Adam(1e-4)
  x = tf.random.stateless_uniform([batch, length, input_size], seed=[0, 0])
  mask = tf.ones([batch, length])
  model({"x": x, "mask": mask})
  model.defer_weight_gradients = "nodefer" not in flags
  if loop == "keras_rnn":
    rnn_layer = keras.layers.RNN(KerasRNNCell(model), return_sequences=True)
  terms_fn = {
      "naive": lambda x, m, s: naive_sequence_terms(model, x, m, s),
      "keras_rnn": lambda x, m, s: keras_rnn_sequence_terms(model, rnn_layer, x, m, s),
  }.get(loop, model.sequence_terms)

  def step(x, mask, seed):
    with tf.GradientTape() as tape:
      terms = terms_fn(x, mask, seed)
      loss = -tf.reduce_mean(terms["reconstruction"] - terms["kl"])
    variables = model.trainable_variables
    optimizer.apply(tape.gradient(loss, variables), variables)
    return loss

  step = tf.function(step, jit_compile="xla" in flags)
  seed = tf.constant([1, 2])
  start = time.perf_counter()
  step(x, mask, seed).numpy()
  trace = time.perf_counter() - start
  for _ in range(3):
    step(x, mask, seed)
  walls, cpus = [], []
  for _ in range(blocks):
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(steps):
      loss = step(x, mask, seed)
    loss.numpy()
    walls.append((time.perf_counter() - wall) / steps)
    cpus.append((time.process_time() - cpu) / steps)
  walls.sort()
  cpus.sort()
  return {"variant": variant, "trace_seconds": trace, "wall_seconds": walls,
          "cpu_seconds": cpus, "best_wall_ms": 1e3 * walls[0],
          "median_wall_ms": 1e3 * walls[len(walls) // 2], "best_cpu_ms": 1e3 * cpus[0],
          "steps_per_sec": 1 / walls[0], "load_average": os.getloadavg()[0]}


def unknown_variants(variants: Sequence[str]) -> List[str]:
  """The names of ``variants`` that are not one of ``LOOPS`` then ``+`` ``SUFFIXES``."""
  return [v for v in variants
          if v.split("+")[0] not in LOOPS or not set(v.split("+")[1:]) <= set(SUFFIXES)]


def _print(line: str) -> None:
  print(line, flush=True)


def run(variants: Sequence[str] = ALL, steps: int = 10, blocks: int = 5, length: int = 28,
        batch: int = 64, hidden: int = 256, latent_dim: int = 16, input_size: int = 28,
        log: Optional[Callable[[str], None]] = _print) -> List[Dict[str, object]]:
  """``time_variant`` of each variant in turn, one table row logged as each finishes."""
  unknown = unknown_variants(variants)
  if unknown:
    raise ValueError(f"unknown VRNN loop variants {unknown}: one of {', '.join(LOOPS)}, "
                     f"then any of +{', +'.join(SUFFIXES)}")
  log = log or (lambda line: None)
  log(f"T={length} B={batch} H={hidden} z={latent_dim} D={input_size}; {blocks} blocks of "
      f"{steps} timed steps; CPUs visible: {os.cpu_count()}; load average at start: "
      f"{os.getloadavg()[0]:.1f}")
  log(f"{'variant':<16} {'trace s':>8} {'best wall ms':>13} {'steps/s':>8} "
      f"{'median wall ms':>15} {'best cpu ms':>12} {'load':>5}")
  policy = keras.mixed_precision.global_policy()
  rows = []
  try:
    for variant in variants:
      r = time_variant(variant, steps, blocks, length, batch, hidden, latent_dim,
                       input_size)
      rows.append(r)
      log(f"{variant:<16} {r['trace_seconds']:8.1f} {r['best_wall_ms']:13.1f} "
          f"{r['steps_per_sec']:8.1f} {r['median_wall_ms']:15.1f} {r['best_cpu_ms']:12.1f} "
          f"{r['load_average']:5.1f}")
  finally:
    keras.mixed_precision.set_global_policy(policy)
  return rows
