"""Gathers the per-epoch logs of training workdirs into one JSON (raw output of short runs).

  tfvae-benchmark --collect_histories --workdirs=runs/a,runs/b \
      --keys=val_elbo,val_used_categories --output=runs/histories.json

Per workdir: its resolved config (``config.json``) and, for each key, the value of every
epoch in order (``history.json``; the runs of a resumed workdir are concatenated at their
``initial_epoch``, so a later run overwrites the epochs it repeated).
"""
import json
import os
from typing import Optional, Sequence


def epoch_logs(workdir: str, keys=None) -> dict:
  """``{key: [value of epoch 1, 2, ...]}`` from ``workdir/history.json``."""
  path = os.path.join(workdir, "history.json")
  if not os.path.exists(path):
    raise FileNotFoundError(f"no history.json in {workdir}: not a finished tfvae-train "
                            "workdir")
  with open(path) as f:
    runs = json.load(f)
  by_key = {}
  for run in runs:
    start = int(run["initial_epoch"])
    for key, values in run["logs"].items():
      if keys and key not in keys:
        continue
      column = by_key.setdefault(key, [])
      del column[start:]
      column.extend([None] * (start - len(column)))
      column.extend(values)
  missing = [k for k in keys or () if k not in by_key]
  if missing:
    raise KeyError(f"{workdir}: history.json has no {missing}; it has {sorted(by_key)}")
  return by_key


def collect(workdirs: Sequence[str], keys: Optional[Sequence[str]] = None) -> dict:
  """``{workdir's base name: {"workdir", "config", "epochs": epoch_logs(...)}}``."""
  out = {}
  for workdir in workdirs:
    with open(os.path.join(workdir, "config.json")) as f:
      config = json.load(f)
    out[os.path.basename(os.path.normpath(workdir))] = {
        "workdir": os.path.abspath(workdir), "config": config,
        "epochs": epoch_logs(workdir, keys)}
  return out


def write(workdirs: Sequence[str], output: str,
          keys: Optional[Sequence[str]] = None) -> dict:
  """``collect`` written to the JSON file ``output`` (replaced whole); returns it."""
  result = collect(workdirs, keys)
  os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
  tmp = output + ".tmp"
  with open(tmp, "w") as f:
    json.dump(result, f, indent=1)
  os.replace(tmp, output)
  return result
