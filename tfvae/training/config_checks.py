"""Early checks of a training config: one clear message before any work or file is written.

``check_config`` validates what the trainer reads from ``config.train`` and ``config.eval``
(types and ranges, schedule kinds), the serving limits ``config.export.max_*``
(``tfvae.export.limits``) and the model/dataset names, so a bad value fails at
once with the key, the value and what is valid, instead of deep inside Keras or TF after
the workdir has been created. The numeric checks import nothing heavy (the CLI runs them
before TensorFlow is imported); the name checks load the registries.

``check_same_run`` refuses to resume a workdir that holds a run of another model.
"""
import json
import math
import numbers
import os
import re

from tfvae.export.limits import LIMIT_KEYS, check_limit
from tfvae.training.train_settings import REQUIRED, TRAIN_DEFAULTS, setting, unknown_keys

# (key, minimum) of the integer settings of config.train; absent keys are skipped.
TRAIN_INTEGERS = (("batch_size", 1), ("epochs", 1), ("seed", 0), ("steps_per_epoch", 0),
                  ("steps_per_execution", 1), ("checkpoint_every", 1), ("sample_every", 0),
                  ("validation_every", 1), ("eval_batch_size", 1),
                  ("early_stopping_patience", 0), ("early_stopping_start", 0), ("verbose", 0),
                  ("length_bucket_pool", 0))
EVAL_INTEGERS = (("iwae_samples", 1), ("chunk_size", 1), ("batch_size", 1), ("seed", 0))
PRECISIONS = ("float32", "mixed_float16", "mixed_bfloat16")
# Seeds go to TF's int32 seed arguments; Adam steps above 1 only diverge (and 1e300 is
# infinite in float32).
MAX_SEED = 2**31 - 1
MAX_LEARNING_RATE = 1.0
EXPORT_NAME = r"[A-Za-z0-9_.-]+"
# Keys of config.dataset that name an existing file or folder when set (TFDS' data_dir
# is created by the download, so it is not among them).
DATA_PATH_KEYS = ("path", "idx_dir", "labels_path", "split_dir")


def _is_int(value) -> bool:
  return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_integer(section: str, key: str, value, minimum: int) -> None:
  if not _is_int(value) or value < minimum:
    kind = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
    raise ValueError(f"config.{section}.{key} must be {kind}, got {value!r} "
                     f"({type(value).__name__})")


def check_number(section: str, key: str, value, positive: bool) -> None:
  ok = (isinstance(value, numbers.Real) and not isinstance(value, bool)
        and math.isfinite(value) and (value > 0 if positive else value >= 0))
  if not ok:
    kind = "a finite number > 0" if positive else "a finite number >= 0"
    raise ValueError(f"config.{section}.{key} must be {kind}, got {value!r} "
                     f"({type(value).__name__})")


def _section(config, name: str):
  if name not in config or not hasattr(config[name], "items"):
    raise ValueError(f"config has no '{name}' section (a dict); a training config needs "
                     "'model', 'dataset' and 'train'")
  return config[name]


def check_values(config) -> None:
  """Types and ranges of ``config.train`` / ``config.eval`` / ``config.export`` limits
  (no TF import)."""
  for name in ("model", "dataset"):
    section = _section(config, name)
    if not isinstance(section.get("name"), str):
      raise ValueError(f"config.{name}.name must name a registered {name}, got "
                       f"{section.get('name')!r}")
  train = _section(config, "train")
  for key in REQUIRED:
    if key not in train:
      raise ValueError(f"config.train.{key} is missing")
  unknown = unknown_keys(train)
  if unknown:
    raise ValueError(f"config.train has no setting(s) {', '.join(unknown)}; settings: "
                     f"{', '.join(sorted(REQUIRED + tuple(TRAIN_DEFAULTS)))}")
  for key, minimum in TRAIN_INTEGERS:
    if key in train:
      check_integer("train", key, train[key], minimum)
  check_number("train", "learning_rate", train["learning_rate"], positive=True)
  if train["learning_rate"] > MAX_LEARNING_RATE:
    raise ValueError(f"config.train.learning_rate must be at most {MAX_LEARNING_RATE} "
                     f"(Adam's step size), got {train['learning_rate']!r}")
  if train["seed"] > MAX_SEED:
    raise ValueError(f"config.train.seed must be at most 2**31 - 1 = {MAX_SEED} (TF seeds "
                     f"are int32), got {train['seed']!r}")
  for clip in ("clipnorm", "clipvalue"):
    if train.get(clip) is not None:
      check_number("train", clip, train[clip], positive=False)
  if train.get("weight_decay") is not None:
    check_number("train", "weight_decay", train["weight_decay"], positive=False)
  precision = setting(train, "precision")
  if precision not in PRECISIONS:
    raise ValueError(f"config.train.precision must be one of {PRECISIONS}, got {precision!r}")
  check_export(config)
  if "eval" in config and hasattr(config["eval"], "items"):
    for key, minimum in EVAL_INTEGERS:
      if key in config["eval"]:
        check_integer("eval", key, config["eval"][key], minimum)
  if "export" in config and hasattr(config["export"], "items"):
    for key, _, _ in LIMIT_KEYS:  # serving limits; absent or None: the defaults
      if config["export"].get(key) is not None:
        check_limit(key, config["export"][key])
  # Last: the schedule classes import Keras (and so TensorFlow).
  from tfvae.training.schedules import check_schedules  # pylint: disable=g-import-not-at-top
  check_schedules(setting(train, "schedules"), setting(train, "lr_schedule"))


