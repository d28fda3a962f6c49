"""Config -> data + model -> ``fit`` with callbacks -> checkpoints, logs, samples.

Workdir layout::

  workdir/config.json        the resolved config (resuming reuses it)
  workdir/data.json          sequence data only: the model's data arguments, the
                             normalisation and what the loader cut or clipped
                             (``tfvae.data.stored_data``); restoring applies this
                             normalisation, and samples/exports without the data
  workdir/checkpoints/       tf.train checkpoints (model, optimizer, epoch)
  workdir/tensorboard/       scalars of every loss term, posterior statistics and schedule
                             value; sample grids (run samples/); the config (HParams)
  workdir/samples/           sample grid PNG per epoch (latest.png)
  workdir/history.json       per-epoch logs of all runs in this workdir (written every
                             epoch, so a killed run keeps the epochs it finished)
  workdir/.lock              held by the run training here (one trainer per workdir)

Re-running with the same workdir resumes from the last checkpoint: the epoch counter,
optimizer state and the model's seed counter are restored, and the data order of epoch
e depends only on (seed, e), so the resumed run reproduces the uninterrupted one.

Distribution (``config.train.distribute``, see ``tfvae.training.distribute`` and
docs/distributed.md): the model, optimizer and every variable are built in
``strategy.scope()``; ``train.batch_size`` is the global batch. In a multi-worker
cluster only the chief writes into ``workdir``; the other workers restore from it and
write their (collective) checkpoints into a temporary folder that is deleted at the end.
"""
import dataclasses
import json
import os
import sys
from typing import Optional

import keras
import ml_collections
import numpy as np
import tensorflow as tf

from tfvae.data import load_dataset
from tfvae.data.stored_data import (StoredSequenceData, loader_overrides, read_data_record,
                                    write_data_record)
from tfvae.models import build_model
from tfvae.training import callbacks as cb
from tfvae.training import distribute
from tfvae.training import fused_adam
from tfvae.training.checkpoints import CheckpointCallback, Checkpointer, checkpoint_dir
from tfvae.training.config_checks import check_config, check_same_run
from tfvae.training.early_stopping import (EarlyStoppingCallback, EarlyStoppingState,
                                           best_checkpoint_dir)
from tfvae.training.precision import set_precision
from tfvae.training.history import HistoryWriter
from tfvae.training.schedules import schedules_from_config
from tfvae.training.train_settings import setting, stream_settings
from tfvae.training.workdir_lock import WorkdirLock


@dataclasses.dataclass
class TrainResult:
  workdir: str
  epochs_done: int
  checkpoint: Optional[str]
  tensorboard_dir: str
  samples_png: Optional[str]
  history: dict
  examples_per_sec: float
  stopped_on_nan: bool = False
  model: object = None
  splits: object = None
  is_chief: bool = True  # False on non-chief workers (they leave workdir untouched)
  epoch_seconds: tuple = ()  # training time of each epoch of this call (first compiles)


def save_config(config, workdir: str) -> None:
  path = os.path.join(workdir, "config.json")
  tmp = path + ".tmp"
  with open(tmp, "w") as f:
    f.write(config.to_json(indent=2))
  os.replace(tmp, path)


def load_config(workdir: str) -> ml_collections.ConfigDict:
  """The config saved by ``train`` in ``workdir``."""
  path = os.path.join(workdir, "config.json")
  if not os.path.exists(path):
    raise FileNotFoundError(f"no config.json in {workdir}: is it a tfvae training "
                            "workdir (made by tfvae-train)?")
  with open(path) as f:
    return ml_collections.ConfigDict(json.load(f))


# Variables whose name contains one of these are not decayed (biases, normalisation).
NO_WEIGHT_DECAY = ("bias", "gamma", "beta")


