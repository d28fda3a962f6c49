"""Loading ``configs/*.py`` files by path, so a variant config can start from its base.

A config file defines ``get_config()`` returning an ``ml_collections.ConfigDict``. A variant
(e.g. a different number of components) calls ``base_config(__file__, "base_name")`` and
changes only what differs, instead of copying the whole file.
"""
import importlib.util
import os

import ml_collections


def load_config_file(path: str) -> ml_collections.ConfigDict:
  """``get_config()`` of the Python config file at ``path``."""
  if not os.path.exists(path):
    raise FileNotFoundError(f"config file not found: {path}")
  name = "tfvae_config_" + os.path.splitext(os.path.basename(path))[0]
  spec = importlib.util.spec_from_file_location(name, path)
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  if not callable(getattr(module, "get_config", None)):
    raise AttributeError(f"{path} defines no get_config() function")
  return module.get_config()


def base_config(variant_file: str, base_name: str) -> ml_collections.ConfigDict:
  """The config ``<base_name>.py`` found next to ``variant_file`` (pass ``__file__``)."""
  return load_config_file(os.path.join(os.path.dirname(os.path.abspath(variant_file)),
                                       base_name + ".py"))
