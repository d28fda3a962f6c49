"""Checks the data loaders run once, at load: dtype, shape, length, range, finiteness.

Every helper raises one ``ValueError`` whose message starts with ``where`` (a file, a
``file:key``, or ``dataset/split``), says what was found and what was expected; each
returns nothing and leaves the array unchanged.
"""
from typing import Optional, Sequence, Union

import numpy as np

FLOAT32_MAX = float(np.finfo(np.float32).max)
_KIND_NAMES = {"b": "booleans", "i": "integers", "u": "unsigned integers",
               "f": "floating-point numbers"}


def _first_index(mask: np.ndarray):
  """The index of the first True entry of ``mask`` (an int for 1-D, else a tuple)."""
  index = tuple(int(i) for i in np.unravel_index(int(np.argmax(mask)), mask.shape))
  return index[0] if len(index) == 1 else index


def check_dtype(array, where: str, kinds: str = "biuf", expected: str = "") -> None:
  """``array.dtype.kind`` is one of ``kinds`` (numpy kind letters; default: any real
  number). Strings, objects and complex numbers are refused by default."""
  kind = np.asarray(array).dtype.kind
  if kind not in kinds:
    expected = expected or " or ".join(_KIND_NAMES.get(k, k) for k in kinds)
    raise ValueError(f"{where} has dtype {np.asarray(array).dtype}, expected {expected}")


def check_shape(array, shape: Sequence[Union[int, str, None]], where: str,
                expected: str = "") -> None:
  """``array.shape`` matches ``shape``: ints must be equal, a name (``"N"``) or ``None``
  matches any size. ``expected`` is appended to the message."""
  actual = np.shape(array)
  ok = len(actual) == len(shape) and all(
      not isinstance(want, int) or have == want for have, want in zip(actual, shape))
  if not ok:
    shown = "(" + ", ".join("*" if s is None else str(s) for s in shape) + \
        ("," if len(shape) == 1 else "") + ")"
    raise ValueError(f"{where} has shape {tuple(actual)}, expected {shown}"
                     + (f" {expected}" if expected else ""))


def check_nonempty(array, where: str, what: str = "example") -> None:
  """``len(array) > 0``."""
  if len(array) == 0:
    raise ValueError(f"{where} is empty; expected at least one {what}")


def check_same_length(array, where: str, other, other_where: str) -> None:
  """``len(array) == len(other)`` (e.g. one label per image)."""
  if len(array) != len(other):
    raise ValueError(f"{where} has {len(array)} entries but {other_where} has "
                     f"{len(other)}; expected one per entry of {other_where}")


def check_finite(array, where: str) -> None:
  """No NaN or Inf (integer arrays always pass)."""
  array = np.asarray(array)
  if np.issubdtype(array.dtype, np.floating):
    finite = np.isfinite(array)
    if not finite.all():
      bad = int(array.size - np.count_nonzero(finite))
      raise ValueError(f"{where} contains {bad} NaN or Inf values (first at index "
                       f"{_first_index(~finite)}); expected finite numbers")


def check_range(array, low: Optional[float], high: Optional[float], where: str,
                expected: str = "") -> None:
  """Every value lies in ``[low, high]`` (``None``: unbounded on that side)."""
  array = np.asarray(array)
  outside = np.zeros(array.shape, bool)
  if low is not None:
    outside |= array < low
  if high is not None:
    outside |= array > high
  if outside.any():
    bounds = f"[{'-inf' if low is None else low}, {'inf' if high is None else high}]"
    examples = np.unique(array[outside])[:3].tolist()
    raise ValueError(f"{where} has {int(outside.sum())} values outside {bounds} (e.g. "
                     f"{examples}, first at index {_first_index(outside)}); expected "
                     + (expected or f"values in {bounds}"))


def check_fits_float32(array, where: str) -> None:
  """Finite, and small enough not to become Inf when stored as float32."""
  check_finite(array, where)
  check_range(array, -FLOAT32_MAX, FLOAT32_MAX, where,
              expected="finite values that fit in float32")


def check_binary(array, where: str, expected: str = "values 0 or 1") -> None:
  """Every value is 0 or 1 (NaN is refused too)."""
  array = np.asarray(array)
  check_finite(array, where)
  bad = (array != 0) & (array != 1)
  if bad.any():
    examples = np.unique(array[bad])[:3].tolist()
    raise ValueError(f"{where} has {int(bad.sum())} values other than 0 and 1 (e.g. "
                     f"{examples}, first at index {_first_index(bad)}); expected {expected}")


def check_integral(array, where: str, expected: str = "whole numbers") -> None:
  """Float values are whole numbers (integer arrays always pass)."""
  array = np.asarray(array)
  if np.issubdtype(array.dtype, np.floating):
    check_finite(array, where)
    bad = array != np.round(array)
    if bad.any():
      examples = np.unique(array[bad])[:3].tolist()
      raise ValueError(f"{where} has values that are not whole numbers (e.g. {examples}, "
                       f"first at index {_first_index(bad)}); expected {expected}")


def check_count(value, where: str, minimum: int = 1) -> int:
  """An integer setting (a size, a length) ``>= minimum``; returns it as ``int``."""
  if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
    raise ValueError(f"{where} must be an integer >= {minimum}, got {value!r} "
                     f"({type(value).__name__})")
  if value < minimum:
    raise ValueError(f"{where} must be an integer >= {minimum}, got {value}")
  return int(value)


def check_number(value, where: str, low: Optional[float] = None,
                 high: Optional[float] = None, low_open: bool = False) -> float:
  """A finite real setting in ``[low, high]`` (``(low, high]`` with ``low_open``);
  returns it as ``float``."""
  if isinstance(value, (bool, np.bool_)) or not isinstance(
      value, (int, float, np.integer, np.floating)) or not np.isfinite(value):
    raise ValueError(f"{where} must be a finite number, got {value!r}")
  too_low = low is not None and (value <= low if low_open else value < low)
  if too_low or (high is not None and value > high):
    bounds = (f"{'(' if low_open else '['}{'-inf' if low is None else low}, "
              f"{'inf' if high is None else high}]")
    raise ValueError(f"{where} must be in {bounds}, got {value}")
  return float(value)
