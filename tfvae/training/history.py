"""``<workdir>/history.json``: the per-epoch logs of every run in a workdir.

A list with one entry per run (each call of ``train``)::

  [{"initial_epoch": 0, "time": ..., "logs": {"loss": [...], "val_elbo": [...]}},
   {"initial_epoch": 40, "time": ..., "config_changes": [...], "logs": {...}}]

``logs`` holds, like Keras' ``History``, one value per epoch for every key that epoch
logged (validation keys only on validation epochs). The file is rewritten atomically
after every epoch, so a run that is killed keeps the epochs it finished.
"""
import json
import os
import time

import keras


def read_history(path: str) -> list:
  """The runs recorded in ``path`` (``[]`` if it does not exist)."""
  if not os.path.exists(path):
    return []
  with open(path) as f:
    return json.load(f)


def write_history(path: str, runs: list) -> None:
  tmp = path + ".tmp"
  with open(tmp, "w") as f:
    json.dump(runs, f, indent=1)
  os.replace(tmp, path)


class HistoryWriter(keras.callbacks.Callback):
  """Appends this run to ``path`` and rewrites it at the end of every epoch."""

  def __init__(self, path: str, initial_epoch: int, config_changes=()):
    super().__init__()
    self.path = path
    self.run = {"initial_epoch": int(initial_epoch), "time": time.time(), "logs": {}}
    if config_changes:
      self.run["config_changes"] = list(config_changes)

  def on_epoch_end(self, epoch, logs=None):
    for key, value in (logs or {}).items():
      self.run["logs"].setdefault(key, []).append(float(value))
    runs = read_history(self.path)
    if runs and runs[-1].get("time") == self.run["time"]:
      runs[-1] = self.run
    else:
      runs.append(self.run)
    write_history(self.path, runs)
