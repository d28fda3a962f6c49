"""Checkpoints that resume: model, optimizer state and the epoch counter.

``tf.train.CheckpointManager`` writes the data and index files first and then replaces
the small ``checkpoint`` state file atomically, so a run killed mid-write resumes from
the last complete checkpoint. Only finite states are saved (see ``CheckpointCallback``).
A run killed mid-write leaves files that the state file does not list (a ``*_temp``
folder, or the data and index of the uncommitted checkpoint); ``restore_latest`` (the
start of training) removes them, so the directory holds only committed checkpoints.

Tests only: ``TFVAE_TEST_CHECKPOINT_PAUSE=<epoch>:<seconds>`` makes the save of epoch
``<epoch>`` print a line and sleep after its data and index are written and before they
are committed to the state file, so a test can kill the process at exactly that moment.
"""
import os
import re
import shutil
import sys
import time

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


def _is_rng_state(key: str) -> bool:
  return "seed_generator" in key


def _check_only_rng_state_unmatched(path: str, model: keras.Model) -> None:
  """Raises ``AssertionError`` unless every non-RNG variable of ``model`` is stored
  under its path in the checkpoint at ``path``."""
  saved = set()
  for name, _ in tf.train.list_variables(path):
    if name.startswith("model_variables/"):
      saved.add(name.split("/")[1].replace("..", "."))
  missing = [k for k in _variables_by_path(model) if k not in saved and not _is_rng_state(k)]
  if missing:
    raise AssertionError(f"{len(missing)} model variables are not in the checkpoint, "
                         f"e.g. {missing[:3]}")


class Checkpointer:
  """Saves and restores ``(model, optimizer, epoch)`` under ``directory``."""

  def __init__(self, directory: str, model: keras.Model, max_to_keep: int = 3,
               extra: dict = None):
    """``extra``: more ``{name: tf.Variable}`` saved with the run (e.g. the early-stopping
    state)."""
    self.directory = directory
    self.model = model
    self.epoch = tf.Variable(0, dtype=tf.int64, trainable=False, name="epoch")
    # Keras 3 layers held in Python lists are not followed by tf.train's object
    # graph (their non-trainable state would be silently dropped), so every model
    # variable is also tracked by its unique Keras path.
    self.checkpoint = tf.train.Checkpoint(model=model, optimizer=model.optimizer,
                                          epoch=self.epoch,
                                          model_variables=_variables_by_path(model),
                                          **(extra or {}))
    self.manager = tf.train.CheckpointManager(self.checkpoint, directory, max_to_keep)
    self.restored_path = None  # the checkpoint that ``restore_newest_complete`` used

  @property
  def latest(self):
    return self.manager.latest_checkpoint

  def restore_latest(self, log=None) -> int:
    """Restores the newest checkpoint if any; returns the number of finished epochs.

    First removes what an interrupted save left behind (see the module docstring).
    """
    self.remove_incomplete()
    if self.manager.latest_checkpoint is None:
      return 0
    return self.restore_newest_complete(log)

  def restore_newest_complete(self, log=None) -> int:
    """Restores the newest checkpoint of the state file that is complete and readable,
    falling back to older ones (one whose files were deleted or truncated is skipped,
    and ``log`` says so). Raises the newest one's error if none can be restored."""
    paths = list(reversed(self.manager.checkpoints))
    if not paths:
      raise FileNotFoundError(f"no checkpoint in {self.directory}")
    first_error = None
    for path in paths:
      try:
        epoch = self.restore(path)
      except (FileNotFoundError, CheckpointError) as e:
        first_error = first_error or e
        if log:
          log(f"skipping checkpoint {path}: {str(e).splitlines()[0]}")
        continue
      self.restored_path = path
      return epoch
    raise first_error

  def restore(self, path: str) -> int:
    """Restores ``path`` (a prefix such as ``.../ckpt-3``); returns its epoch.

    Raises ``FileNotFoundError`` if it does not exist and ``CheckpointError`` if it is
    corrupt or holds another model's variables.
    """
    if not tf.io.gfile.exists(path + ".index"):
      known = ", ".join(self.manager.checkpoints) or "none"
      raise FileNotFoundError(f"checkpoint {path} not found (no {path}.index); "
                              f"checkpoints in {self.directory}: {known}")
    try:
      status = self.checkpoint.restore(path)
      try:
        status.assert_existing_objects_matched()
      except AssertionError:
        # Keras ``SeedGenerator`` states (dropout / sampling RNG, not learned) get
        # process-global auto-numbered names, so a model rebuilt in another process may
        # name them differently. Accept that, but every other variable must be restored.
        _check_only_rng_state_unmatched(path, self.model)
        status.expect_partial()
    except (tf.errors.OpError, AssertionError, ValueError, IndexError) as e:
      # A truncated data file surfaces as IndexError("Read less bytes than requested").
      raise CheckpointError(
          f"checkpoint {path} cannot be restored into this model ({type(e).__name__}: "
          f"{str(e).splitlines()[0] if str(e) else ''}); it is corrupt (e.g. truncated) or "
          "comes from a different config. Use a new --workdir, or remove "
          f"{self.directory} to start again") from e
    return int(self.epoch.numpy())

  def remove_incomplete(self) -> list:
    """Deletes files of interrupted saves: ``ckpt-N_temp*`` folders and ``ckpt-N.*``
    files of checkpoints that the state file does not list. Returns what it removed."""
    if not os.path.isdir(self.directory):
      return []
    committed = {os.path.basename(p) for p in self.manager.checkpoints}
    removed = []
    for name in sorted(os.listdir(self.directory)):
      path = os.path.join(self.directory, name)
      match = re.fullmatch(r"(ckpt-\d+)(_temp.*|\.index|\.data-\d+-of-\d+)|"
                           r"(checkpoint\.tmp[0-9a-f]+)", name)
      if match is None:
        continue
      stale = match.group(3) or match.group(2).startswith("_temp")
      if stale or match.group(1) not in committed:
        if os.path.isdir(path):
          shutil.rmtree(path, ignore_errors=True)
        elif os.path.exists(path):
          try:
            os.remove(path)
          except FileNotFoundError:  # another worker removed it first
            pass
        removed.append(name)
    return removed

  def save(self, epoch: int) -> str:
    self.epoch.assign(epoch)
    options = None
    pause = _test_pause(epoch)
    if pause:
      options = tf.train.CheckpointOptions(experimental_write_callbacks=[pause])
    return self.manager.save(checkpoint_number=epoch, options=options)


class CheckpointError(RuntimeError):
  """A checkpoint exists but cannot be restored (corrupt, or another model's)."""


def _test_pause(epoch: int):
  """The ``TFVAE_TEST_CHECKPOINT_PAUSE`` hook (tests only; see the module docstring)."""
  spec = os.environ.get("TFVAE_TEST_CHECKPOINT_PAUSE")
  if not spec:
    return None
  at, seconds = spec.split(":")
  if int(at) != int(epoch):
    return None

  def pause(save_path):
    print(f"TFVAE_TEST_CHECKPOINT_PAUSE: {save_path} written, not committed", flush=True)
    sys.stdout.flush()
    time.sleep(float(seconds))

  return pause


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
