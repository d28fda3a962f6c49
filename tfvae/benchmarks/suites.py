"""Benchmark suites of ``tfvae-benchmark --suite=...``: loading and checking suite files.

A suite is a Python file defining ``get_suite()``, which returns its entries: dicts of the
fields of ``Entry`` (or ``Entry`` objects). The shipped suites live beside the shipped
configs, in the repository's ``configs/suites/`` (installed as ``tfvae.configs.suites``),
so they are found by name from a checkout and from an installed wheel alike; ``--suite``
also takes the path of a suite file of your own.

An entry names a config (``configs/<name>.py``: the file under ``--repo_root`` when there
is one, else the shipped config of that name; see ``entry_config_file``) and dotted
overrides that fix its training budget; ``{shared}`` in an override is replaced by the
shared-data folder (``--shared_data``).
"""
import dataclasses
import os
from typing import Dict, List, Optional

from tfvae import config_files


@dataclasses.dataclass(frozen=True)
class Entry:
  """One benchmarked config: ``overrides`` fix the budget; k / examples fix evaluation."""
  name: str
  config: str
  overrides: Dict[str, object] = dataclasses.field(default_factory=dict)
  iwae_samples: int = 100
  eval_examples: int = 1000  # 0 = the whole test split
  eval_spaced: bool = True  # eval_examples evenly spaced (False: the first ones)
  paired_with: str = ""  # entry of the same suite: paired NLL difference on the same examples
  speed_steps: int = 50  # steps per timed window of the speed comparison (0 = skip)
  speed_overrides: Dict[str, object] = dataclasses.field(default_factory=dict)
  flops_batch: int = 0  # also report the step's FLOP/s at this batch vs the matmul peak
  report_terms: tuple = ()  # extra test loss terms shown in the markdown table
  # "suite:entry" whose finished workdir is copied in first, so training resumes from
  # its last checkpoint (the row's budget then counts both runs; see run_entry).
  continue_from: str = ""
  # "best": evaluate the best-validation checkpoint that early stopping kept (else latest)
  eval_checkpoint: str = ""
  # examples/s the config's train step should reach (the table says met / missed; 0: none)
  speed_target: float = 0
  # fraction of the fp32 matmul peak the flops_batch step should reach (0: none)
  flops_target: float = 0


ENTRY_FIELDS = tuple(f.name for f in dataclasses.fields(Entry))


def suite_names() -> List[str]:
  """The shipped suites (``configs/suites/*.py``)."""
  return config_files.shipped_suite_names()


def _is_file(suite: str) -> bool:
  return suite.endswith(".py") and (os.sep in suite or "/" in suite or os.path.exists(suite))


def suite_name(suite: str) -> str:
  """The name a suite's folder, JSON and markdown block go by: the shipped name, or the
  file name of a suite file (``my/suites/nightly.py`` -> ``nightly``)."""
  return os.path.splitext(os.path.basename(suite))[0] if suite.endswith(".py") else suite


def suite_path(suite: str) -> str:
  """The file of ``suite``: a path to a ``.py`` file, or the name of a shipped suite."""
  if _is_file(suite):
    if not os.path.exists(suite):
      raise ValueError(f"suite file not found: {suite}")
    return os.path.abspath(suite)
  try:
    return config_files.shipped_suite_path(suite)
  except KeyError:
    raise ValueError(f"unknown suite {suite!r}; known: {suite_names()} "
                     "(or pass the path of a suite file)") from None


def make_entry(fields, where: str = "") -> Entry:
  """An ``Entry`` of a suite file's dict (unknown or missing fields are named)."""
  if isinstance(fields, Entry):
    return fields
  if not isinstance(fields, dict):
    raise ValueError(f"{where}: an entry must be a dict of Entry fields, got "
                     f"{type(fields).__name__}")
  label = f"{where}, entry {fields.get('name', '?')!r}"
  unknown = sorted(set(fields) - set(ENTRY_FIELDS))
  if unknown:
    raise ValueError(f"{label}: unknown fields {unknown}; an entry has "
                     f"{list(ENTRY_FIELDS)}")
  missing = [k for k in ("name", "config") if not fields.get(k)]
  if missing:
    raise ValueError(f"{label}: missing {missing}")
  fields = dict(fields)
  for key in ("overrides", "speed_overrides"):
    value = fields.get(key, {})
    if not isinstance(value, dict):
      raise ValueError(f"{label}: {key} must be a dict of dotted keys, got {value!r}")
    fields[key] = dict(value)
  terms = fields.get("report_terms", ())
  fields["report_terms"] = (terms,) if isinstance(terms, str) else tuple(terms)
  return Entry(**fields)


def load_suite_file(path: str) -> List[Entry]:
  """The entries of the suite file at ``path`` (its ``get_suite()``), checked."""
  module = config_files.load_module_file(path, prefix="tfvae_suite_")
  if not callable(getattr(module, "get_suite", None)):
    raise ValueError(f"suite file {path} defines no get_suite() function")
  entries = [make_entry(e, f"suite file {path}") for e in module.get_suite()]
  names = [e.name for e in entries]
  repeated = sorted({n for n in names if names.count(n) > 1})
  if repeated:
    raise ValueError(f"suite file {path}: entry names used twice: {repeated}")
  if not entries:
    raise ValueError(f"suite file {path}: get_suite() returned no entries")
  return entries


def get_suite(suite: str) -> List[Entry]:
  """The entries of the shipped suite ``suite``, or of the suite file at that path."""
  return load_suite_file(suite_path(suite))


def find_entry(suite: str, name: str) -> Entry:
  entries = {e.name: e for e in get_suite(suite)}
  if name not in entries:
    raise ValueError(f"suite {suite!r} has no entry {name!r}; known: {sorted(entries)}")
  return entries[name]


def entry_config_file(entry: Entry, repo_root: Optional[str] = None) -> str:
  """The config file of ``entry``: ``entry.config`` under ``repo_root`` (a checkout, or
  the folder a suite's own configs are in) or as an absolute path, if that file exists;
  else the shipped config of the same name (``configs/vae_binarized_mnist.py`` ->
  ``vae_binarized_mnist``), so that a suite runs from an installed package."""
  local = os.path.join(repo_root or "", entry.config)
  if (repo_root or os.path.isabs(entry.config)) and os.path.exists(local):
    return local
  name = os.path.splitext(os.path.basename(entry.config))[0]
  try:
    return config_files.shipped_config_path(name)
  except KeyError:
    raise FileNotFoundError(
        f"entry {entry.name!r}: config {entry.config!r} is neither a file under "
        f"--repo_root={repo_root or ''} nor a shipped config") from None