def make_optimizer(train_config) -> keras.optimizers.Optimizer:
  """Adam; ``train.weight_decay`` > 0 adds decoupled weight decay (AdamW, Loshchilov &
  Hutter 2019): after each Adam step w <- w - lr * weight_decay * w, on kernels only.
  Both with the fused per-variable update of ``fused_adam`` (Keras' maths, one kernel)
  unless ``train.fused_optimizer`` is False."""
  kwargs = {"learning_rate": float(train_config.learning_rate)}
  if setting(train_config, "clipnorm"):
    kwargs["clipnorm"] = float(train_config.clipnorm)
  if setting(train_config, "clipvalue"):
    kwargs["clipvalue"] = float(train_config.clipvalue)
  weight_decay = float(setting(train_config, "weight_decay") or 0.0)
  fused = bool(setting(train_config, "fused_optimizer"))
  if weight_decay:
    cls = fused_adam.FusedAdamW if fused else keras.optimizers.AdamW
    optimizer = cls(weight_decay=weight_decay, **kwargs)
    optimizer.exclude_from_weight_decay(var_names=list(NO_WEIGHT_DECAY))
    return optimizer
  return (fused_adam.FusedAdam if fused else keras.optimizers.Adam)(**kwargs)


def epoch_steps(train_config, splits) -> int:
  """Optimizer steps of one training epoch: the full batches of the training split, or
  ``train.steps_per_epoch`` when that is smaller."""
  steps = splits.steps_per_epoch(int(train_config.batch_size))
  limit = int(setting(train_config, "steps_per_epoch") or 0)
  return min(steps, limit) if limit else steps


def load_run_data(dataset_config, record: Optional[dict] = None,
                  missing_data_ok: bool = False, log=print):
  """The run's data; with its ``data.json`` ``record``, normalised as stored. When the
  data is gone and ``missing_data_ok``, the record stands in (no examples)."""
  try:
    return load_dataset(dataset_config, **loader_overrides(record))
  except FileNotFoundError as e:
    if not (missing_data_ok and record):
      raise
    log(f"data not found ({e}); building the model from the run's data.json")
    return StoredSequenceData(record, str(e))


def build(config, compile_model: bool = True, strategy=None, steps_per_epoch: int = 0,
          record: Optional[dict] = None, missing_data_ok: bool = False):
  """Data splits and a compiled, built model (optimizer variables created).

  Model, optimizer and variables are created in ``strategy.scope()`` (default: the
  current strategy); ``config.train.batch_size`` must be divisible by its replicas.
  ``train.steps_per_execution`` is lowered to a divisor of the epoch's steps
  (``steps_per_epoch``, default: ``epoch_steps``), so that no epoch runs extra steps.
  ``record`` and ``missing_data_ok`` go to ``load_run_data``.
  """
  set_precision(setting(config.train, "precision"))
  keras.utils.set_random_seed(int(config.train.seed))
  strategy = strategy or tf.distribute.get_strategy()
  distribute.per_replica_batch(config.train.batch_size, strategy)
  splits = load_run_data(config.dataset, record, missing_data_ok)
  data_free = getattr(splits, "data_free", False)
  likelihood = config.model.get("likelihood")
  if likelihood:
    splits.check_likelihood(likelihood)
  if not data_free:
    _check_batch_fits(splits, int(config.train.batch_size))
  with strategy.scope():
    model = build_model(config.model, splits, seed=int(config.train.seed))
    if compile_model:
      model.compile(optimizer=make_optimizer(config.train),
                    jit_compile=distribute.jit_compile(
                        setting(config.train, "jit_compile"), strategy),
                    steps_per_execution=distribute.steps_per_execution(
                        setting(config.train, "steps_per_execution"), strategy,
                        steps_per_epoch or epoch_steps(config.train, splits)))
    first = (splits.example_batch() if data_free else
             next(iter(splits.eval_dataset("valid", int(config.train.batch_size)))))
    model(first)  # builds every layer
    if compile_model:
      model.optimizer.build(model.trainable_variables)
  return splits, model


