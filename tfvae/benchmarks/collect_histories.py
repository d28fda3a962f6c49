"""Gathers the per-epoch logs of training workdirs into one JSON (raw output of short runs).

  python -m tfvae.benchmarks.collect_histories --workdirs=runs/a,runs/b \
      --keys=val_elbo,val_used_categories --output=runs/histories.json

Per workdir: its resolved config (``config.json``) and, for each key, the value of every
epoch in order (``history.json``; the runs of a resumed workdir are concatenated at their
``initial_epoch``, so a later run overwrites the epochs it repeated).
"""
import json
import os

from absl import app
from absl import flags

FLAGS = flags.FLAGS


def _define_flags():
  """Flags of the script only: importing this module (tests, suites) defines none, so
  its ``--output`` cannot clash with another module's."""
  flags.DEFINE_list("workdirs", None, "Training workdirs (tfvae-train).")
  flags.DEFINE_list("keys", None, "Log keys to keep (default: all).")
  flags.DEFINE_string("output", None, "JSON path to write.")
  flags.mark_flags_as_required(["workdirs", "output"])


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


def collect(workdirs, keys=None) -> dict:
  out = {}
  for workdir in workdirs:
    with open(os.path.join(workdir, "config.json")) as f:
      config = json.load(f)
    out[os.path.basename(os.path.normpath(workdir))] = {
        "workdir": os.path.abspath(workdir), "config": config,
        "epochs": epoch_logs(workdir, keys)}
  return out


def main(argv):
  del argv
  result = collect(FLAGS.workdirs, FLAGS.keys)
  tmp = FLAGS.output + ".tmp"
  with open(tmp, "w") as f:
    json.dump(result, f, indent=1)
  os.replace(tmp, FLAGS.output)
  print(f"wrote {FLAGS.output} ({len(result)} runs)")


if __name__ == "__main__":
  _define_flags()
  app.run(main)
