"""tfvae-train: train a model from an ml_collections config file.

  tfvae-train --config=configs/vae_binarized_mnist.py --workdir=runs/vae \
      --config.train.epochs=5 --config.model.free_bits=0.5

Any constructor argument of the model can be set as ``--config.model.<name>=<value>``,
written in the config file or not (a Python literal, or else a string).

Re-running with the same --workdir resumes from the last checkpoint. At the end the
sampler is exported (config.export) and the locations of every artefact are printed.
"""
import dataclasses

from absl import app
from absl import flags
from ml_collections import config_flags

from tfvae.cli.common import apply_model_overrides
from tfvae.cli.common import check_config_overrides, quiet_tensorflow, run_app

_CONFIG = config_flags.DEFINE_config_file("config", None, "ml_collections config file.",
                                          lock_config=True)
_WORKDIR = flags.DEFINE_string("workdir", None, "Directory for checkpoints, logs, samples.")
_STRATEGY = flags.DEFINE_enum(
    "strategy", None, ["default", "mirrored", "multi_worker"],
    "tf.distribute strategy for any config (sets config.train.distribute.strategy; "
    "multi_worker reads TF_CONFIG). See docs/distributed.md.")
_LOGICAL_CPUS = flags.DEFINE_integer(
    "logical_cpus", 0, "With --strategy=mirrored: split the CPU into this many logical "
    "devices (a correctness check; they share the cores).", lower_bound=0)
flags.mark_flags_as_required(["config", "workdir"])

#: ``--config.model.<key>=<value>`` overrides of keys the config file does not write.
_NEW_MODEL_KEYS = {}


def _apply_strategy_flags(config):
  """``--strategy``/``--logical_cpus`` into ``config.train.distribute`` (any config)."""
  if _STRATEGY.value is None:
    if _LOGICAL_CPUS.value:
      raise app.UsageError("--logical_cpus needs --strategy=mirrored")
    return
  with config.unlocked():
    current = dict(config.train.get("distribute", None) or {})
    current.update(strategy=_STRATEGY.value, logical_cpus=int(_LOGICAL_CPUS.value))
    config.train.distribute = current


def main(argv):
  if len(argv) > 1:
    raise app.UsageError(f"unexpected arguments: {argv[1:]}")
  if not _WORKDIR.value.strip():
    raise SystemExit("error: --workdir is empty: pass a folder for checkpoints and logs")
  quiet_tensorflow()
  config = _CONFIG.value
  apply_model_overrides(config, _NEW_MODEL_KEYS)
  _apply_strategy_flags(config)
  from tfvae.training import config_checks  # pylint: disable=g-import-not-at-top
  try:  # types, ranges and data paths first, before TensorFlow is imported
    config_checks.check_values(config)
    config_checks.check_data_paths(config)
  except (ValueError, FileNotFoundError) as e:
    raise SystemExit(f"error: {e}") from e
  try:  # registered model, dataset and posterior names (imports the registries)
    config_checks.check_names(config)
  except KeyError as e:
    raise SystemExit(f"error: {e.args[0] if e.args else e}") from e
  from tfvae.export.limits import serving_limits  # pylint: disable=g-import-not-at-top
  from tfvae.export.sampler import export_sampler  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import train  # pylint: disable=g-import-not-at-top
  from tfvae.training.workdir_lock import WorkdirBusyError  # pylint: disable=g-import-not-at-top
  try:
    result = train(config, _WORKDIR.value)
  except WorkdirBusyError as e:
    raise SystemExit(f"error: {e}") from e
  except KeyboardInterrupt:
    raise SystemExit(_interrupted_message(_WORKDIR.value)) from None
  export_dir = None
  # Under MultiWorkerMirroredStrategy only the chief exports (one writer per folder).
  if (config.export.get("enabled", True) and not result.stopped_on_nan
      and getattr(result, "is_chief", True)):
    from tfvae.export.versions import checkpoint_origin, export_base  # pylint: disable=g-import-not-at-top
    limits = serving_limits(config.export, result.model)
    # The limits are part of what was exported: other limits make a new version.
    origin = dict(checkpoint_origin(result.workdir, result.checkpoint),
                  limits=dataclasses.asdict(limits))
    export_dir = export_sampler(result.model, export_base(config.export, result.workdir),
                                config.export.name,
                                origin=origin, reuse_existing=True, limits=limits)
  print(f"epochs done:      {result.epochs_done}")
  if result.history.get("val_elbo"):
    print(f"valid ELBO:       {result.history['val_elbo'][-1]:.3f} nats")
  print(f"examples/s:       {result.examples_per_sec:.0f} (median epoch after the first)")
  print(f"checkpoint:       {result.checkpoint}")
  print(f"tensorboard logs: {result.tensorboard_dir}")
  print(f"sample PNG:       {result.samples_png}")
  print(f"exported sampler: {export_dir}")
  if result.stopped_on_nan:
    raise SystemExit("training stopped by the NaN guard; last good checkpoint kept")


def _interrupted_message(workdir: str) -> str:
  """One line for Ctrl-C: what is kept and how to resume."""
  import sys  # pylint: disable=g-import-not-at-top
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  from tfvae.training.checkpoints import checkpoint_dir  # pylint: disable=g-import-not-at-top
  latest = tf.train.latest_checkpoint(checkpoint_dir(workdir))
  kept = (f"the last checkpoint is {latest}" if latest else "no checkpoint was written yet")
  command = " ".join(["tfvae-train"] + sys.argv[1:])
  return (f"interrupted: {kept} (epochs so far in {workdir}/history.json); resume with "
          f"the same command: {command}")


def run():
  import sys  # pylint: disable=g-import-not-at-top
  _NEW_MODEL_KEYS.update(check_config_overrides(sys.argv, new_model_keys=True))
  run_app(main, __name__)


if __name__ == "__main__":
  run()
