"""Loops over time for recurrent models, inside ``tf.function``.

``run_loop(step_fn, inputs, state, mode)`` applies ``outputs_t, state = step_fn(inputs_t,
state)`` along the leading (time) axis of the nest ``inputs`` and stacks the outputs:

* ``unrolled``  a Python loop over a static T (one graph node set per step; fastest for
  short sequences, trace time grows with T);
* ``while``     ``tf.while_loop`` over ``TensorArray`` s (constant trace time; any T);
* ``scan``      ``tf.scan``;
* ``auto``      ``unrolled`` up to ``UNROLL_MAX_STEPS`` static steps, ``while`` above.

Per-step inputs are split with ``tf.unstack`` (whose gradient is one ``stack``); indexing
``x[t]`` would make the gradient of each step a zero-padded copy of the whole sequence.
``collect_while`` is the generation loop: a dynamic number of steps with a step counter.
"""
import tensorflow as tf

LOOPS = ("auto", "unrolled", "while", "scan")
UNROLL_MAX_STEPS = 64


def _num_steps(inputs):
  first = tf.nest.flatten(inputs)[0]
  static = first.shape[0]
  return static, (static if static is not None else tf.shape(first)[0])


def resolve_mode(mode: str, inputs) -> str:
  if mode not in LOOPS:
    raise ValueError(f"loop must be one of {LOOPS}, got {mode!r}")
  if mode != "auto":
    return mode
  static, _ = _num_steps(inputs)
  return "unrolled" if static is not None and static <= UNROLL_MAX_STEPS else "while"


def run_loop(step_fn, inputs, state, mode: str = "auto"):
  """Returns ``(outputs stacked on a new leading time axis, final state)``."""
  mode = resolve_mode(mode, inputs)
  static, steps = _num_steps(inputs)
  if mode == "unrolled":
    if static is None:
      raise ValueError("an unrolled loop needs a static number of steps")
    per_step = [tf.unstack(t, num=static) for t in tf.nest.flatten(inputs)]
    outputs = []
    for t in range(static):
      inputs_t = tf.nest.pack_sequence_as(inputs, [p[t] for p in per_step])
      out, state = step_fn(inputs_t, state)
      outputs.append(out)
    stacked = tf.nest.map_structure(lambda *xs: tf.stack(xs), *outputs)
    return stacked, state

  # Peel step 0 to learn the output structure, then loop over steps 1..T-1.
  first_in = tf.nest.map_structure(lambda t: t[0], inputs)
  first_out, state = step_fn(first_in, state)
  rest = tf.nest.map_structure(lambda t: t[1:], inputs)
  if mode == "scan":
    def scan_fn(carry, inputs_t):
      out, new_state = step_fn(inputs_t, carry[1])
      return out, new_state
    outs, states = tf.scan(scan_fn, rest, initializer=(first_out, state))
    stacked = tf.nest.map_structure(lambda a, b: tf.concat([a[None], b], 0), first_out, outs)
    final = tf.nest.map_structure(lambda s: s[-1], states)
    return stacked, final

  flat_rest = tf.nest.flatten(rest)
  input_tas = [tf.TensorArray(t.dtype, size=steps - 1).unstack(t) for t in flat_rest]
  flat_first = tf.nest.flatten(first_out)
  output_tas = [tf.TensorArray(o.dtype, size=steps, element_shape=o.shape).write(0, o)
                for o in flat_first]

  def body(t, state, tas):
    inputs_t = tf.nest.pack_sequence_as(rest, [ta.read(t - 1) for ta in input_tas])
    out, state = step_fn(inputs_t, state)
    tas = [ta.write(t, o) for ta, o in zip(tas, tf.nest.flatten(out))]
    return t + 1, state, tas

  _, state, output_tas = tf.while_loop(
      lambda t, *_: t < steps, body, (tf.constant(1), state, output_tas),
      maximum_iterations=steps - 1 if static is None else static - 1)
  stacked = tf.nest.pack_sequence_as(first_out, [ta.stack() for ta in output_tas])
  return stacked, state


def collect_while(step_fn, length, state, output_specs):
  """``outputs_t, state = step_fn(t, state)`` for ``t < length`` (a tensor).

  ``output_specs``: ``{name: tf.TensorSpec}`` of one step's outputs. Returns
  ``({name: [length, ...]}, final state)``.
  """
  tas = {k: tf.TensorArray(s.dtype, size=length, element_shape=s.shape)
         for k, s in output_specs.items()}

  def body(t, state, tas):
    out, state = step_fn(t, state)
    return t + 1, state, {k: tas[k].write(t, out[k]) for k in tas}

  _, state, tas = tf.while_loop(lambda t, *_: t < length, body, (tf.constant(0), state, tas))
  return {k: ta.stack() for k, ta in tas.items()}, state