def _check_batch_fits(splits, batch_size: int) -> None:
  n = len(splits.train)
  if batch_size > n:
    raise ValueError(f"config.train.batch_size={batch_size} is larger than the training "
                     f"split of {splits.name!r} ({n} examples); use at most {n}")


def make_workdir(workdir: str) -> None:
  """Creates ``workdir``; a clear ``OSError`` if it is not a writable directory."""
  try:
    os.makedirs(workdir, exist_ok=True)
    probe = os.path.join(workdir, f".write-test-{os.getpid()}")
    with open(probe, "w"):
      pass
    os.remove(probe)
  except OSError as e:
    raise OSError(f"workdir {workdir} is not a writable directory ({e.strerror or e}); "
                  "pass a --workdir you can create and write") from e


def restore_for_inference(workdir: str, checkpoint: Optional[str] = None):
  """Config, splits and model restored from ``workdir``'s latest (or given) checkpoint;
  ``checkpoint="best"`` is the best-validation one that early stopping kept.

  Sequence data is normalised as ``data.json`` says; without the data, ``splits`` is a
  ``StoredSequenceData`` (sampling and export work, evaluation needs the data)."""
  config = load_config(workdir)
  if checkpoint == "best":
    checkpoint = tf.train.latest_checkpoint(best_checkpoint_dir(workdir))
    if checkpoint is None:
      raise FileNotFoundError(
          f"no best checkpoint in {best_checkpoint_dir(workdir)}: it is kept only by runs "
          "with train.early_stopping_patience > 0, once a validation ELBO was recorded "
          "after train.early_stopping_start epochs")
  # Missing checkpoints are reported before the (slow) model build.
  if checkpoint is None and not tf.train.get_checkpoint_state(checkpoint_dir(workdir)):
    raise FileNotFoundError(f"no checkpoint in {checkpoint_dir(workdir)}; train first")
  if checkpoint is not None and not tf.io.gfile.exists(checkpoint + ".index"):
    raise FileNotFoundError(f"checkpoint {checkpoint} not found (no {checkpoint}.index); "
                            "pass a prefix such as <workdir>/checkpoints/ckpt-3")
  splits, model = build(config, record=read_data_record(workdir), missing_data_ok=True)
  ckpt = Checkpointer(checkpoint_dir(workdir), model)
  if checkpoint is None:  # the newest complete one (a deleted or truncated one is skipped)
    epoch = ckpt.restore_newest_complete(log=print)
  else:
    epoch = ckpt.restore(checkpoint)
  return config, splits, model, epoch


def train(config, workdir: str, log=print, extra_callbacks=()) -> TrainResult:
  """Trains ``config`` in ``workdir``, resuming from its last checkpoint if any.

  ``extra_callbacks`` run first at every hook (before checkpointing).
  """
  tc = config.train
  # Everything that can be checked is checked before the workdir is touched.
  check_config(config)
  if not str(workdir).strip():
    raise ValueError("workdir is empty: pass a --workdir folder for checkpoints and logs")
  changes = check_same_run(config, os.path.abspath(workdir))
  # First: a multi-worker strategy must exist before TensorFlow runs any op.
  strategy = distribute.make_strategy(tc)
  distribute.per_replica_batch(tc.batch_size, strategy)  # before writing anything
  workdir = os.path.abspath(workdir)
  # A resumed run keeps the normalisation it started with (data.json).
  splits, model = build(config, strategy=strategy, record=read_data_record(workdir))
  distribute.check_eval_batches(len(splits.split("valid")),
                                int(setting(tc, "eval_batch_size")), strategy)
  out_dir = distribute.write_dir(workdir, strategy)  # workdir, or a worker's temp dir
  make_workdir(out_dir)
  with WorkdirLock(out_dir):
    return _train_locked(config, workdir, out_dir, strategy, splits, model, changes, log,
                         extra_callbacks)


