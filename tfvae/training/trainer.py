"""Config -> data + model -> ``fit`` with callbacks -> checkpoints, logs, samples.

Workdir layout::

  workdir/config.json        the resolved config (resuming reuses it)
  workdir/checkpoints/       tf.train checkpoints (model, optimizer, epoch)
  workdir/tensorboard/       scalars of every loss term + posterior statistics
  workdir/samples/           sample grid PNG per epoch (latest.png)
  workdir/history.json       per-epoch logs of all runs in this workdir

Re-running with the same workdir resumes from the last checkpoint: the epoch counter,
optimizer state and the model's seed counter are restored, and the data order of epoch
e depends only on (seed, e), so the resumed run reproduces the uninterrupted one.
"""
import dataclasses
import json
import os
import time
from typing import Optional

import keras
import ml_collections
import numpy as np

from tfvae.data import load_dataset
from tfvae.models import build_model
from tfvae.training import callbacks as cb
from tfvae.training.checkpoints import CheckpointCallback, Checkpointer, checkpoint_dir
from tfvae.training.precision import set_precision
from tfvae.training.schedules import schedules_from_config


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


def make_optimizer(train_config) -> keras.optimizers.Optimizer:
  kwargs = {"learning_rate": float(train_config.learning_rate)}
  if train_config.get("clipnorm"):
    kwargs["clipnorm"] = float(train_config.clipnorm)
  return keras.optimizers.Adam(**kwargs)


def build(config, compile_model: bool = True):
  """Data splits and a compiled, built model (optimizer variables created)."""
  set_precision(config.train.get("precision", "float32"))
  keras.utils.set_random_seed(int(config.train.seed))
  splits = load_dataset(config.dataset)
  model = build_model(config.model, splits, seed=int(config.train.seed))
  likelihood = config.model.get("likelihood")
  if likelihood:
    splits.check_likelihood(likelihood)
  if compile_model:
    model.compile(optimizer=make_optimizer(config.train),
                  jit_compile=bool(config.train.get("jit_compile", True)),
                  steps_per_execution=int(config.train.get("steps_per_execution", 1)))
  first = next(iter(splits.eval_dataset("valid", int(config.train.batch_size))))
  model(first)  # builds every layer
  if compile_model:
    model.optimizer.build(model.trainable_variables)
  return splits, model


def restore_for_inference(workdir: str, checkpoint: Optional[str] = None):
  """Config, splits and model restored from ``workdir``'s latest (or given) checkpoint."""
  config = load_config(workdir)
  splits, model = build(config)
  ckpt = Checkpointer(checkpoint_dir(workdir), model)
  path = checkpoint or ckpt.latest
  if path is None:
    raise FileNotFoundError(f"no checkpoint in {checkpoint_dir(workdir)}; train first")
  epoch = ckpt.restore(path)
  return config, splits, model, epoch


def train(config, workdir: str, log=print, extra_callbacks=()) -> TrainResult:
  """Trains ``config`` in ``workdir``, resuming from its last checkpoint if any.

  ``extra_callbacks`` run first at every hook (before checkpointing).
  """
  workdir = os.path.abspath(workdir)
  os.makedirs(workdir, exist_ok=True)
  tc = config.train
  splits, model = build(config)
  checkpointer = Checkpointer(checkpoint_dir(workdir), model)
  initial_epoch = checkpointer.restore_latest()
  if initial_epoch:
    log(f"Resuming from {checkpointer.latest} (epoch {initial_epoch} done)")
  save_config(config, workdir)

  epochs = int(tc.epochs)
  batch_size = int(tc.batch_size)
  steps = splits.steps_per_epoch(batch_size)
  data_kwargs = {}
  if tc.get("steps_per_epoch") and int(tc.steps_per_epoch) < steps:
    # Shortened epochs: the stream must end each data epoch early to stay aligned.
    steps = int(tc.steps_per_epoch)
    data_kwargs["steps_per_epoch"] = steps
  tensorboard_dir = os.path.join(workdir, "tensorboard")
  samples_dir = os.path.join(workdir, "samples")

  throughput = cb.Throughput(steps * batch_size)
  checkpoint_cb = CheckpointCallback(checkpointer, tc.get("checkpoint_every", 1), log=log)
  image_shape = getattr(splits, "image_shape", None)
  callbacks = list(extra_callbacks) + list(schedules_from_config(tc.get("schedules"),
                                                          tc.get("lr_schedule")))
  # Model-specific callbacks (e.g. the DVAE's periodic log Z refresh) run before
  # checkpointing, so the saved state includes what they update.
  callbacks += list(getattr(model, "training_callbacks",
                            lambda **unused: [])(splits=splits))
  # Diagnostics that need the data or the workdir (histograms, density PNGs).
  callbacks += list(getattr(model, "diagnostic_callbacks",
                            lambda *unused: [])(splits, workdir))
  callbacks += [throughput, checkpoint_cb]
  if hasattr(model, "posterior") and hasattr(model, "encode"):
    callbacks.append(cb.PosteriorStatistics(splits.eval_array("valid")[:1000]))
  sample_cb = None
  if tc.get("sample_every", 1):
    sample_cb = cb.SampleImages(samples_dir, seed=int(tc.seed), image_shape=image_shape,
                                every=tc.get("sample_every", 1))
    callbacks.append(sample_cb)
  if tc.get("early_stopping_patience", 0):
    callbacks.append(keras.callbacks.EarlyStopping(
        monitor="val_elbo", mode="max", patience=int(tc.early_stopping_patience)))
  callbacks.append(keras.callbacks.TensorBoard(tensorboard_dir, write_graph=False,
                                               update_freq="epoch", profile_batch=0))

  history = {}
  if initial_epoch < epochs:
    fit = model.fit(
        splits.train_dataset(batch_size, int(tc.seed), initial_epoch, **data_kwargs),
        epochs=epochs, initial_epoch=initial_epoch, steps_per_epoch=steps,
        validation_data=splits.eval_dataset("valid", int(tc.get("eval_batch_size", 1000))),
        validation_freq=int(tc.get("validation_every", 1)),
        callbacks=callbacks, verbose=int(tc.get("verbose", 2)), shuffle=False)
    history = {k: [float(v) for v in vals] for k, vals in fit.history.items()}
    _append_history(workdir, initial_epoch, history)
  else:
    log(f"Nothing to do: {initial_epoch} of {epochs} epochs already done")
  return TrainResult(
      workdir=workdir, epochs_done=int(checkpointer.epoch.numpy()),
      checkpoint=checkpointer.latest, tensorboard_dir=tensorboard_dir,
      samples_png=sample_cb.latest if sample_cb else None, history=history,
      examples_per_sec=throughput.steady_examples_per_sec,
      stopped_on_nan=checkpoint_cb.nan_epoch is not None, model=model, splits=splits)


def _append_history(workdir, initial_epoch, history):
  path = os.path.join(workdir, "history.json")
  runs = []
  if os.path.exists(path):
    with open(path) as f:
      runs = json.load(f)
  runs.append({"initial_epoch": initial_epoch, "time": time.time(), "logs": history})
  tmp = path + ".tmp"
  with open(tmp, "w") as f:
    json.dump(runs, f, indent=1)
  os.replace(tmp, path)
