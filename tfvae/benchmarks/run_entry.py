"""Runs one benchmark-suite entry in this process and writes its figures as JSON.

  python -m tfvae.benchmarks.run_entry --suite=quick --entry=vae_diag \
      --workdir=runs/benchmarks/quick/vae_diag --output=/tmp/vae_diag.json

``tfvae-benchmark --suite`` starts one such process per entry, so that each entry's peak
memory (``ru_maxrss``) is its own and a crash of one model does not stop the suite.
Figures: training examples/s (median of the epochs after the first, which compiles),
compile time (first epoch minus that median), test ELBO and IWAE NLL, peak RSS, and the
train-step speed of the config's own settings against a plain ``tf.function`` loop in the
same process (``throughput.measure``).
"""
import json
import os
import resource
import shutil
import time
from typing import Optional

from absl import app
from absl import flags

from tfvae.cli.common import quiet_tensorflow
from tfvae.training.train_settings import TRAIN_DEFAULTS, setting

_SUITE = flags.DEFINE_string("suite", "quick", "A shipped suite's name or a suite file "
                             "(tfvae.benchmarks.suites).")
_ENTRY = flags.DEFINE_string("entry", None, "Entry name within the suite.")
_WORKDIR = flags.DEFINE_string("workdir", None, "Training workdir of this entry.")
_OUTPUT = flags.DEFINE_string("output", None, "JSON path for the figures.")
_REPO = flags.DEFINE_string("repo_root", os.getcwd(), "Folder holding configs/ (a "
                            "config it lacks is taken from the shipped ones; '' = only "
                            "the shipped ones).")
_SHARED = flags.DEFINE_string("shared_data", None, "Shared data folder ({shared}).")
_FRESH = flags.DEFINE_bool("fresh", True, "Delete the workdir first (else resume).")
flags.mark_flags_as_required(["entry", "workdir", "output"])


def apply_overrides(config, overrides: dict, shared_data: str = ""):
  """Sets dotted ``overrides`` on a copy of ``config``; ``{shared}`` in strings expands.

  Each key must exist in the config, or be a ``config.train`` setting with a default
  (``TRAIN_DEFAULTS``)."""
  config = config.copy_and_resolve_references()
  with config.unlocked():
    for key, value in overrides.items():
      if isinstance(value, str):
        value = value.replace("{shared}", shared_data or "")
      *parents, leaf = key.split(".")
      node = config
      for p in parents:
        if p not in node:
          raise KeyError(f"override {key!r}: config has no section {p!r}")
        node = node[p]
      # config.train may leave out any trainer setting that has a default.
      if leaf not in node and not (parents == ["train"] and leaf in TRAIN_DEFAULTS):
        raise KeyError(f"override {key!r}: config has no key {leaf!r}; "
                       f"known: {sorted(node.keys())}")
      node[leaf] = value
  return config


def _median(values):
  values = sorted(values)
  n = len(values)
  return float(values[n // 2] if n % 2 else 0.5 * (values[n // 2 - 1] + values[n // 2]))


def first_epoch_overhead(epoch_seconds) -> Optional[float]:
  """Compile and warm-up time: the first epoch minus the median of the next three.

  Only neighbouring epochs: over a long run the machine's load drifts, and a median of
  all epochs can make a long run's overhead come out negative.
  """
  if len(epoch_seconds) < 2:
    return None
  return float(epoch_seconds[0]) - _median(epoch_seconds[1:4])


def source_workdir(continue_from: str, workdir: str) -> str:
  """The workdir of ``suite:entry`` beside this suite's folder (``<workdir>/../../suite``)."""
  if continue_from.count(":") != 1:
    raise ValueError(f"continue_from must be 'suite:entry', got {continue_from!r}")
  suite, name = continue_from.split(":")
  return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(workdir))), suite, name)


def epochs_done(runs) -> int:
  """The last epoch that ``history.json``'s runs reached. Each run records the epoch it
  resumed from: a run cut off before it wrote its logs (a killed session resumed with
  ``--resume``) leaves no entry, so counting the logged epochs would undercount."""
  return max((r["initial_epoch"] + max(map(len, r["logs"].values()), default=0)
              for r in runs), default=0)


_CONTINUED = "continued_from.json"  # in the copied workdir: where from, at which epoch


def continue_workdir(entry, workdir: str) -> Optional[dict]:
  """Copies ``entry.continue_from``'s finished workdir into ``workdir`` (training then
  resumes from its last checkpoint); returns where from and at which epoch, or None.

  A workdir that exists already (a resumed entry, ``fresh=False``) is kept; the record
  written at the copy is returned again."""
  if not entry.continue_from:
    return None
  record = os.path.join(workdir, _CONTINUED)
  if os.path.isdir(workdir):
    if not os.path.exists(record):
      return None
    with open(record) as f:
      return json.load(f)
  source = source_workdir(entry.continue_from, workdir)
  history_path = os.path.join(source, "history.json")
  if not os.path.exists(history_path):
    raise FileNotFoundError(
        f"entry {entry.name!r} continues {entry.continue_from!r}, but {source} holds no "
        "finished run: run that entry first")
  # Copied beside the workdir and renamed: an interrupted copy never looks like a run.
  partial = workdir.rstrip(os.sep) + ".partial"
  if os.path.isdir(partial):
    shutil.rmtree(partial)
  shutil.copytree(source, partial)
  with open(history_path) as f:
    epochs = epochs_done(json.load(f))
  continued = {"entry": entry.continue_from, "workdir": source, "epochs": epochs}
  with open(os.path.join(partial, _CONTINUED), "w") as f:
    json.dump(continued, f)
  os.replace(partial, workdir)
  return continued


