"""Every library module imports into one process, as pytest imports them.

Two modules that define the same absl flag at import time cannot both be imported (absl
raises DuplicateFlagError); this broke test collection once (collect_histories and
run_entry both defined ``--output``). The command-line modules under ``tfvae.cli`` are
entry points, one per process, and are left out.
"""
import importlib
import pkgutil

import tfvae


def _library_modules():
  for info in pkgutil.walk_packages(tfvae.__path__, prefix="tfvae."):
    if info.name.startswith("tfvae.cli"):
      continue
    yield info.name


def test_all_library_modules_import_together():
  names = list(_library_modules())
  assert len(names) > 40, names
  failures = {}
  for name in names:
    try:
      importlib.import_module(name)
    except Exception as e:  # pylint: disable=broad-except
      failures[name] = f"{type(e).__name__}: {e}"
  assert not failures, failures
