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
``--micro`` times one piece of a step alone, its knobs in the ``--micro_*`` flags and
``--rounds`` (each module's docstring says what it measures)::

  tfvae-benchmark --micro=gibbs_loop --config=configs/dvae_caltech_paper.py
  tfvae-benchmark --micro=optimizer_update --config=configs/dvae_caltech_paper.py
  tfvae-benchmark --micro=vrnn_loop --micro_variants=unrolled,while --micro_steps=5 \
      --rounds=8                         # VRNN train step per loop variant
  tfvae-benchmark --micro=gmvrnn_step --micro_steps=20   # VRNN and both GMVRNNs
  tfvae-benchmark --micro=xla_rng --micro_shapes=1,100x40,500x100x40   # RNG under XLA
  tfvae-benchmark --micro=xla_rng --config=configs/vae_binarized_mnist.py \
      --config.train.jit_compile=True    # ... its end-to-end effect on a config

``--collect_histories`` runs nothing: it gathers the per-epoch logs of finished
``tfvae-train`` workdirs into one JSON (tfvae.benchmarks.collect_histories)::

  tfvae-benchmark --collect_histories --workdirs=runs/a,runs/b \
      --keys=val_elbo,val_used_categories --output=runs/histories.json
"""
import json
import os

from absl import app
from absl import flags
from ml_collections import config_flags

from tfvae.benchmarks import machine
from tfvae.cli.common import apply_model_overrides
from tfvae.cli.common import check_config_overrides, quiet_tensorflow, run_app

_CONFIG = config_flags.DEFINE_config_file("config", None, "ml_collections config file.",
                                          lock_config=True)
_VARIANTS = flags.DEFINE_list("variants", ["all"], "Variants (see throughput.VARIANTS), "
                              "or 'config': the config's own speed settings.")
_FLOP_RATE = flags.DEFINE_bool("flop_rate", False, "With --config: also count the matmul "
                               "FLOPs per example of the traced train step and report each "
                               "variant's GFLOP/s and its share of the fp32 matmul peak "
                               "measured in the same process.")
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
_MICRO = flags.DEFINE_enum(
    "micro", None, ["gibbs_loop", "optimizer_update", "vrnn_loop", "gmvrnn_step", "xla_rng"],
    "Time one piece of a train step alone instead (tfvae.benchmarks.<name>): gibbs_loop, "
    "the RBM's persistent-chain update (chains, sides and sweeps of --config's model, else "
    "2,000 chains of 64 + 64 units, 100 sweeps) under tf.function / XLA and float32 / "
    "bfloat16; optimizer_update, the Adam update of --config's variables, Keras' against "
    "the fused kernel; vrnn_loop, a VRNN train step per loop variant; gmvrnn_step, a "
    "train step of the VRNN and both GMVRNNs; xla_rng, stateless random draws per RNG "
    "algorithm with and without XLA, or with --config the effect of tfvae.random_ops on "
    "the config's train step and IWAE chunk. Options: --rounds and --micro_*.")
_ROUNDS = flags.DEFINE_integer("rounds", None, "--micro: timed rounds: interleaved rounds "
                               "(median) of gibbs_loop and optimizer_update (default 5) "
                               "and of xla_rng with --config (default 2); timed blocks "
                               "per variant of vrnn_loop (best and median; default 5).",
                               lower_bound=1)
_MICRO_VARIANTS = flags.DEFINE_list("micro_variants", None, "--micro: what to time: "
                                    "vrnn_loop's loop variants (default: all; see "
                                    "tfvae.benchmarks.vrnn_loop), gmvrnn_step's models "
                                    "(default: vrnn,gmvrnn_gumbel,gmvrnn_variational), "
                                    "xla_rng's draws (default: normal,uniform).")
_MICRO_STEPS = flags.DEFINE_integer("micro_steps", None, "--micro: timed steps per block "
                                    "of vrnn_loop (default 10), of gmvrnn_step (20), "
                                    "calls per draw of xla_rng (20), train steps per "
                                    "window of xla_rng with --config (200; 0: no "
                                    "training).", lower_bound=0)
_MICRO_BATCH = flags.DEFINE_integer("micro_batch", None, "--micro: batch of vrnn_loop "
                                    "and gmvrnn_step (default 64); test images per IWAE "
                                    "chunk of xla_rng with --config (100; 0: no IWAE).",
                                    lower_bound=0)
_MICRO_LENGTH = flags.DEFINE_integer("micro_length", None, "--micro=vrnn_loop / "
                                     "gmvrnn_step: sequence length T (default 28).",
                                     lower_bound=1)
_MICRO_HIDDEN = flags.DEFINE_integer("micro_hidden", None, "--micro=vrnn_loop / "
                                     "gmvrnn_step: size H of the LSTM and of every MLP "
                                     "(default 256).", lower_bound=1)
_MICRO_SAMPLES = flags.DEFINE_integer("micro_num_samples", None, "--micro: samples M per "
                                      "step of gmvrnn_step's gmvrnn_variational (default "
                                      "1); IWAE k of xla_rng with --config (500).",
                                      lower_bound=1)
_MICRO_SHAPES = flags.DEFINE_list("micro_shapes", None, "--micro=xla_rng: shapes drawn, "
                                  "dims joined by x (default: 1,100x40,500x100x40).")
#: The ``--micro`` options, and the micros (``xla_rng --config``: with --config) each
#: applies to.
_MICRO_OPTIONS = {
    "rounds": ("gibbs_loop", "optimizer_update", "vrnn_loop", "xla_rng --config"),
    "micro_variants": ("vrnn_loop", "gmvrnn_step", "xla_rng"),
    "micro_steps": ("vrnn_loop", "gmvrnn_step", "xla_rng", "xla_rng --config"),
    "micro_batch": ("vrnn_loop", "gmvrnn_step", "xla_rng --config"),
    "micro_length": ("vrnn_loop", "gmvrnn_step"),
    "micro_hidden": ("vrnn_loop", "gmvrnn_step"),
    "micro_num_samples": ("gmvrnn_step", "xla_rng --config"),
    "micro_shapes": ("xla_rng",),
}
_COLLECT_HISTORIES = flags.DEFINE_bool("collect_histories", False, "Run nothing: gather "
                                       "the config and per-epoch logs of each of "
                                       "--workdirs into the JSON file --output "
                                       "(tfvae.benchmarks.collect_histories).")
_WORKDIRS = flags.DEFINE_list("workdirs", None, "--collect_histories: finished "
                              "tfvae-train workdirs.")
_KEYS = flags.DEFINE_list("keys", None, "--collect_histories: the log keys to keep "
                          "(default: all).")
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
          "machine": machine.describe(load_average=True),
          "versions": {"tensorflow": tf.__version__, "keras": keras.__version__,
                       "tfp": tfp.__version__}}


def _given(**holders) -> dict:
  """``{keyword: value}`` of the flags given; the others keep the function's default."""
  return {k: h.value for k, h in holders.items() if h.value is not None}


def _check_micro_options(config) -> str:
  """Usage errors of the ``--micro`` options; returns the micro (``xla_rng --config``)."""
  micro = _MICRO.value
  if micro in ("vrnn_loop", "gmvrnn_step") and config is not None:
    raise app.UsageError(f"--micro={micro} times models of its own: not with --config")
  if micro == "optimizer_update" and config is None:
    raise app.UsageError("--micro=optimizer_update times the variables of a model: "
                         "pass --config")
  mode = micro + (" --config" if micro == "xla_rng" and config is not None else "")
  for name, modes in _MICRO_OPTIONS.items():
    if flags.FLAGS[name].present and mode not in modes:
      raise app.UsageError(f"--{name} is an option of "
                           f"{', '.join('--micro=' + m for m in modes)}, not of "
                           f"--micro={mode}")
  for holder in (_MICRO_STEPS, _MICRO_BATCH):
    if holder.value == 0 and mode != "xla_rng --config":
      raise app.UsageError(f"--{holder.name}=0: pass at least 1")
  return mode


def _run_micro(mode: str):
  """``--micro``: one piece of the step, timed alone (tfvae.benchmarks.<micro>)."""
  config = _CONFIG.value
  if config is not None:
    apply_model_overrides(config, _NEW_KEYS)
  if mode == "gibbs_loop":
    from tfvae.benchmarks import gibbs_loop  # pylint: disable=g-import-not-at-top
    kwargs = {}
    if config is not None:
      model = config.model
      kwargs = dict(sides=tuple(model.rbm_sides), chains=int(model.rbm_chains),
                    sweeps=int(model.rbm_gibbs_steps))
    rows = gibbs_loop.time_gibbs(**kwargs, **_given(rounds=_ROUNDS))
    for r in rows:
      print(f"{r['variant']:24s} {1000 * r['median_seconds']:9.1f} ms   "
            f"x{r['ratio_to_first']:.2f} of {rows[0]['variant']}", flush=True)
  elif mode == "optimizer_update":
    from tfvae.benchmarks import optimizer_update  # pylint: disable=g-import-not-at-top
    rows = optimizer_update.time_updates(optimizer_update.variable_shapes(config),
                                         **_given(rounds=_ROUNDS))
    for r in rows:
      print(f"{r['optimizer']:12s} {1000 * r['median_seconds']:9.1f} ms   "
            f"x{r['speedup_over_keras']:.2f} the speed of Keras' update "
            f"({r['parameters']:,} parameters in {r['variables']} variables)", flush=True)
  elif mode == "vrnn_loop":
    from tfvae.benchmarks import vrnn_loop  # pylint: disable=g-import-not-at-top
    unknown = vrnn_loop.unknown_variants(_MICRO_VARIANTS.value or ())
    if unknown:
      raise app.UsageError(f"--micro_variants: unknown VRNN loop variants {unknown}: one "
                           f"of {', '.join(vrnn_loop.LOOPS)}, then any of "
                           f"+{', +'.join(vrnn_loop.SUFFIXES)}")
    rows = vrnn_loop.run(**_given(variants=_MICRO_VARIANTS, steps=_MICRO_STEPS,
                                  blocks=_ROUNDS, batch=_MICRO_BATCH, length=_MICRO_LENGTH,
                                  hidden=_MICRO_HIDDEN))
  elif mode == "gmvrnn_step":
    from tfvae.benchmarks import gmvrnn_step  # pylint: disable=g-import-not-at-top
    unknown = [m for m in _MICRO_VARIANTS.value or () if m not in gmvrnn_step.MODELS]
    if unknown:
      raise app.UsageError(f"--micro_variants: unknown models {unknown}; known: "
                           f"{','.join(gmvrnn_step.MODELS)}")
    rows = gmvrnn_step.run(**_given(models=_MICRO_VARIANTS, steps=_MICRO_STEPS,
                                    batch=_MICRO_BATCH, length=_MICRO_LENGTH,
                                    hidden=_MICRO_HIDDEN, num_samples=_MICRO_SAMPLES))
  elif mode == "xla_rng":
    from tfvae.benchmarks import xla_rng  # pylint: disable=g-import-not-at-top
    unknown = [k for k in _MICRO_VARIANTS.value or () if k not in xla_rng.KINDS]
    if unknown:
      raise app.UsageError(f"--micro_variants: unknown draws {unknown}; known: "
                           f"{','.join(xla_rng.KINDS)}")
    kwargs = _given(kinds=_MICRO_VARIANTS, repeats=_MICRO_STEPS)
    if _MICRO_SHAPES.value is not None:
      try:
        kwargs["shapes"] = [[int(d) for d in s.split("x")] for s in _MICRO_SHAPES.value]
      except ValueError as e:
        raise app.UsageError(f"--micro_shapes={','.join(_MICRO_SHAPES.value)}: pass "
                             "shapes of dims joined by x, e.g. 1,100x40") from e
    rows = xla_rng.run(**kwargs)
    print(xla_rng.format_draws(rows), flush=True)
  else:  # xla_rng --config
    from tfvae.benchmarks import xla_rng  # pylint: disable=g-import-not-at-top
    repo = os.path.abspath(_REPO.value)
    shared = _SHARED.value or os.path.join(os.path.dirname(repo), "shared", "data")
    name = config_flags.get_config_filename(flags.FLAGS["config"])
    rows = xla_rng.config_effect(
        config, shared_data=shared, name=name,
        **_given(train_steps=_MICRO_STEPS, iwae_examples=_MICRO_BATCH,
                 iwae_samples=_MICRO_SAMPLES, rounds=_ROUNDS))
    print(xla_rng.format_effect(rows), flush=True)
  _write_json(dict(_environment(), micro=_MICRO.value,
                   config=config.to_dict() if config is not None else None, results=rows))


def _collect_histories():
  """``--collect_histories``: the per-epoch logs of --workdirs into the JSON --output."""
  from tfvae.benchmarks import collect_histories  # pylint: disable=g-import-not-at-top
  if not _WORKDIRS.value or not _OUTPUT.value:
    raise app.UsageError("--collect_histories needs --workdirs=<workdir>,... and "
                         "--output=<file.json>")
  try:
    result = collect_histories.write(_WORKDIRS.value, _OUTPUT.value, _KEYS.value)
  except (OSError, KeyError) as e:
    raise app.UsageError(e.args[0] if isinstance(e, KeyError) else str(e)) from e
  print(f"wrote {_OUTPUT.value} ({len(result)} runs)")


def main(argv):
  del argv
  if _COLLECT_HISTORIES.value:
    if _MICRO.value or _SUITE.value or _CONFIG.value is not None:
      raise app.UsageError("--collect_histories gathers finished workdirs: not with "
                           "--micro, --suite or --config")
    return _collect_histories()
  for name in ("workdirs", "keys"):
    if flags.FLAGS[name].present:
      raise app.UsageError(f"--{name} is an option of --collect_histories")
  if _MICRO.value and (_SUITE.value or _PROFILE.value):
    raise app.UsageError("--micro times one piece alone: not with --suite or --profile_ops")
  for name in _MICRO_OPTIONS if not _MICRO.value else ():
    if flags.FLAGS[name].present:
      raise app.UsageError(f"--{name} is an option of --micro")
  if _MICRO.value:
    mode = _check_micro_options(_CONFIG.value)
    quiet_tensorflow()
    return _run_micro(mode)
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
  unknown = [n for n in names if n not in throughput.VARIANTS and n != "config"]
  if unknown:
    raise app.UsageError(f"unknown variants {unknown}; known: "
                         f"{list(throughput.VARIANTS) + ['config']}")
  _check_profile_flags(names)
  if _FLOP_RATE.value and not _WINDOWS.value:
    raise app.UsageError("--flop_rate needs timed windows (--windows >= 1)")
  config = _CONFIG.value
  apply_model_overrides(config, _NEW_KEYS)
  rows = []
  for name in names if _WINDOWS.value else []:
    settings = throughput.config_settings(config) if name == "config" else None
    m = throughput.measure(config, name, _STEPS.value, _WINDOWS.value, settings=settings,
                           count_flops=_FLOP_RATE.value)
    rows.append(m)
    print(f"{name:24s} {m.examples_per_sec:10.0f} examples/s   "
          f"(compile+warm-up {m.compile_seconds:.1f}s)", flush=True)
  base = next((r for r in rows if r.variant == "baseline_tf_function"),
              rows[0] if rows else None)
  if base:
    print(f"\nratios vs {base.variant}:")
    for r in rows:
      print(f"  {r.variant:24s} x{r.examples_per_sec / base.examples_per_sec:.2f}")
  rates = {}
  if _FLOP_RATE.value:
    peak = throughput.matmul_peak_gflops()
    rates = {r.variant: throughput.flop_rate(r, peak) for r in rows}
    print(f"\nmatmul FLOPs per example {rows[0].flops_per_example / 1e6:.2f} M; "
          f"fp32 matmul peak {peak:.0f} GFLOP/s:")
    for r in rows:
      rate = rates[r.variant]
      print(f"  {r.variant:24s} {rate['gflops']:6.1f} GFLOP/s "
            f"({100 * rate['fraction_of_peak']:.0f} % of peak)")
  profile = None
  if _PROFILE.value:
    from tfvae.benchmarks import op_profile  # pylint: disable=g-import-not-at-top
    settings = throughput.config_settings(config) if names[0] == "config" else None
    profile = op_profile.profile_ops(config, names[0], _PROFILE.value, _PROFILE_TOP.value,
                                     logdir=_PROFILE_LOGDIR.value, settings=settings)
    print("\n" + op_profile.format_table(profile), flush=True)
  result = {
      "config": config.to_dict(), "command": " ".join(sys.argv),
      "machine": machine.describe(),
      "versions": {"tensorflow": tf.__version__, "keras": keras.__version__,
                   "tfp": tfp.__version__},
      "baseline": base.variant if base else None,
      "results": [dict(r.__dict__, ratio=r.examples_per_sec / base.examples_per_sec,
                       **rates.get(r.variant, {}))
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
