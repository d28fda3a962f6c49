"""The ``config.train`` keys, each with its one default.

A config file may leave out any key of ``TRAIN_DEFAULTS``; the trainer reads every value
through ``setting(train_config, key)``, so a default lives here and nowhere else.
``REQUIRED`` keys have no default. ``unknown_keys`` names the keys a config sets that the
trainer does not read (a typo such as ``epoch`` would otherwise be silently ignored).
"""
from typing import List

#: Keys every config must set.
REQUIRED = ("batch_size", "epochs", "learning_rate", "seed")

#: Every optional key and what the trainer does without it.
TRAIN_DEFAULTS = {
    "precision": "float32",          # or "mixed_bfloat16" / "mixed_float16"
    "jit_compile": True,             # XLA for the train step
    "steps_per_execution": 1,        # steps per tf.function call (lowered to divide the epoch)
    "steps_per_epoch": 0,            # 0: the whole training split each epoch
    "length_bucket_pool": 0,         # sequences: sort pools of this many batches by length,
                                     # cut each batch to its longest (0: off; data/sequences.py)
    "clipnorm": 0.0,                 # 0: no gradient clipping
    "clipvalue": 0.0,                # > 0: each gradient element clipped to [-c, c]
    "weight_decay": 0.0,             # decoupled (AdamW) weight decay; 0: Adam
    "fused_optimizer": True,         # Adam's update as one kernel (training/fused_adam.py)
    "eval_batch_size": 1000,         # validation batch
    "validation_every": 1,           # epochs between validations
    "early_stopping_patience": 0,    # epochs without a better val_elbo; 0: off
    "early_stopping_start": 0,       # epochs before the count starts (e.g. the warm-up)
    "checkpoint_every": 1,           # epochs between checkpoints
    "sample_every": 1,               # epochs between sample images; 0: none
    "verbose": 1,                    # 1: progress bar on a terminal, a line per epoch else
    "schedules": None,               # {name: schedule} of model variables (KL weight, ...)
    "lr_schedule": None,             # learning-rate schedule; None: constant
    "distribute": None,              # tf.distribute settings (training/distribute.py)
}


def setting(train_config, key: str):
  """``train_config[key]``, or its default when the config leaves it out."""
  if key not in TRAIN_DEFAULTS and key not in REQUIRED:
    raise KeyError(f"no train setting {key!r}")
  value = train_config.get(key, None)
  return TRAIN_DEFAULTS.get(key) if value is None else value


def stream_settings(train_config) -> dict:
  """Keyword arguments of ``splits.train_dataset`` that the config sets (the trainer's and
  the benchmarks' training streams batch the same way)."""
  pool = int(setting(train_config, "length_bucket_pool"))
  return {"length_bucket_pool": pool} if pool else {}


def unknown_keys(train_config) -> List[str]:
  """Keys of ``train_config`` that are neither required nor in ``TRAIN_DEFAULTS``."""
  return sorted(set(train_config) - set(REQUIRED) - set(TRAIN_DEFAULTS))
