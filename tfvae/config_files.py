"""Loading ``configs/*.py`` files by path, so a variant config can start from its base.

A config file defines ``get_config()`` returning an ``ml_collections.ConfigDict``. A variant
(e.g. a different number of components) calls ``base_config(__file__, "base_name")`` and
changes only what differs, instead of copying the whole file.

The repository's ``configs/`` is installed with the package as ``tfvae.configs``, so a
shipped config is found by name from any folder (``shipped_config_path``,
``tfvae-train --config=vae_binarized_mnist``). The benchmark suites of ``tfvae-benchmark``
ship beside them, one file per suite in ``configs/suites/`` (``shipped_suite_path``; read
by ``tfvae.benchmarks.suites``).
"""
import importlib.resources
import importlib.util
import os
import pathlib
from typing import List

import ml_collections


def load_module_file(path: str, prefix: str = "tfvae_config_"):
  """The Python file at ``path``, executed as a module (not added to ``sys.modules``)."""
  if not os.path.exists(path):
    raise FileNotFoundError(f"file not found: {path}")
  name = prefix + os.path.splitext(os.path.basename(path))[0]
  spec = importlib.util.spec_from_file_location(name, path)
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return module


def load_config_file(path: str) -> ml_collections.ConfigDict:
  """``get_config()`` of the Python config file at ``path``."""
  if not os.path.exists(path):
    raise FileNotFoundError(f"config file not found: {path}")
  module = load_module_file(path)
  if not callable(getattr(module, "get_config", None)):
    raise AttributeError(f"{path} defines no get_config() function")
  return module.get_config()


def _configs_root():
  """The installed ``tfvae.configs``; for ``tfvae`` imported from a source checkout (the
  repository root on ``sys.path``, as under pytest), the checkout's ``configs/``."""
  try:
    return importlib.resources.files("tfvae.configs")
  except ModuleNotFoundError:
    return pathlib.Path(__file__).resolve().parent.parent / "configs"


def shipped_config_names() -> List[str]:
  """Names of the configs installed with the package (``configs/*.py``)."""
  root = _configs_root()
  return sorted(p.name[:-3] for p in root.iterdir()
                if p.name.endswith(".py") and not p.name.startswith("_"))


def shipped_config_path(name: str) -> str:
  """The installed file of the shipped config ``name`` (``"vae_binarized_mnist"``, with or
  without ``.py``); unknown names raise a ``KeyError`` listing the shipped ones."""
  name = name[:-3] if name.endswith(".py") else name
  if name not in shipped_config_names():
    raise KeyError(f"no shipped config {name!r}; shipped configs: "
                   f"{', '.join(shipped_config_names())}")
  return str(_configs_root() / f"{name}.py")


def resolve_config(path_or_name: str) -> str:
  """``path_or_name`` if it is a file, else the shipped config of that name."""
  if os.path.exists(path_or_name):
    return path_or_name
  if os.sep not in path_or_name and "/" not in path_or_name:
    try:
      return shipped_config_path(path_or_name)
    except KeyError:
      pass
  return path_or_name


def shipped_suite_names() -> List[str]:
  """Names of the benchmark suites installed with the package (``configs/suites/*.py``)."""
  root = _configs_root() / "suites"
  return sorted(p.name[:-3] for p in root.iterdir()
                if p.name.endswith(".py") and not p.name.startswith("_"))


def shipped_suite_path(name: str) -> str:
  """The installed file of the shipped benchmark suite ``name``; unknown names raise a
  ``KeyError`` listing the shipped ones."""
  name = name[:-3] if name.endswith(".py") else name
  if name not in shipped_suite_names():
    raise KeyError(f"unknown suite {name!r}; known: {shipped_suite_names()}")
  return str(_configs_root() / "suites" / f"{name}.py")


def sibling_module(file: str, name: str):
  """The Python file ``<name>.py`` next to ``file`` (pass ``__file__``), loaded as a
  module: a suite file reads the budgets of the suite it extends this way."""
  return load_module_file(os.path.join(os.path.dirname(os.path.abspath(file)),
                                       name + ".py"), prefix="tfvae_sibling_")


def base_config(variant_file: str, base_name: str) -> ml_collections.ConfigDict:
  """The config ``<base_name>.py`` found next to ``variant_file`` (pass ``__file__``)."""
  return load_config_file(os.path.join(os.path.dirname(os.path.abspath(variant_file)),
                                       base_name + ".py"))