def run_entry(entry, workdir: str, repo_root: str, shared_data: str = "",
              fresh: bool = True) -> dict:
  """Trains, evaluates and times ``entry``; returns the JSON-ready figures."""
  from tfvae.benchmarks import throughput  # pylint: disable=g-import-not-at-top
  from tfvae.benchmarks.suites import entry_config_file  # pylint: disable=g-import-not-at-top
  from tfvae.config_files import load_config_file  # pylint: disable=g-import-not-at-top
  from tfvae.evaluation.run_evaluation import evaluate_run  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import train  # pylint: disable=g-import-not-at-top
  import keras  # pylint: disable=g-import-not-at-top
  config = apply_overrides(load_config_file(entry_config_file(entry, repo_root)),
                           entry.overrides, shared_data)
  if fresh and os.path.isdir(workdir):
    shutil.rmtree(workdir)
  continued = continue_workdir(entry, workdir)
  out = {"entry": entry.name, "config": entry.config, "overrides": dict(entry.overrides),
         "report_terms": list(entry.report_terms),
         "model": str(config.model.name), "batch_size": int(config.train.batch_size),
         "epochs": int(config.train.epochs)}
  if continued:
    out["continued_from"] = continued
  start = time.perf_counter()
  result = train(config, workdir, log=lambda *a: None)
  out["train_seconds"] = time.perf_counter() - start
  seconds = list(result.epoch_seconds)
  out["epoch_seconds"] = seconds
  if len(seconds) > 1:
    out["compile_seconds"] = first_epoch_overhead(seconds)
  # None when the copied run had already done the whole budget (evaluation only).
  out["train_examples_per_sec"] = result.examples_per_sec if seconds else None
  out["steps_per_epoch"] = int(setting(config.train, "steps_per_epoch") or 0) or None
  out["steps_per_full_epoch"] = int(result.splits.steps_per_epoch(out["batch_size"]))
  out["stopped_on_nan"] = result.stopped_on_nan
  out["epochs_done"] = int(result.epochs_done)
  # Checkpoints key variables by their Keras path, which holds auto-numbered names
  # ("sequence_vae_1/..." for a second instance): evaluate in a fresh Keras session,
  # as tfvae-evaluate does in its own process.
  del result
  keras.backend.clear_session()
  start = time.perf_counter()
  evaluation = evaluate_run(workdir, iwae_samples=entry.iwae_samples,
                            max_examples=entry.eval_examples, log=lambda *a: None,
                            spaced=entry.eval_spaced,
                            checkpoint=entry.eval_checkpoint or None)
  out["eval_seconds"] = time.perf_counter() - start
  out["test"] = {k: evaluation[k] for k in ("split", "subset", "examples", "iwae_samples",
                                            "elbo", "nll", "nll_stderr", "terms")}
  out["test"]["checkpoint_epoch"] = int(evaluation["epoch"])
  out["per_example"] = evaluation["per_example"]  # write_json stores it beside the JSON
  for key in ("cluster_accuracy", "prepared", "pen_lifts"):
    if evaluation.get(key):
      out["test"][key] = evaluation[key]
  out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
  if entry.speed_steps:
    speed_config = apply_overrides(config, entry.speed_overrides, shared_data)
    tuned = throughput.config_settings(speed_config)
    spe = int(tuned["steps_per_execution"])
    steps = -(-max(entry.speed_steps, spe) // spe) * spe
    base = throughput.measure(speed_config, "baseline_tf_function", steps, windows=3)
    best = throughput.measure(speed_config, "config", steps, windows=3, settings=tuned)
    out["speed"] = {"steps_per_window": steps, "windows": 3, "settings": tuned,
                    "baseline_examples_per_sec": base.examples_per_sec,
                    "config_examples_per_sec": best.examples_per_sec,
                    "ratio": best.examples_per_sec / base.examples_per_sec,
                    "baseline_compile_seconds": base.compile_seconds,
                    "config_compile_seconds": best.compile_seconds}
  if entry.flops_batch:
    out["flops"] = _flop_rate(config, entry.flops_batch, shared_data)
  out["load_average"] = list(os.getloadavg())
  return out


def _flop_rate(config, batch: int, shared_data: str) -> dict:
  """Training FLOP/s of ``config``'s step at ``batch`` (its own settings; matmul FLOPs
  counted from the traced step) and the fp32 matmul peak measured in the same process."""
  from tfvae.benchmarks import throughput  # pylint: disable=g-import-not-at-top
  config = apply_overrides(config, {"train.batch_size": batch}, shared_data)
  settings = throughput.config_settings(config)
  spe = int(settings["steps_per_execution"])
  m = throughput.measure(config, f"config_batch{batch}", -(-100 // spe) * spe, windows=3,
                         settings=settings, count_flops=True)
  return dict(throughput.flop_rate(m, throughput.matmul_peak_gflops()),
              batch_size=batch, examples_per_sec=m.examples_per_sec)


def main(argv):
  del argv
  quiet_tensorflow()
  from tfvae.benchmarks.suites import find_entry  # pylint: disable=g-import-not-at-top
  from tfvae.evaluation.run_evaluation import write_json  # pylint: disable=g-import-not-at-top
  entry = find_entry(_SUITE.value, _ENTRY.value)
  out = run_entry(entry, os.path.abspath(_WORKDIR.value), _REPO.value, _SHARED.value or "",
                  fresh=_FRESH.value)
  write_json(out, _OUTPUT.value)


if __name__ == "__main__":
  app.run(main)
