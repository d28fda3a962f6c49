"""Name -> object registries shared by configs, the CLI and loaders.

A registry is a dict with a decorator; looking up an unknown name raises a
``KeyError`` that lists every known name, so a typo in a config is obvious.
"""
from typing import Callable, Dict, Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
  """A named mapping filled by the ``register`` decorator."""

  def __init__(self, kind: str):
    self.kind = kind
    self._items: Dict[str, T] = {}

  def register(self, name: str) -> Callable[[T], T]:
    def decorator(obj: T) -> T:
      if name in self._items:
        raise ValueError(f"{self.kind} {name!r} is already registered")
      self._items[name] = obj
      return obj
    return decorator

  def get(self, name: str) -> T:
    _import_builtin_modules()
    if name not in self._items:
      known = ", ".join(sorted(self._items)) or "(none)"
      raise KeyError(f"unknown {self.kind} {name!r}; known {self.kind}s: {known}")
    return self._items[name]

  def names(self):
    _import_builtin_modules()
    return sorted(self._items)

  def __contains__(self, name: str) -> bool:
    _import_builtin_modules()
    return name in self._items


MODELS: Registry = Registry("model")
DATASETS: Registry = Registry("dataset")
#: Posterior heads of the Gaussian VAE and the sequence VAE (``config.model.posterior``).
POSTERIORS: Registry = Registry("posterior")


def _import_builtin_modules():
  """Imports the modules whose decorators fill the registries (idempotent)."""
  import tfvae.data  # noqa: F401  pylint: disable=g-import-not-at-top
  import tfvae.models  # noqa: F401  pylint: disable=g-import-not-at-top
