"""tfvae-benchmark: a named suite of configs, or the speed levers of one config.

  tfvae-benchmark --suite=quick          # every family, short budgets (< 15 min, CPU)
  tfvae-benchmark --suite=full           # the configs' own budgets, IWAE k = 5000
  tfvae-benchmark --suite=quick --entries=vae_diag,vae_iaf   # re-run some rows
  tfvae-benchmark --suite=full --resume  # after an interruption: resume each entry's run
  tfvae-benchmark --suite=my_suite.py --workdir=runs/bench   # a suite file of your own
  tfvae-benchmark --config=configs/vae_binarized_mnist.py --variants=all \
      --output=docs/throughput_vae.json
  tfvae-benchmark --config=configs/vae_binarized_mnist.py --variants=fit_bf16 \
      --profile_ops=20 --windows=0       # top TF/XLA ops of 20 traced train steps

The shipped suites are files of ``configs/suites/`` (installed as ``tfvae.configs.suites``);
``--suite`` also takes the path of a suite file (``tfvae.benchmarks.suites``). Entries use
the configs of ``--repo_root`` (default: this folder) where it has them, else the shipped
configs, so a suite runs from an installed package in any folder. In a repository
checkout (``--repo_root`` holding ``docs/benchmarks.md``) a suite writes
``docs/benchmarks/suite_<name>.json`` and regenerates its block of ``docs/benchmarks.md``
(tfvae.benchmarks.report); elsewhere, or with ``--output_dir``, it writes
``suite_<name>.json`` and ``benchmarks.md`` into ``--output_dir`` (default: ``--workdir``). ``--config`` prints a table of
examples/s and the ratio to the plain tf.function baseline measured in the same process;
with ``--profile_ops=N`` it then traces N train steps under the one variant named by
``--variants`` and prints the top ops (tfvae.benchmarks.op_profile), also written to
``--output`` under ``op_profile``. ``--windows=0`` skips the throughput windows.
``--micro=gibbs_loop`` / ``--micro=optimizer_update`` time one piece of a step alone::

  tfvae-benchmark --micro=gibbs_loop --config=configs/dvae_caltech_paper.py
  tfvae-benchmark --micro=optimizer_update --config=configs/dvae_caltech_paper.py
"""
import json
import os
import platform

from absl import app
from absl import flags
from ml_collections import config_flags

from tfvae.cli.common import apply_model_overrides
from tfvae.cli.common import check_config_overrides, quiet_tensorflow, run_app

_CONFIG = config_flags.DEFINE_config_file("config", None, "ml_collections config file.",
                                          lock_config=True)
_VARIANTS = flags.DEFINE_list("variants", ["all"], "Variants (see throughput.VARIANTS).")
_STEPS = flags.DEFINE_integer("steps_per_window", 200, "Training steps per timed window.")
_WINDOWS = flags.DEFINE_integer("windows", 5, "Timed windows after the warm-up window "
                                 "(0: none, only with --profile_ops).")
_PROFILE = flags.DEFINE_integer("profile_ops", 0, "With --config: trace this many train "
                                "steps (after one untraced warm-up window of as many) "
                                "under the one variant of --variants and report the top "
                                "ops (0 = off).")
_PROFILE_TOP = flags.DEFINE_integer("profile_top", 15, "Rows of the --profile_ops tables.")
_PROFILE_LOGDIR = flags.DEFINE_string("profile_logdir", None, "Keep the --profile_ops trace "
                                      "here (TensorBoard's profile plugin reads it); "
                                      "default: a temporary folder, deleted.")
_OUTPUT = flags.DEFINE_string("output", None, "JSON path for the results.")
_SUITE = flags.DEFINE_string("suite", None, "Suite to run: a shipped suite (quick, full, "
                             "...; configs/suites/) or the path of a suite file.")
_ENTRIES = flags.DEFINE_list("entries", [], "Only these entries of the suite.")
_REPO = flags.DEFINE_string("repo_root", os.getcwd(), "A repository checkout: entries use "
                            "its configs/ (else the shipped configs), and a suite "
                            "regenerates its docs/benchmarks.md and docs/benchmarks/ "
                            "when it has them.")
_WORKDIR = flags.DEFINE_string("workdir", "runs/benchmarks", "Where suite runs train "
                               "(<workdir>/<suite>/<entry>).")
_OUTPUT_DIR = flags.DEFINE_string("output_dir", None, "Write the suite JSON and markdown "
                                  "here instead of the checkout's docs/ (default, "
                                  "outside a checkout: --workdir).")
_SHARED = flags.DEFINE_string("shared_data", None,
                              "Shared data folder (default: <repo_root>/../shared/data).")
