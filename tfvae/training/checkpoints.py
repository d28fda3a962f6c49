"""Checkpoints that resume: model, optimizer state and the epoch counter.

``tf.train.CheckpointManager`` writes the data and index files first and then replaces
the small ``checkpoint`` state file atomically, so a run killed mid-write resumes from
the last complete checkpoint. Only finite states are saved (see ``CheckpointCallback``).
"""
import os

import keras
import numpy as np
import tensorflow as tf


def _variables_by_path(model: keras.Model) -> dict:
  tracked = {}
  for i, variable in enumerate(model.variables):
    key = getattr(variable, "path", None) or getattr(variable, "name", f"v{i}")
    key = key.replace("/", ".")
    if key in tracked:
      key = f"{key}.{i}"
    tracked[key] = variable
  return tracked


class Checkpointer:
  """Saves and restores ``(model, optimizer, epoch)`` under ``directory``."""

  def __init__(self, directory: str, model: keras.Model, max_to_keep: int = 3):
    self.directory = directory
    self.model = model
    self.epoch = tf.Variable(0, dtype=tf.int64, trainable=False, name="epoch")
    # Keras 3 layers held in Python lists are not followed by tf.train's object
    # graph (their non-trainable state would be silently dropped), so every model
    # variable is also tracked by its unique Keras path.
    self.checkpoint = tf.train.Checkpoint(model=model, optimizer=model.optimizer,
                                          epoch=self.epoch,
                                          model_variables=_variables_by_path(model))
    self.manager = tf.train.CheckpointManager(self.checkpoint, directory, max_to_keep)

  @property
  def latest(self):
    return self.manager.latest_checkpoint

  def restore_latest(self) -> int:
    """Restores the newest checkpoint if any; returns the number of finished epochs."""
    path = self.manager.latest_checkpoint
    if path is None:
      return 0
    try:
      self.checkpoint.restore(path).assert_existing_objects_matched()
    except (tf.errors.OpError, AssertionError, ValueError) as e:
      raise RuntimeError(
          f"checkpoint {path} cannot be restored into this model ({e}); it may be "
          "corrupt or come from a different config. Use a new --workdir or remove "
          f"{self.directory}") from e
    return int(self.epoch.numpy())

  def restore(self, path: str) -> int:
    self.checkpoint.restore(path).assert_existing_objects_matched()
    return int(self.epoch.numpy())

  def save(self, epoch: int) -> str:
    self.epoch.assign(epoch)
    return self.manager.save(checkpoint_number=epoch)


def weights_are_finite(model: keras.Model) -> bool:
  """True when every floating-point weight of ``model`` is finite."""
  for variable in model.weights:
    value = np.asarray(variable.numpy())
    if np.issubdtype(value.dtype, np.floating) and not np.all(np.isfinite(value)):
      return False
  return True


class CheckpointCallback(keras.callbacks.Callback):
  """Checkpoints after every epoch; a NaN guard refuses to save a non-finite state.

  On a NaN/Inf loss or weight the callback stops training, restores the last good
  checkpoint into the model and records ``self.nan_epoch``.
  """

  def __init__(self, checkpointer: Checkpointer, every: int = 1, log=print):
    super().__init__()
    self.checkpointer = checkpointer
    self.every = max(int(every), 1)
    self.nan_epoch = None
    self.log = log

  def on_epoch_end(self, epoch, logs=None):
    logs = logs or {}
    finished = epoch + 1
    loss = logs.get("loss")
    finite = loss is None or np.isfinite(float(loss))
    if finite:
      finite = weights_are_finite(self.model)
    if not finite:
      self.nan_epoch = finished
      self.model.stop_training = True
      last = self.checkpointer.latest
      if last is not None:
        self.checkpointer.restore(last)
      self.log(f"NaN guard: non-finite loss or weights in epoch {finished}; training "
               f"stopped, kept last good checkpoint {last or '(none)'}")
      return
    last_epoch = self.params.get("epochs") if self.params else None
    if finished % self.every == 0 or finished == last_epoch:
      self.checkpointer.save(finished)


def checkpoint_dir(workdir: str) -> str:
  return os.path.join(workdir, "checkpoints")
