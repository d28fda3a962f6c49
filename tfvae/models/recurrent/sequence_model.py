"""Shared base of the sequence models (VRNN, LSTM baseline, GMVRNNs).

Batches are ``{"x": [B, T, D], "mask": [B, T]}`` (``(x, mask)`` tuples and bare ``x`` are
accepted too); per-step terms are multiplied by the mask before any sum or mean, so padded
steps never reach a loss or a metric. All bounds are in nats per *sequence* (sum over the
valid steps, mean over the batch).

A subclass implements ``loss_terms`` and ``_generate(batch_size, length, seed, given_x,
given)``; this base turns the latter into ``sample`` (unconditional), ``prime`` (the first
steps given, VRNN report figures 7-8), the export hooks ``serving_endpoints`` and the PNG
writer ``write_samples_png``.
"""
from typing import Optional, Sequence

import numpy as np
import tensorflow as tf

from tfvae import request_checks
from tfvae.models.base import LatentVariableModel
from tfvae.models.recurrent.sequence_outputs import DEFAULT_OUTPUT, OUTPUTS_FOR_KIND, SequenceOutput
from tfvae.models.recurrent.vrnn_loop import collect_while

#: how many sequences of the first batch are kept to prime the sample PNGs.
PRIMING_EXAMPLES = 8


def unpack_batch(data):
  """``(x float32 [B, T, D], mask float32 [B, T])`` from a dict, tuple or bare x."""
  if isinstance(data, dict):
    x, mask = data["x"], data.get("mask")
  elif isinstance(data, (tuple, list)):
    x, mask = data[0], (data[1] if len(data) > 1 else None)
  else:
    x, mask = data, None
  x = tf.cast(x, tf.float32)  # Keras autocasts call() inputs under mixed precision
  if mask is None:
    mask = tf.ones(tf.shape(x)[:2], tf.float32)
  return x, tf.cast(mask, tf.float32)


def masked_mean(values, mask):
  """Mean of ``values`` over positions where ``mask`` is 1 (0 if none)."""
  return tf.math.divide_no_nan(tf.reduce_sum(values * mask), tf.reduce_sum(mask))


