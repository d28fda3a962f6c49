"""Validation of serving requests that runs *before* the computation.

``check_request`` (applied by the exporter to every endpoint) bounds the request's sizes
by ``tfvae.export.limits.ServingLimits`` and refuses non-finite data and bad masks; the
endpoints themselves check what only the model knows (``category < K``).

In a graph, a ``tf.debugging.assert_*`` op is not ordered before ops that do not consume
its output, so a bad ``num_samples`` could reach e.g. ``StatelessRandomNormalV2`` first
and fail there with an unhelpful shape error. Each helper here returns the checked value
through ``tf.identity`` under a control dependency on the assertion, so everything that
uses the returned tensor runs after the check.
"""
import tensorflow as tf


def _after(checks, value):
  with tf.control_dependencies(checks):
    return tf.identity(value)


def positive(value, name: str):
  """``value`` (int32 scalar) after asserting ``value > 0``."""
  return _after([tf.debugging.assert_positive(
      value, message=f"{name} must be a positive integer")], value)


def non_negative(value, name: str):
  """``value`` after asserting ``value >= 0``."""
  return _after([tf.debugging.assert_non_negative(
      value, message=f"{name} must be >= 0")], value)


def in_range(value, upper: int, name: str):
  """``value`` after asserting ``0 <= value < upper``."""
  return _after([
      tf.debugging.assert_non_negative(value, message=f"{name} must be >= 0"),
      tf.debugging.assert_less(value, tf.constant(upper, value.dtype),
                               message=f"{name} must be < {upper}")], value)


def _at_most(value, upper: int, message: str):
  return tf.debugging.assert_less_equal(value, tf.constant(upper, value.dtype),
                                        message=message)


def _product_at_most(a, b, upper: int, message: str):
  """``a * b <= upper`` computed in int64 (an int32 product of two large requests
  overflows)."""
  product = tf.cast(a, tf.int64) * tf.cast(b, tf.int64)
  return tf.debugging.assert_less_equal(product, tf.constant(upper, tf.int64),
                                        message=message)


#: Serving input names that ``check_request`` knows. ``seed`` takes any int32 and
#: ``category`` is checked by the endpoint itself (``in_range``: only the model knows K).
KNOWN_INPUTS = ("num_samples", "length", "gibbs_steps", "seed", "category", "x", "prefix",
                "prefix_mask")


def check_request(inputs: dict, limits) -> dict:
  """``inputs`` (``{name: tensor}`` of one serving request) returned after every check
  that applies to their names, ``limits`` being a ``tfvae.export.limits.ServingLimits``:

  * ``num_samples``: 1..``max_num_samples``; ``length``: 1..``max_length``;
    ``gibbs_steps``: 0..``max_gibbs_steps``;
  * ``x``, ``prefix``: at most ``max_num_samples`` rows, every value finite;
  * ``prefix_mask``: shape ``[n, P]`` of ``prefix`` ``[n, P, D]``, values 0 or 1;
  * ``num_samples`` (or rows of ``prefix``) times ``length`` or ``gibbs_steps``: at most
    ``max_sample_steps``.

  Sizes and scalars are checked first, data values only after them (a pass over a huge
  ``x`` never runs); every returned tensor depends on all checks, so nothing of the
  computation that uses them runs before a bad request is refused. A refused request
  raises ``InvalidArgumentError`` naming the input, its bound and the config key.
  An input name outside ``KNOWN_INPUTS`` raises ``ValueError`` at export: a new endpoint
  must say how its inputs are checked.
  """
  unknown = sorted(set(inputs) - set(KNOWN_INPUTS))
  if unknown:
    raise ValueError(f"serving inputs {unknown} have no request check; add them to "
                     "tfvae/export/request_checks.py (check_request)")
  first = []  # scalars and sizes
  for name, lower, key in (("num_samples", 1, "max_num_samples"),
                           ("length", 1, "max_length"),
                           ("gibbs_steps", 0, "max_gibbs_steps")):
    if name in inputs:
      if lower:
        first.append(tf.debugging.assert_positive(
            inputs[name], message=f"{name} must be a positive integer"))
      else:
        first.append(tf.debugging.assert_non_negative(
            inputs[name], message=f"{name} must be >= 0"))
      upper = getattr(limits, key)
      first.append(_at_most(inputs[name], upper, f"{name} must be <= {upper} (export.{key})"))
  for name in ("x", "prefix"):
    if name in inputs:
      first.append(_at_most(tf.shape(inputs[name])[0], limits.max_num_samples,
                            f"{name} must have at most {limits.max_num_samples} rows "
                            "(export.max_num_samples)"))
  if "prefix_mask" in inputs and "prefix" in inputs:
    first.append(tf.debugging.assert_equal(
        tf.shape(inputs["prefix_mask"]), tf.shape(inputs["prefix"])[:2],
        message="prefix_mask must be [n, P] for a prefix of [n, P, D] (same batch and "
                "time sizes)"))

  with tf.control_dependencies(first):  # then products and values
    second = []
    if "num_samples" in inputs:
      rows, rows_name = inputs["num_samples"], "num_samples"
    elif "prefix" in inputs:
      rows, rows_name = tf.shape(inputs["prefix"])[0], "rows of prefix"
    else:
      rows = None
    for steps in ("length", "gibbs_steps"):
      if steps in inputs and rows is not None:
        second.append(_product_at_most(
            rows, inputs[steps], limits.max_sample_steps,
            f"{rows_name} * {steps} must be <= {limits.max_sample_steps} "
            "(export.max_sample_steps)"))
    for name in ("x", "prefix"):
      if name in inputs:
        second.append(tf.debugging.Assert(
            tf.reduce_all(tf.math.is_finite(inputs[name])),
            [f"{name} must be finite (no NaN or Inf)"]))
    if "prefix_mask" in inputs:
      mask = inputs["prefix_mask"]
      second.append(tf.debugging.Assert(
          tf.reduce_all(tf.logical_or(tf.equal(mask, 0.0), tf.equal(mask, 1.0))),
          ["prefix_mask must hold only 0 and 1"]))

  with tf.control_dependencies(first + second):
    return {name: tf.identity(value) for name, value in inputs.items()}