def check_export(config) -> None:
  """``config.export.name`` is a valid folder name (checked before training, not after)."""
  export = config.get("export") if hasattr(config, "get") else None
  if not export or not hasattr(export, "items") or not export.get("enabled", True):
    return
  name = export.get("name")
  if not isinstance(name, str) or not re.fullmatch(EXPORT_NAME, name) or set(name) == {"."}:
    raise ValueError("config.export.name must be letters, digits, '_', '-' or '.' (not "
                     f"only dots), got {name!r}")
  if not isinstance(export.get("base_dir", ""), str):
    raise ValueError(f"config.export.base_dir must be a folder path ('' for "
                     f"<workdir>/export), got {export.get('base_dir')!r}")


def check_data_paths(config) -> None:
  """Files and folders named in ``config.dataset`` exist (``FileNotFoundError`` naming
  the key); empty means the dataset's default."""
  dataset = config["dataset"]
  for key in DATA_PATH_KEYS:
    value = dataset.get(key) if hasattr(dataset, "get") else None
    if value and isinstance(value, str) and not os.path.exists(value):
      raise FileNotFoundError(f"config.dataset.{key}: {value} does not exist")


def check_names(config) -> None:
  """The model, dataset and posterior names are registered and every ``config.model``
  key is a constructor argument of the model (``KeyError`` lists the valid ones)."""
  from tfvae.registry import DATASETS, MODELS  # pylint: disable=g-import-not-at-top
  DATASETS.get(config.dataset["name"])
  cls = MODELS.get(config.model["name"])
  from tfvae.models import model_settings  # pylint: disable=g-import-not-at-top
  valid = model_settings(cls) - {"seed"}
  unknown = sorted(set(config.model) - valid - {"name"})
  if unknown:
    raise KeyError(f"model {config.model['name']!r} has no setting(s) "
                   f"{', '.join(unknown)} (config.model); valid settings: "
                   f"{', '.join(sorted(valid))}")
  posterior = config.model.get("posterior")
  if isinstance(posterior, str):
    from tfvae.registry import POSTERIORS  # pylint: disable=g-import-not-at-top
    POSTERIORS.get(posterior)


def check_config(config) -> None:
  """All early checks: values and data paths first, then the registered names."""
  check_values(config)
  check_data_paths(config)
  check_names(config)


def _flat(tree, prefix=""):
  out = {}
  for key, value in tree.items():
    if isinstance(value, dict):
      out.update(_flat(value, f"{prefix}{key}."))
    else:
      out[f"{prefix}{key}"] = value
  return out


# What a changed training setting means when a workdir is resumed. Refused: the data
# order, the optimizer's step count or the checkpoint's variables belong to the old value,
# so the resumed run would not continue the checkpoint's run. Every other key of
# config.train, config.eval and config.export is applied (read afresh each run; the
# learning rate, which the optimizer checkpoints, is set to the new value), and
# config.json is rewritten with the new config. config.model and config.dataset may not
# change at all.
REFUSED_ON_RESUME = {
    "train.batch_size": "the epoch's steps and the data order depend on it",
    "train.seed": "the data order of every epoch depends on it",
    "train.length_bucket_pool": "the batches of every epoch depend on it",
    "train.steps_per_epoch": "the epoch's steps and the step-based schedules depend on it",
    "train.precision": "the checkpoint's optimizer state (and loss scaling) belong to "
                       "its precision",
}


def _changes(saved: dict, new: dict, section: str) -> list:
  """``(key, old, new)`` of the leaves of ``section`` that differ."""
  before, after = _flat(saved.get(section, {}) or {}), _flat(new.get(section, {}) or {})
  if section == "dataset":  # "" (e.g. path="": the default data) is the same as unset
    before = {k: v for k, v in before.items() if v != ""}
    after = {k: v for k, v in after.items() if v != ""}
  out = []
  for key in sorted(set(before) | set(after)):
    if before.get(key, "<unset>") != after.get(key, "<unset>"):
      out.append((f"{section}.{key}", before.get(key, "<unset>"), after.get(key, "<unset>")))
  return out


def check_same_run(config, workdir: str) -> list:
  """Checks that ``config`` may resume the run in ``workdir``; returns the applied
  changes (``"train.learning_rate: 0.001 -> 0.0005"``), ``[]`` for a new workdir.

  Raises ``ValueError`` if ``workdir`` holds a run of another model or dataset (its
  checkpoints would not restore, or restore into a model that means something else) or
  if a key of ``REFUSED_ON_RESUME`` changed.
  """
  path = os.path.join(workdir, "config.json")
  if not os.path.exists(path):
    return []
  try:
    with open(path) as f:
      saved = json.load(f)
  except (OSError, ValueError) as e:
    raise ValueError(f"{path} is not readable JSON ({e}); use a new workdir") from e
  new = json.loads(config.to_json())
  diffs = [f"{key}: {old!r} in the workdir, {now!r} now"
           for section in ("model", "dataset")
           for key, old, now in _changes(saved, new, section)]
  if diffs:
    raise ValueError(
        f"workdir {workdir} holds a run of a different model or dataset ("
        + "; ".join(diffs[:5]) + (" ..." if len(diffs) > 5 else "")
        + "). Resume with the same config.model and config.dataset, or use a new workdir")
  applied = []
  for section in ("train", "eval", "export"):
    for key, old, now in _changes(saved, new, section):
      if key in REFUSED_ON_RESUME:
        raise ValueError(
            f"config.{key} cannot change when resuming workdir {workdir} ({old!r} in the "
            f"workdir, {now!r} now): {REFUSED_ON_RESUME[key]}. Resume with {old!r}, or "
            "use a new workdir")
      applied.append(f"{key}: {old!r} -> {now!r}")
  return applied