class SequenceModel(LatentVariableModel):
  """Common constructor arguments, masking, generation and export hooks."""

  base_term_names = ("loss", "elbo", "reconstruction", "kl")
  extra_term_names = ()

  def __init__(self, input_size: int, sequence_kind: str = "real",
               max_length: Optional[int] = None, data_mean: Optional[Sequence[float]] = None,
               data_std: Optional[Sequence[float]] = None, output: Optional[str] = None,
               num_components: int = 1, min_scale: float = 1e-3, seed: int = 0, **kwargs):
    if sequence_kind not in DEFAULT_OUTPUT:
      raise ValueError(f"sequence_kind must be one of {tuple(DEFAULT_OUTPUT)}, got "
                       f"{sequence_kind!r}")
    output = output or DEFAULT_OUTPUT[sequence_kind]
    if output not in OUTPUTS_FOR_KIND[sequence_kind]:
      raise ValueError(f"output {output!r} does not fit {sequence_kind} data; use one of "
                       f"{OUTPUTS_FOR_KIND[sequence_kind]}")
    self._pen = output.startswith("pen_")
    self._has_scale = output != "bernoulli"
    super().__init__(seed=seed, **kwargs)
    self.input_size = int(input_size)
    self.sequence_kind = sequence_kind
    self.max_length = int(max_length) if max_length else None
    self.data_mean = None if data_mean is None else tuple(float(v) for v in data_mean)
    self.data_std = None if data_std is None else tuple(float(v) for v in data_std)
    self.output_kind = output
    self.output_head = SequenceOutput(output, self.input_size, num_components, min_scale,
                                      name="output")

  @property
  def loss_term_names(self):
    pen = ("reconstruction_xy", "reconstruction_pen", "pen_accuracy", "pen_steps",
           "pen_lifts_true", "pen_lifts_predicted", "pen_lifts_hit") if self._pen else ()
    scale = ("output_scale",) if self._has_scale else ()
    return self.base_term_names + self.extra_term_names + scale + pen

  @staticmethod
  def _inputs(data):
    return data if not isinstance(data, (tuple, list)) else {
        "x": data[0], **({"mask": data[1]} if len(data) > 1 else {})}

  def output_terms(self, params, x_tm, mask_tm):
    """Masked reconstruction per sequence ``[B]`` and monitoring scalars.

    ``params``/``x_tm``/``mask_tm`` are time-major ``[T, B, ...]``.
    """
    parts = self.output_head.log_prob_parts(params, x_tm)
    per_seq = {k: tf.reduce_sum(v * mask_tm, 0) for k, v in parts.items()}
    reconstruction = tf.add_n(list(per_seq.values()))
    monitor = {k: masked_mean(v, mask_tm)
               for k, v in self.output_head.summaries(params, x_tm).items()}
    if self._pen:
      monitor["reconstruction_xy"] = tf.reduce_mean(per_seq["xy"])
      monitor["reconstruction_pen"] = tf.reduce_mean(per_seq["pen"])
      # Counts per sequence (batch means): averaged over a split weighted by batch size,
      # their ratios are the split's pen-lift precision and recall
      # (tfvae/evaluation/pen_lifts.py).
      monitor["pen_steps"] = tf.reduce_mean(tf.reduce_sum(mask_tm, 0))
      for name, v in self.output_head.pen_lift_indicators(params, x_tm).items():
        monitor[f"pen_lifts_{name}"] = tf.reduce_mean(tf.reduce_sum(v * mask_tm, 0))
    return reconstruction, monitor

  # ------------------------------------------------------------ generation
  def _generate(self, batch_size, length, seed, given_x=None, given=None, temperature=1.0):
    """``{"samples": [B, L, D], "mean": [B, L, D]}``; subclasses implement
    (``temperature``: ``SequenceOutput.sample``)."""
    raise NotImplementedError

  def _generation_loop(self, step, start, length, given_x=None, given=None):
    """Runs ``step(t, carry, given_t, mask_t) -> (x, mean, carry)`` for ``length`` steps
    in a while loop from ``start`` (``given_t`` ``[B, D]`` and ``mask_t`` ``[B]`` are the
    priming values of step t, both None when unprimed); returns batch-major
    ``{"samples", "mean"}`` ``[B, L, D]``."""
    d = self.input_size
    specs = {"samples": tf.TensorSpec([None, d], tf.float32),
             "mean": tf.TensorSpec([None, d], tf.float32)}
    if given_x is not None:
      given_tm = tf.transpose(given_x, [1, 0, 2])
      mask_tm = tf.transpose(given)

    def body(t, carry):
      primed = (given_tm[t], mask_tm[t]) if given_x is not None else (None, None)
      x, mean, carry = step(t, carry, *primed)
      return {"samples": x, "mean": mean}, carry

    out, _ = collect_while(body, length, start, specs)
    return {k: tf.transpose(v, [1, 0, 2]) for k, v in out.items()}

  def _default_length(self, length):
    if length is not None:
      return length
    if self.max_length is None:
      raise ValueError("length is required (the model was built without max_length)")
    return self.max_length

  def sample(self, num_samples, seed, length=None, temperature=1.0):
    """Unconditional sequences: ``samples`` ``[N, L, D]`` and per-step ``mean``;
    ``temperature`` tau scales each step's output draw (``SequenceOutput.sample``: 1 is
    the model's distribution, < 1 sharper)."""
    length = self._default_length(length)
    return self._generate(num_samples, length, seed, temperature=temperature)

  def prime(self, prefix, prefix_mask, length, seed, temperature=1.0):
    """Continue real sequences: steps where ``prefix_mask`` is 1 are fed (and returned
    unchanged), the others are generated (at ``temperature``, as in ``sample``); output
    ``[B, length, D]``."""
    prefix = tf.convert_to_tensor(prefix, tf.float32)
    prefix_mask = tf.cast(prefix_mask, tf.float32)
    length = tf.convert_to_tensor(length, tf.int32)
    pad = lambda a: tf.maximum(length - tf.shape(a)[1], 0)
    prefix = tf.pad(prefix, [[0, 0], [0, pad(prefix)], [0, 0]])[:, :length]
    prefix_mask = tf.pad(prefix_mask, [[0, 0], [0, pad(prefix_mask)]])[:, :length]
    return self._generate(tf.shape(prefix)[0], length, seed, given_x=prefix,
                          given=prefix_mask, temperature=temperature)

  def to_data_units(self, x):
    """Undo the dataset normalisation (pen offsets back to tablet units)."""
    if self.data_mean is None:
      return x
    return x * tf.constant(self.data_std, x.dtype) + tf.constant(self.data_mean, x.dtype)

  # ---------------------------------------------------------------- export
  def serving_endpoints(self):
    """``{name: (tf.function, input_signature)}`` for the lead's exporter.

    ``sample(num_samples, length, seed)`` and ``prime(prefix, prefix_mask, length, seed)``
    (int32 scalars; ``seed`` makes a request reproducible). Outputs: ``samples`` and
    ``mean`` in model units and ``data`` in dataset units. ``normalization()`` (no input)
    gives the data's ``mean`` and ``std`` per feature, ``data = model units * std +
    mean``: a client primes with raw offsets as ``(raw - mean) / std``.
    """
    d = self.input_size
    scalar = lambda name: tf.TensorSpec([], tf.int32, name=name)
    sample_sig = [scalar("num_samples"), scalar("length"), scalar("seed")]
    prime_sig = [tf.TensorSpec([None, None, d], tf.float32, name="prefix"),
                 tf.TensorSpec([None, None], tf.float32, name="prefix_mask"),
                 scalar("length"), scalar("seed")]

    def finish(out):
      return {"samples": out["samples"], "mean": out["mean"],
              "data": self.to_data_units(out["samples"])}

    def sample_fn(num_samples, length, seed):
      num_samples = request_checks.positive(num_samples, "num_samples")
      length = request_checks.positive(length, "length")
      return finish(self.sample(num_samples, tf.stack([seed, 0]), length=length))

    def prime_fn(prefix, prefix_mask, length, seed):
      length = request_checks.positive(length, "length")
      return finish(self.prime(prefix, prefix_mask, length, tf.stack([seed, 0])))

    def normalization_fn():
      mean, std = self.normalization()
      return {"mean": tf.constant(mean, tf.float32), "std": tf.constant(std, tf.float32)}

    # autograph=False: the loops are explicit tf.while_loops; converting the whole call
    # tree costs seconds per export.
    return {"sample": (tf.function(sample_fn, input_signature=sample_sig, autograph=False),
                       sample_sig),
            "prime": (tf.function(prime_fn, input_signature=prime_sig, autograph=False),
                      prime_sig),
            "normalization": (tf.function(normalization_fn, input_signature=[]), [])}

  def normalization(self):
    """``(mean, std)`` per feature of the data normalisation (0 and 1 when none)."""
    if self.data_mean is None:
      return (0.0,) * self.input_size, (1.0,) * self.input_size
    return self.data_mean, self.data_std

  # ------------------------------------------------------------------- PNG
  def call(self, x, training=False):
    """Runs the model once (builds every layer). The first batch seen eagerly (the
    trainer's first validation batch) is kept as the priming examples of the PNGs,
    unless it is all padding (a model built without its data)."""
    if tf.executing_eagerly() and getattr(self, "_priming", None) is None:
      x_, mask = unpack_batch(x)
      if float(tf.reduce_sum(mask)) > 0:
        self._priming = (np.asarray(x_[:PRIMING_EXAMPLES]),
                         np.asarray(mask[:PRIMING_EXAMPLES]))
    return super().call(x, training=training)

  def write_samples_png(self, path: str, seed: int = 0, data=None, num_samples: int = 8,
                        prime_fractions=(0.25, 0.5), columns: int = 8, image_shape=None,
                        temperature: float = 1.0):
    """PNG of ``num_samples`` unconditional samples (rows of ``columns``) and, for real
    sequences (``data``, a batch dict or ``(x, mask)``; default: the first batch the model
    was called on), primed continuations of up to ``columns`` of them - one row per
    fraction of each sequence's length (figures 7-8: 25 % and 50 %) - and the originals.
    Primed steps are drawn in blue; every generated step is drawn at ``temperature``.
    ``image_shape`` is accepted for the trainer and unused.
    """
    del image_shape
    from tfvae.models.recurrent import stroke_plots as plots  # pylint: disable=g-import-not-at-top
    length = self._default_length(None)
    key = self._plot_key()
    samples = self.sample(num_samples, tf.constant([seed, 0]), length=length,
                          temperature=temperature)[key].numpy()
    pictures = [self._picture(x, None) for x in samples]
    rows = [pictures[i: i + columns] for i in range(0, len(pictures), columns)]
    data = data if data is not None else getattr(self, "_priming", None)
    if data is not None:
      x, mask = unpack_batch(data)
      x, mask = x[:columns], mask[:columns]
      lengths = tf.reduce_sum(mask, 1)
      for i, fraction in enumerate(prime_fractions):
        given = tf.cast(tf.range(tf.shape(x)[1])[None, :]
                        < tf.cast(tf.math.ceil(fraction * lengths), tf.int32)[:, None],
                        tf.float32) * mask
        out = self.prime(x, given, length, tf.constant([seed, i + 1]),
                         temperature=temperature)[key]
        rows.append([self._picture(o, g) for o, g in zip(out.numpy(), given.numpy())])
      rows.append([self._picture(o[: int(n)], None)
                   for o, n in zip(x.numpy(), lengths.numpy())])
    plots.write_png(path, plots.grid(rows))
    return path

  def _plot_key(self):
    # Real-valued rows look best as means; pen and binary data as samples.
    return "mean" if self.sequence_kind == "real" else "samples"

  def _picture(self, seq, given):
    from tfvae.models.recurrent import stroke_plots as plots  # pylint: disable=g-import-not-at-top
    if self._pen:
      seq = np.asarray(self.to_data_units(tf.constant(seq, tf.float32)))
      return plots.render_strokes(seq, given=given)
    return plots.render_rows(seq, given=given)
