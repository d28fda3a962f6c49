"""Epoch-level callbacks: posterior statistics, sample PNGs, throughput."""
import os
import time

import keras
import numpy as np


class PosteriorStatistics(keras.callbacks.Callback):
  """Adds ``val_active_units`` and ``val_posterior_scale`` to the epoch logs.

  A latent unit is active when Cov_x(E_q[z_i|x]) > ``threshold`` (Burda et al. 2016,
  threshold 0.01), estimated on a fixed validation batch. Place before TensorBoard.
  """

  def __init__(self, x: np.ndarray, threshold: float = 0.01):
    super().__init__()
    self.x = x
    self.threshold = threshold

  def on_epoch_end(self, epoch, logs=None):
    if logs is None or not hasattr(self.model, "posterior"):
      return
    q = self.model.encode(self.x)
    mean, scale = self.model.posterior.moments(q)
    variance = np.var(np.asarray(mean), axis=0)
    logs["val_active_units"] = float(np.sum(variance > self.threshold))
    logs["val_posterior_scale"] = float(np.mean(np.asarray(scale)))


class SampleImages(keras.callbacks.Callback):
  """Writes ``samples/epoch_XXXX.png`` and ``samples/latest.png`` every epoch."""

  def __init__(self, directory: str, seed: int = 0, image_shape=None, every: int = 1):
    super().__init__()
    self.directory = directory
    self.seed = seed
    self.image_shape = image_shape
    self.every = max(int(every), 1)
    self.latest = None

  def on_epoch_end(self, epoch, logs=None):
    if (epoch + 1) % self.every:
      return
    path = os.path.join(self.directory, f"epoch_{epoch + 1:04d}.png")
    self.model.write_samples_png(path, self.seed, image_shape=self.image_shape)
    latest = os.path.join(self.directory, "latest.png")
    with open(path, "rb") as src, open(latest + ".tmp", "wb") as dst:
      dst.write(src.read())
    os.replace(latest + ".tmp", latest)
    self.latest = latest


class Throughput(keras.callbacks.Callback):
  """Times every epoch's training part; adds ``examples_per_sec`` to the logs.

  The first epoch includes tracing/compilation; ``steady_examples_per_sec`` is the
  median over the later epochs.
  """

  def __init__(self, examples_per_epoch: int):
    super().__init__()
    self.examples_per_epoch = examples_per_epoch
    self.epoch_seconds = []
    self._start = None
    self._train_end = None

  def on_epoch_begin(self, epoch, logs=None):
    self._start = time.perf_counter()
    self._train_end = None

  def on_test_begin(self, logs=None):
    # Validation runs inside the epoch: stop the clock when it starts.
    if self._start is not None and self._train_end is None:
      self._train_end = time.perf_counter()

  def on_epoch_end(self, epoch, logs=None):
    end = self._train_end or time.perf_counter()
    seconds = end - self._start
    self.epoch_seconds.append(seconds)
    if logs is not None:
      logs["examples_per_sec"] = self.examples_per_epoch / seconds

  @property
  def steady_examples_per_sec(self):
    timed = self.epoch_seconds[1:] or self.epoch_seconds
    return float(self.examples_per_epoch / np.median(timed)) if timed else float("nan")
