"""Early stopping on the validation ELBO that survives a resume, with the best model kept.

The protocol of Tomczak & Welling's VampPrior experiments, which Lavda et al. (2020,
sec. 5) follow: the count starts after the KL warm-up (``train.early_stopping_start``
epochs), every validation ELBO above the best so far saves the whole state to
``<workdir>/best_checkpoint/`` (one checkpoint kept), and training stops once
``train.early_stopping_patience`` epochs have passed without a new best. The test figures
are then those of the best checkpoint (``tfvae-evaluate --checkpoint=best``).

The best value and its epoch are variables of the run's own checkpoint, so a run killed
and resumed counts on from where it was (Keras' ``EarlyStopping`` keeps them in Python
and starts its count again after every resume).
"""
import os

import keras
import numpy as np
import tensorflow as tf

BEST_DIR = "best_checkpoint"


def best_checkpoint_dir(workdir: str) -> str:
  return os.path.join(workdir, BEST_DIR)


class EarlyStoppingState:
  """``best_value`` (validation ELBO) and ``best_epoch`` (epochs done when it was seen;
  0 = none yet), as checkpointable variables (``variables()``)."""

  def __init__(self, patience: int, start: int = 0):
    if patience < 1:
      raise ValueError(f"patience must be >= 1, got {patience}")
    self.patience = int(patience)
    self.start = max(int(start), 0)
    self.best_value = tf.Variable(-np.inf, dtype=tf.float64, trainable=False,
                                  name="early_stopping_best_value")
    self.best_epoch = tf.Variable(0, dtype=tf.int64, trainable=False,
                                  name="early_stopping_best_epoch")

  def variables(self) -> dict:
    return {"early_stopping_best_value": self.best_value,
            "early_stopping_best_epoch": self.best_epoch}

  def epochs_without_improvement(self, epochs_done: int) -> int:
    """Epochs since the best (or since ``start``, before any best)."""
    return max(0, int(epochs_done) - max(int(self.best_epoch.numpy()), self.start))

  def should_stop(self, epochs_done: int) -> bool:
    return (epochs_done > self.start
            and self.epochs_without_improvement(epochs_done) >= self.patience)

  def update(self, epochs_done: int, value: float) -> bool:
    """Records the validation ELBO after ``epochs_done`` epochs; True if it is a new best
    (only after ``start`` epochs)."""
    if epochs_done <= self.start or not np.isfinite(value):
      return False
    if value > float(self.best_value.numpy()):
      self.best_value.assign(float(value))
      self.best_epoch.assign(int(epochs_done))
      return True
    return False


class EarlyStoppingCallback(keras.callbacks.Callback):
  """Updates ``state`` from ``val_elbo``, saves a new best with ``best_checkpointer`` and
  stops training after ``state.patience`` epochs without one. Runs before the epoch's
  regular checkpoint, so that checkpoint holds the updated state."""

  def __init__(self, state: EarlyStoppingState, best_checkpointer, log=print):
    super().__init__()
    self.state = state
    self.best_checkpointer = best_checkpointer
    self.log = log
    self.stopped_epoch = None

  def on_epoch_end(self, epoch, logs=None):
    logs = logs or {}
    if "val_elbo" not in logs:
      return
    finished = epoch + 1
    if self.state.update(finished, float(logs["val_elbo"])):
      self.best_checkpointer.save(finished)
    if self.state.should_stop(finished):
      self.stopped_epoch = finished
      self.model.stop_training = True
      self.log(f"Early stopping after epoch {finished}: no better validation ELBO in "
               f"{self.state.patience} epochs (best {float(self.state.best_value.numpy()):.4f}"
               f" at epoch {int(self.state.best_epoch.numpy())}, "
               f"kept in {self.best_checkpointer.directory})")
