"""Validation of serving-request scalars that runs *before* the computation.

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