_TIMEOUT = flags.DEFINE_float("entry_timeout", 0, "Seconds per suite entry (0 = none).")
_RESUME = flags.DEFINE_bool("resume", False, "Keep each entry's workdir and resume its "
                            "training from the last checkpoint (after an interrupted "
                            "suite); else every entry trains from scratch.")
_MICRO = flags.DEFINE_enum("micro", None, ["gibbs_loop", "optimizer_update"],
                           "Time one piece of a train step alone instead: the RBM's "
                           "persistent-chain update (chains, sides and sweeps of "
                           "--config's model, else 2,000 chains of 64 + 64 units, 100 "
                           "sweeps) under tf.function / XLA and float32 / bfloat16, or "
                           "the Adam update of --config's variables, Keras' against the "
                           "fused kernel.")
_ROUNDS = flags.DEFINE_integer("rounds", 5, "--micro: interleaved rounds (median).",
                               lower_bound=1)
#: ``--config.model.*`` / ``--config.train.*`` keys the config file does not write.
_NEW_KEYS = {}
_COLLECT = flags.DEFINE_bool("collect_only", False, "Run nothing: gather the entry JSONs "
                             "already in --workdir into the suite JSON and markdown.")


def _run_suite():
  from tfvae.benchmarks.run_suite import run_suite  # pylint: disable=g-import-not-at-top
  import sys  # pylint: disable=g-import-not-at-top
  from tfvae.benchmarks.suites import suite_name  # pylint: disable=g-import-not-at-top
  repo = os.path.abspath(_REPO.value)
  workdir = os.path.abspath(_WORKDIR.value)
  if not os.path.isdir(os.path.join(repo, "configs")):
    print(f"--repo_root={repo} has no configs/ folder: the entries use the shipped "
          "configs (tfvae.configs)", flush=True)
  docs_dir, output_dir = None, None
  if _OUTPUT_DIR.value:
    output_dir = os.path.abspath(_OUTPUT_DIR.value)
  elif os.path.isfile(os.path.join(repo, "docs", "benchmarks.md")):  # a checkout
    docs_dir = os.path.join(repo, "docs")
  else:
    output_dir = workdir
    print(f"--repo_root={repo} has no docs/benchmarks.md: the suite JSON and markdown "
          f"go to {output_dir}", flush=True)
  shared = _SHARED.value or os.path.join(os.path.dirname(repo), "shared", "data")
  try:
    run_suite(_SUITE.value, repo, os.path.join(workdir, suite_name(_SUITE.value)),
              docs_dir, shared, entries=_ENTRIES.value or None,
              timeout=_TIMEOUT.value or None, collect_only=_COLLECT.value,
              fresh=not _RESUME.value, output_dir=output_dir,
              command="tfvae-benchmark " + " ".join(sys.argv[1:]))
  except ValueError as e:
    raise app.UsageError(str(e)) from e


def _check_profile_flags(names) -> None:
  """Usage errors of --profile_ops and the flags that go with it."""
  if _PROFILE.value < 0:
    raise app.UsageError(f"--profile_ops={_PROFILE.value}: pass a number of train steps "
                         "(0 = off)")
  if _PROFILE_TOP.value < 1:
    raise app.UsageError(f"--profile_top={_PROFILE_TOP.value}: pass at least 1")
  if _WINDOWS.value < 0 or (_WINDOWS.value == 0 and not _PROFILE.value):
    raise app.UsageError(f"--windows={_WINDOWS.value}: pass at least 1 timed window "
                         "(0 only with --profile_ops)")
  if not _PROFILE.value:
    if _PROFILE_LOGDIR.value:
      raise app.UsageError("--profile_logdir needs --profile_ops=N")
    return
  if len(names) != 1:
    raise app.UsageError(f"--profile_ops profiles one variant; --variants names "
                         f"{len(names)} ({','.join(names)}): pass one, e.g. "
                         "--variants=fit_bf16")


def _write_json(result: dict) -> None:
  if _OUTPUT.value:
    os.makedirs(os.path.dirname(os.path.abspath(_OUTPUT.value)), exist_ok=True)
    with open(_OUTPUT.value + ".tmp", "w") as f:
      json.dump(result, f, indent=2)
    os.replace(_OUTPUT.value + ".tmp", _OUTPUT.value)
    print(f"wrote {_OUTPUT.value}")


def _environment() -> dict:
  import sys  # pylint: disable=g-import-not-at-top
  import keras  # pylint: disable=g-import-not-at-top
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  import tensorflow_probability as tfp  # pylint: disable=g-import-not-at-top
  return {"command": " ".join(sys.argv),
          "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                      "processor": platform.processor(), "load_average": os.getloadavg()},
          "versions": {"tensorflow": tf.__version__, "keras": keras.__version__,
                       "tfp": tfp.__version__}}


