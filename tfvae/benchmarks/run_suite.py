"""Runs a suite: one subprocess per entry, then the JSON and the markdown block.

Each entry runs ``python -m tfvae.benchmarks.run_entry`` so that its peak memory is its
own and one failure is reported in the table instead of stopping the suite.

Where the results go: in a repository checkout (``docs_dir``), ``docs/benchmarks/
suite_<name>.json`` and the suite's block of ``docs/benchmarks.md``; anywhere else
(``output_dir``, e.g. the suite's workdir), ``suite_<name>.json`` and ``benchmarks.md``
in that folder.
"""
import datetime
import json
import os
import platform
import subprocess
import sys
import time
from typing import List, Optional

import numpy as np

from tfvae.benchmarks import machine
from tfvae.benchmarks import report
from tfvae.benchmarks import suites
from tfvae.benchmarks.suites import get_suite


def _versions() -> dict:
  import keras  # pylint: disable=g-import-not-at-top
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  import tensorflow_probability as tfp  # pylint: disable=g-import-not-at-top
  return {"tensorflow": tf.__version__, "keras": keras.__version__, "tfp": tfp.__version__,
          "python": platform.python_version()}


def estimate_full_suite(quick: dict, repo_root: Optional[str]) -> list:
  """Hours the ``full`` suite would take here, scaled from the quick rows of the same
  config: steady seconds per step x the config's steps (training) and the quick
  evaluation time x (k x examples) ratio (evaluation; compile time ignored)."""
  from tfvae.config_files import load_config_file  # pylint: disable=g-import-not-at-top
  rows = {r["config"]: r for r in quick["entries"] if "error" not in r}
  estimate = []
  for entry in get_suite("full"):
    row = rows.get(entry.config)
    if not row or len(row.get("epoch_seconds", ())) < 2 or not row.get("steps_per_epoch"):
      estimate.append({"entry": entry.name, "config": entry.config, "hours": None})
      continue
    seconds = sorted(row["epoch_seconds"][1:])[len(row["epoch_seconds"][1:]) // 2]
    per_step = seconds / row["steps_per_epoch"]
    epochs = int(load_config_file(suites.entry_config_file(entry, repo_root)).train.epochs)
    train_h = per_step * row["steps_per_full_epoch"] * epochs / 3600
    test = row["test"]
    examples = entry.eval_examples or 10000
    eval_h = (row["eval_seconds"] * (entry.iwae_samples * examples)
              / (test["iwae_samples"] * test["examples"]) / 3600)
    estimate.append({"entry": entry.name, "config": entry.config, "epochs": epochs,
                     "train_hours": train_h, "eval_hours": eval_h,
                     "hours": train_h + eval_h})
  return estimate


def _baseline_json(other: str, workdir: str) -> str:
  """The entry JSON of a ``paired_with`` baseline: ``name`` in this suite's ``workdir``,
  or ``suite:name`` in that suite's folder beside it (``<workdir>/../suite``)."""
  if ":" in other:
    suite, name = other.split(":", 1)
    return os.path.join(os.path.dirname(os.path.abspath(workdir)), suite, f"{name}.json")
  return os.path.join(workdir, f"{other}.json")


def _per_example_values(entry: str, json_path: str, kept: dict):
  """The per-example values of ``entry``: the array beside its JSON in the run folder, or
  else the list kept in the suite's committed ``.per_example.json`` (``kept``); None if
  neither has them."""
  from tfvae.evaluation import paired_difference as paired  # pylint: disable=g-import-not-at-top
  path = paired.per_example_path(json_path)
  if os.path.exists(path):
    return np.load(path)
  if entry in kept:
    return np.asarray(kept[entry], np.float64)
  return None


def kept_per_example(json_path: str) -> dict:
  """The per-entry lists of the suite's ``.per_example.json`` beside ``json_path``."""
  path = json_path[:-len(".json")] + ".per_example.json"
  if not os.path.exists(path):
    return {}
  with open(path) as f:
    return json.load(f)["entries"]


def add_paired_differences(rows: list, entries, workdir: str, log=print,
                           kept: Optional[dict] = None) -> None:
  """For each row whose entry names ``paired_with``: the paired difference of its test
  log-likelihood and the other entry's, over the same examples (positive: this entry is
  better), from the per-example values beside their JSONs in ``workdir`` (a baseline of
  another suite, ``suite:name``, is read from that suite's run folder), or, for a run
  folder that is gone, from the suite's committed per-example lists ``kept``."""
  from tfvae.evaluation import paired_difference as paired  # pylint: disable=g-import-not-at-top
  partners = {e.name: e.paired_with for e in entries if e.paired_with}
  tests = {r["entry"]: r.get("test") for r in rows if "error" not in r}
  for row in rows:
    other = partners.get(row["entry"])
    if not other or "error" in row:
      continue
    other_json = _baseline_json(other, workdir)
    other_test = tests.get(other)
    if ":" in other:
      if not os.path.exists(other_json):
        log(f"    {row['entry']}: no baseline run {other_json} for the paired difference")
        continue
      with open(other_json) as f:
        other_test = json.load(f).get("test")
    if not other_test:
      continue
    values = [_per_example_values(name, path, kept or {}) for name, path in
              ((row["entry"], os.path.join(workdir, f"{row['entry']}.json")),
               (other, other_json))]
    if any(v is None for v in values):
      log(f"    {row['entry']}: no per-example values for the paired difference")
      continue
    try:
      diff = paired.compare_summaries(tests[row["entry"]], values[0], other_test,
                                      values[1], (row["entry"], other))
    except ValueError as e:
      log(f"    {row['entry']}: no paired difference: {e}")
      continue
    row["paired"] = dict(diff, baseline=other)


def write_per_example(rows, workdir: str, json_path: str, log=print) -> Optional[str]:
  """The per-example test values of every entry (``<entry>.per_example.npy`` beside its
  JSON in ``workdir``) into ``<suite json>`` with ``.per_example.json`` (one list per
  entry, in test-split order), the raw output behind the suite's figures. Entries of an
  earlier run whose arrays are no longer in ``workdir`` keep their lists."""
  from tfvae.evaluation import paired_difference as paired  # pylint: disable=g-import-not-at-top
  out_path = json_path[:-len(".json")] + ".per_example.json"
  values = {}
  if os.path.exists(out_path):
    with open(out_path) as f:
      values = json.load(f)["entries"]
  for row in rows:
    path = paired.per_example_path(os.path.join(workdir, f"{row['entry']}.json"))
    if "error" not in row and os.path.exists(path):
      values[row["entry"]] = [float(v) for v in np.load(path)]
  if not values:
    return None
  tmp = out_path + ".tmp"
  with open(tmp, "w") as f:
    json.dump({"what": "per-example IWAE log-likelihood bound of each test example "
                       "(nats; the NLL of the suite JSON is minus their mean)",
               "entries": values}, f)
  os.replace(tmp, out_path)
  log(f"wrote {out_path} ({len(values)} entries)")
  return out_path


def entry_summary(row: dict, seconds: float) -> str:
  """The progress line of one finished entry."""
  speed = row.get("train_examples_per_sec")  # None: a copied run, evaluated only
  return (f"    {seconds:.0f}s: test ELBO {row['test']['elbo']:.2f}, "
          f"NLL {row['test']['nll']:.2f}"
          + (f", train {speed:,.0f} ex/s" if speed is not None else ", not trained here")
          + (f", step x{row['speed']['ratio']:.2f} vs plain" if "speed" in row else ""))


def output_paths(suite_name: str, docs_dir: Optional[str] = None,
                 output_dir: Optional[str] = None):
  """(suite JSON, markdown file) of a suite: a checkout's ``docs/benchmarks/`` and
  ``docs/benchmarks.md`` (``docs_dir``), or the two side by side in ``output_dir``."""
  if docs_dir:
    return (os.path.join(docs_dir, "benchmarks", f"suite_{suite_name}.json"),
            os.path.join(docs_dir, "benchmarks.md"))
  if not output_dir:
    raise ValueError("pass docs_dir (a checkout's docs/) or output_dir")
  return (os.path.join(output_dir, f"suite_{suite_name}.json"),
          os.path.join(output_dir, "benchmarks.md"))


def _add_targets(rows: list, entries) -> None:
  """Each row's speed and FLOP/s targets, as its suite entry defines them now."""
  targets = {e.name: e for e in entries}
  for row in rows:
    entry = targets.get(row["entry"])
    for key in ("speed_target", "flops_target"):
      if entry is not None and getattr(entry, key):
        row[key] = getattr(entry, key)


def run_suite(suite: str, repo_root: Optional[str], workdir: str, docs_dir: Optional[str],
              shared_data: str, entries: Optional[List[str]] = None,
              timeout: Optional[float] = None, fresh: bool = True, log=print,
              command: str = "", collect_only: bool = False,
              output_dir: Optional[str] = None) -> dict:
  """Runs ``suite`` (or the named ``entries`` of it); writes JSON and markdown.

  ``suite``: a shipped suite's name or a suite file's path. ``repo_root``: a checkout
  whose ``configs/`` the entries use (else, or for configs it lacks, the shipped ones).
  ``docs_dir``: a checkout's ``docs/``, whose ``benchmarks.md`` block and
  ``benchmarks/suite_<name>.json`` are regenerated; without it, both go to
  ``output_dir`` (``output_paths``).
  ``collect_only``: run nothing; gather the per-entry JSONs already in ``workdir`` (e.g.
  after an interrupted suite) into the suite JSON and the markdown block.
  """
  name = suites.suite_name(suite)
  json_path, md = output_paths(name, docs_dir, output_dir)
  # The entry processes find the suite by name, or a suite file by its absolute path.
  suite_arg = suites.suite_path(suite) if name != suite else suite
  defined = get_suite(suite)
  selected = defined
  if entries:
    known = {e.name for e in selected}
    unknown = [n for n in entries if n not in known]
    if unknown:
      raise ValueError(f"suite {suite!r} has no entries {unknown}; known: {sorted(known)}")
    selected = [e for e in selected if e.name in entries]
  os.makedirs(workdir, exist_ok=True)
  os.makedirs(os.path.dirname(md), exist_ok=True)
  result = {"suite": name, "command": command or f"tfvae-benchmark --suite={suite}",
            "date": datetime.datetime.now().isoformat(timespec="seconds"),
            "machine": machine.describe(),
            "versions": _versions(), "load_average_start": list(os.getloadavg()),
            "entries": [], "collected": bool(collect_only)}
  start = time.perf_counter()
  for i, entry in enumerate(selected, 1):
    out_json = os.path.join(workdir, f"{entry.name}.json")
    if collect_only:
      if os.path.exists(out_json):
        with open(out_json) as f:
          result["entries"].append(json.load(f))
        log(f"[{i}/{len(selected)}] {entry.name}: collected {out_json}")
      else:
        log(f"[{i}/{len(selected)}] {entry.name}: no {out_json}, skipped")
      continue
    if os.path.exists(out_json):
      os.remove(out_json)
    cmd = [sys.executable, "-m", "tfvae.benchmarks.run_entry", f"--suite={suite_arg}",
           f"--entry={entry.name}", f"--workdir={os.path.join(workdir, entry.name)}",
           f"--output={out_json}", f"--repo_root={repo_root or ''}",
           f"--shared_data={shared_data}", f"--fresh={fresh}"]
    log(f"[{i}/{len(selected)}] {entry.name} ({entry.config}) ...")
    t0 = time.perf_counter()
    error = None
    try:
      proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                            check=False)
      if proc.returncode != 0:
        tail = [l for l in proc.stderr.strip().splitlines() if l.strip()][-1:]
        error = f"exit {proc.returncode}: {tail[0] if tail else ''}"
        with open(os.path.join(workdir, f"{entry.name}.stderr"), "w") as f:
          f.write(proc.stderr)
    except subprocess.TimeoutExpired:
      error = f"timed out after {timeout:.0f} s"
    if error is None:
      with open(out_json) as f:
        row = json.load(f)
      log(entry_summary(row, time.perf_counter() - t0))
    else:
      row = {"entry": entry.name, "config": entry.config, "error": error}
      log(f"    FAILED: {error}")
    result["entries"].append(row)
  result["wall_seconds"] = time.perf_counter() - start
  result["load_average_end"] = list(os.getloadavg())
  if entries and os.path.exists(json_path):
    # A partial re-run replaces its own rows and keeps the others of the last full run.
    with open(json_path) as f:
      last = json.load(f)
    previous = {r["entry"]: r for r in last["entries"]}
    result["last_full_run"] = last.get("last_full_run") or (
        None if last.get("partial_rerun") else
        {k: last[k] for k in ("command", "date", "wall_seconds", "load_average_start",
                              "load_average_end")})
    rows = {r["entry"]: r for r in result["entries"]}
    result["entries"] = [rows.get(e.name) or previous[e.name] for e in defined
                         if e.name in rows or e.name in previous]
    result["partial_rerun"] = list(entries)
  # After the merge, so that a re-run entry pairs with a baseline kept from the last run.
  add_paired_differences(result["entries"], defined, workdir, log,
                         kept=kept_per_example(json_path))
  _add_targets(result["entries"], defined)
  os.makedirs(os.path.dirname(json_path), exist_ok=True)
  # As the markdown names it: from the checkout's root, or beside the markdown file.
  result["json_path"] = os.path.relpath(json_path, repo_root if docs_dir and repo_root
                                        else os.path.dirname(md))
  tmp = json_path + ".tmp"
  with open(tmp, "w") as f:
    json.dump(result, f, indent=1)
  os.replace(tmp, json_path)
  write_per_example(result["entries"], workdir, json_path, log)
  if name == "quick":
    result["full_suite_estimate"] = estimate_full_suite(result, repo_root)
  report.update_markdown(md, name, report.render(result))
  log(f"wrote {json_path} and the {name!r} block of {md} "
      f"({result['wall_seconds'] / 60:.1f} min)")
  return result