def _train_locked(config, workdir, out_dir, strategy, splits, model, changes, log,
                  extra_callbacks) -> TrainResult:
  """``train`` once the workdir is held by this process."""
  tc = config.train
  replicas = strategy.num_replicas_in_sync
  chief = distribute.is_chief(strategy)
  stopping = None
  if setting(tc, "early_stopping_patience"):
    stopping = EarlyStoppingState(int(tc.early_stopping_patience),
                                  int(setting(tc, "early_stopping_start")))
  checkpointer = Checkpointer(checkpoint_dir(out_dir), model,
                              extra=stopping.variables() if stopping else None)
  if chief:
    restorer = checkpointer
    initial_epoch = checkpointer.restore_latest(log)
  else:  # read the chief's latest checkpoint, never clean up its folder
    restorer = Checkpointer(checkpoint_dir(workdir), model)
    initial_epoch = restorer.restore(restorer.latest) if restorer.latest else 0
    checkpointer.epoch.assign(initial_epoch)
  if initial_epoch:
    log(f"Resuming from {restorer.restored_path or restorer.latest} "
        f"(epoch {initial_epoch} done)")
    _apply_resume_changes(model, tc, changes, log)
  if replicas > 1:
    log(f"{type(strategy).__name__}: {replicas} replicas, global batch "
        f"{int(tc.batch_size)} = {replicas} x {int(tc.batch_size) // replicas} "
        "(jit_compile and steps_per_execution > 1 are off under replication)"
        + ("" if chief else f"; non-chief worker writing to {out_dir}"))
  if int(setting(tc, "length_bucket_pool")) and not hasattr(splits, "lengths"):
    raise ValueError(f"config.train.length_bucket_pool sorts sequences by length; dataset "
                     f"{config.dataset.name!r} has no sequences (set it to 0)")
  save_config(config, out_dir)
  write_data_record(splits, out_dir)
  describe = getattr(splits, "describe_preprocessing", None)  # what the loader cut
  for line in describe() if describe else ():
    log(line)

  epochs = int(tc.epochs)
  batch_size = int(tc.batch_size)
  steps = epoch_steps(tc, splits)
  data_kwargs = stream_settings(tc)
  if steps < splits.steps_per_epoch(batch_size):
    # Shortened epochs: the stream must end each data epoch early to stay aligned.
    data_kwargs["steps_per_epoch"] = steps
  requested_spe = int(setting(tc, "steps_per_execution") or 1)
  if replicas == 1 and model.steps_per_execution != requested_spe:
    log(f"steps_per_execution {requested_spe} does not divide the {steps} steps of an "
        f"epoch; using {model.steps_per_execution}")
  tensorboard_dir = os.path.join(out_dir, "tensorboard")
  samples_dir = os.path.join(out_dir, "samples")

  throughput = cb.Throughput(steps * batch_size)
  checkpoint_cb = CheckpointCallback(checkpointer, setting(tc, "checkpoint_every"), log=log)
  image_shape = getattr(splits, "image_shape", None)
  callbacks = list(extra_callbacks) + list(schedules_from_config(setting(tc, "schedules"),
                                                          setting(tc, "lr_schedule")))
  # Model-specific callbacks (e.g. the DVAE's periodic log Z refresh) run before
  # checkpointing, so the saved state includes what they update.
  callbacks += list(model.training_callbacks(splits=splits))
  # Diagnostics that need the data or the workdir (histograms, density PNGs).
  callbacks += list(model.diagnostic_callbacks(splits, out_dir))
  if replicas > 1:  # never checkpoint a state whose replica copies disagree
    callbacks.append(distribute.ReplicaConsistency(strategy))
  stopping_cb = None
  if stopping is not None:  # before the epoch's checkpoint, which saves its state
    stopping_cb = EarlyStoppingCallback(
        stopping, Checkpointer(best_checkpoint_dir(out_dir), model, max_to_keep=1), log=log)
    callbacks.append(stopping_cb)
  callbacks += [throughput, checkpoint_cb]
  if model.has_capability("posterior_moments"):
    callbacks.append(cb.PosteriorStatistics(splits.eval_array("valid")[:1000]))
  sample_cb = None
  if setting(tc, "sample_every") and chief:
    sample_cb = cb.SampleImages(samples_dir, seed=int(tc.seed), image_shape=image_shape,
                                every=setting(tc, "sample_every"),
                                tensorboard_dir=tensorboard_dir)
    callbacks.append(sample_cb)
  if chief:
    cb.write_hparams(tensorboard_dir, config)
    callbacks.append(keras.callbacks.TensorBoard(tensorboard_dir, write_graph=False,
                                                 update_freq="epoch", profile_batch=0))
  # Last, so that it records every key the callbacks above added to the epoch's logs.
  callbacks.append(HistoryWriter(os.path.join(out_dir, "history.json"), initial_epoch,
                                 config_changes=changes if initial_epoch else ()))

  history = {}
  if stopping is not None and stopping.should_stop(initial_epoch):
    log(f"Nothing to do: stopped early after epoch {initial_epoch} (best validation ELBO "
        f"at epoch {int(stopping.best_epoch.numpy())}, in {best_checkpoint_dir(out_dir)})")
  elif initial_epoch < epochs:
    train_data = splits.train_dataset(batch_size, int(tc.seed), initial_epoch, **data_kwargs)
    valid_data = splits.eval_dataset("valid", int(setting(tc, "eval_batch_size")))
    if replicas > 1:  # each global batch is split over the replicas (and workers)
      train_data = distribute.shard_by_data(train_data)
      valid_data = distribute.shard_by_data(valid_data)
    fit = model.fit(
        train_data,
        epochs=epochs, initial_epoch=initial_epoch, steps_per_epoch=steps,
        validation_data=valid_data,
        validation_freq=int(setting(tc, "validation_every")),
        callbacks=callbacks, verbose=fit_verbosity(setting(tc, "verbose")), shuffle=False)
    history = {k: [float(v) for v in vals] for k, vals in fit.history.items()}
  else:
    log(f"Nothing to do: {initial_epoch} of {epochs} epochs already done")
  if not chief:
    distribute.remove_worker_dir(out_dir, workdir)
  return TrainResult(
      workdir=workdir, epochs_done=int(checkpointer.epoch.numpy()),
      checkpoint=checkpointer.latest if chief else None,
      tensorboard_dir=os.path.join(workdir, "tensorboard"), is_chief=chief,
      samples_png=sample_cb.latest if sample_cb else None, history=history,
      examples_per_sec=throughput.steady_examples_per_sec,
      stopped_on_nan=checkpoint_cb.nan_epoch is not None, model=model, splits=splits,
      epoch_seconds=tuple(throughput.epoch_seconds))


def fit_verbosity(verbose, stream=None) -> int:
  """Keras ``verbose`` for ``train.verbose``: 0 silent, 2 one line per epoch, 1 the
  progress bar on a terminal and one line per epoch when the output is not one (a log
  file, CI), where a bar's carriage returns would fill the log."""
  verbose = int(verbose)
  stream = stream or sys.stdout
  if verbose == 1 and not (hasattr(stream, "isatty") and stream.isatty()):
    return 2
  return verbose


def _apply_resume_changes(model, train_config, changes, log) -> None:
  """Applies the training settings changed since the checkpoint (``check_same_run``
  refused the ones that cannot change). Only the learning rate lives in the checkpoint
  (the optimizer's variable); it is set to the config's value, so config.json is true."""
  for change in changes:
    log(f"changed on resume (applied): {change}")
  rate = float(train_config.learning_rate)
  variable = model.optimizer.learning_rate
  if isinstance(variable, keras.Variable) and not np.isclose(float(variable.numpy()), rate):
    variable.assign(rate)