def _run_micro():
  """``--micro``: one piece of the step, timed alone (tfvae.benchmarks.gibbs_loop,
  tfvae.benchmarks.optimizer_update)."""
  config = _CONFIG.value
  if config is not None:
    apply_model_overrides(config, _NEW_KEYS)
  if _MICRO.value == "gibbs_loop":
    from tfvae.benchmarks import gibbs_loop  # pylint: disable=g-import-not-at-top
    kwargs = {}
    if config is not None:
      model = config.model
      kwargs = dict(sides=tuple(model.rbm_sides), chains=int(model.rbm_chains),
                    sweeps=int(model.rbm_gibbs_steps))
    rows = gibbs_loop.time_gibbs(rounds=_ROUNDS.value, **kwargs)
    for r in rows:
      print(f"{r['variant']:24s} {1000 * r['median_seconds']:9.1f} ms   "
            f"x{r['ratio_to_first']:.2f} of {rows[0]['variant']}", flush=True)
  else:
    if config is None:
      raise app.UsageError("--micro=optimizer_update times the variables of a model: "
                           "pass --config")
    from tfvae.benchmarks import optimizer_update  # pylint: disable=g-import-not-at-top
    rows = optimizer_update.time_updates(optimizer_update.variable_shapes(config),
                                         rounds=_ROUNDS.value)
    for r in rows:
      print(f"{r['optimizer']:12s} {1000 * r['median_seconds']:9.1f} ms   "
            f"x{r['speedup_over_keras']:.2f} the speed of Keras' update "
            f"({r['parameters']:,} parameters in {r['variables']} variables)", flush=True)
  _write_json(dict(_environment(), micro=_MICRO.value,
                   config=config.to_dict() if config is not None else None, results=rows))


def main(argv):
  del argv
  if _MICRO.value and (_SUITE.value or _PROFILE.value):
    raise app.UsageError("--micro times one piece alone: not with --suite or --profile_ops")
  if _MICRO.value:
    quiet_tensorflow()
    return _run_micro()
  if _SUITE.value and (_PROFILE.value or _PROFILE_LOGDIR.value):
    raise app.UsageError("--profile_ops profiles one config: pass --config, not --suite")
  quiet_tensorflow()
  if _SUITE.value:
    return _run_suite()
  if _CONFIG.value is None:
    raise app.UsageError("pass --suite=<suite> (quick, full, ... or a suite file) or "
                         "--config=<config file>")
  import sys  # pylint: disable=g-import-not-at-top
  import keras  # pylint: disable=g-import-not-at-top
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  import tensorflow_probability as tfp  # pylint: disable=g-import-not-at-top
  from tfvae.benchmarks import throughput  # pylint: disable=g-import-not-at-top
  names = list(throughput.VARIANTS) if _VARIANTS.value == ["all"] else _VARIANTS.value
  unknown = [n for n in names if n not in throughput.VARIANTS]
  if unknown:
    raise app.UsageError(f"unknown variants {unknown}; known: {list(throughput.VARIANTS)}")
  _check_profile_flags(names)
  config = _CONFIG.value
  apply_model_overrides(config, _NEW_KEYS)
  rows = []
  for name in names if _WINDOWS.value else []:
    m = throughput.measure(config, name, _STEPS.value, _WINDOWS.value)
    rows.append(m)
    print(f"{name:24s} {m.examples_per_sec:10.0f} examples/s   "
          f"(compile+warm-up {m.compile_seconds:.1f}s)", flush=True)
  base = next((r for r in rows if r.variant == "baseline_tf_function"),
              rows[0] if rows else None)
  if base:
    print(f"\nratios vs {base.variant}:")
    for r in rows:
      print(f"  {r.variant:24s} x{r.examples_per_sec / base.examples_per_sec:.2f}")
  profile = None
  if _PROFILE.value:
    from tfvae.benchmarks import op_profile  # pylint: disable=g-import-not-at-top
    profile = op_profile.profile_ops(config, names[0], _PROFILE.value, _PROFILE_TOP.value,
                                     logdir=_PROFILE_LOGDIR.value)
    print("\n" + op_profile.format_table(profile), flush=True)
  result = {
      "config": config.to_dict(), "command": " ".join(sys.argv),
      "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                  "processor": platform.processor()},
      "versions": {"tensorflow": tf.__version__, "keras": keras.__version__,
                   "tfp": tfp.__version__},
      "baseline": base.variant if base else None,
      "results": [dict(r.__dict__, ratio=r.examples_per_sec / base.examples_per_sec)
                  for r in rows],
  }
  if profile is not None:
    result["op_profile"] = profile
  _write_json(result)


def run():
  import sys  # pylint: disable=g-import-not-at-top
  _NEW_KEYS.update(check_config_overrides(sys.argv, new_model_keys=True))
  run_app(main, __name__)


if __name__ == "__main__":
  run()
