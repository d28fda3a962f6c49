"""Upper bounds of serving requests, fixed at export from ``config.export``.

One request to a SavedModel must never take the server down or starve the other models
it serves: a sequence sampler asked for ``length=2**31-1`` aborted the whole process
(``std::bad_alloc``), and ``num_samples=10**6`` on a Gaussian VAE ran for most of a
minute and took all memory. The exporter (``tfvae.export.sampler``) therefore refuses,
in the graph, requests above these bounds:

* ``max_num_samples`` (default 10000): ``num_samples``, and the rows of ``x`` and
  ``prefix``;
* ``max_length`` (default 4 x the model's ``max_length``, the longest training
  sequence; 1000 when it has none): ``length`` of the sequence samplers;
* ``max_gibbs_steps`` (default 10000): ``gibbs_steps`` of the discrete VAE;
* ``max_sample_steps`` (default 10**6): ``num_samples * length`` (or rows of ``prefix``
  times ``length``), the size of a generated sequence batch and the work of its loop,
  and ``num_samples * gibbs_steps``, the work of the RBM chains.

This module imports no TensorFlow (the config checks use it before TF is loaded).
"""
import dataclasses
import numbers
from typing import Mapping, Optional

INT32_MAX = 2**31 - 1
#: ``max_length`` defaults to this many times the longest training sequence.
LENGTH_FACTOR = 4
#: ``max_length`` of a sequence model built without ``max_length``.
DEFAULT_MAX_LENGTH = 1000


@dataclasses.dataclass(frozen=True)
class ServingLimits:
  """Largest values a serving request may ask for (see the module docstring)."""
  max_num_samples: int = 10000
  max_length: int = DEFAULT_MAX_LENGTH
  max_gibbs_steps: int = 10000
  max_sample_steps: int = 10**6

  def __post_init__(self):
    for field in dataclasses.fields(self):
      check_limit(field.name, getattr(self, field.name))


#: ``(config.export key, minimum, maximum)`` of every limit.
LIMIT_KEYS = (("max_num_samples", 1, INT32_MAX), ("max_length", 1, INT32_MAX),
              ("max_gibbs_steps", 0, INT32_MAX), ("max_sample_steps", 1, 2**62))


def check_limit(key: str, value) -> None:
  """Raises ``ValueError`` unless ``value`` is an integer in the range of ``key``."""
  _, minimum, maximum = next(k for k in LIMIT_KEYS if k[0] == key)
  if (not isinstance(value, numbers.Integral) or isinstance(value, bool)
      or not minimum <= value <= maximum):
    raise ValueError(f"config.export.{key} must be an integer in [{minimum}, {maximum}], "
                     f"got {value!r} ({type(value).__name__})")


def serving_limits(export_config: Optional[Mapping] = None, model=None) -> ServingLimits:
  """The limits set in ``export_config`` (``config.export``), defaults for the others;
  the default ``max_length`` is ``LENGTH_FACTOR`` x ``model.max_length``."""
  values = {}
  model_length = getattr(model, "max_length", None)
  if model_length:
    values["max_length"] = min(LENGTH_FACTOR * int(model_length), INT32_MAX)
  export_config = export_config or {}
  for key, _, _ in LIMIT_KEYS:
    if export_config.get(key) is not None:
      values[key] = export_config.get(key)
  return ServingLimits(**values)
