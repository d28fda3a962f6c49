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
    moments = None if logs is None else self.model.posterior_moments(self.x)
    if moments is None:
      return
    mean, scale = moments
    variance = np.var(np.asarray(mean), axis=0)
    logs["val_active_units"] = float(np.sum(variance > self.threshold))
    logs["val_posterior_scale"] = float(np.mean(np.asarray(scale)))


class SampleImages(keras.callbacks.Callback):
  """Writes ``samples/epoch_XXXX.png`` and ``samples/latest.png`` every ``every`` epochs,
  and the same grid as the image ``samples`` of TensorBoard run ``<tensorboard_dir>/
  samples`` when ``tensorboard_dir`` is given."""

  def __init__(self, directory: str, seed: int = 0, image_shape=None, every: int = 1,
               tensorboard_dir: str = None):
    super().__init__()
    self.directory = directory
    self.seed = seed
    self.image_shape = image_shape
    self.every = max(int(every), 1)
    self.latest = None
    self.tensorboard_dir = tensorboard_dir
    self._writer = None

  def _to_tensorboard(self, png_path: str, step: int) -> None:
    import tensorflow as tf  # pylint: disable=g-import-not-at-top
    if self._writer is None:
      self._writer = tf.summary.create_file_writer(
          os.path.join(self.tensorboard_dir, "samples"))
    with open(png_path, "rb") as f:
      image = tf.io.decode_png(f.read())
    with self._writer.as_default():
      tf.summary.image("samples", image[None], step=step)
    self._writer.flush()

  def on_train_end(self, logs=None):
    if self._writer is not None:
      self._writer.close()
      self._writer = None

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
    if self.tensorboard_dir:
      self._to_tensorboard(path, epoch + 1)


def flat_hparams(config) -> dict:
  """``config`` as ``{"train.learning_rate": 0.0005, ...}`` of the types the TensorBoard
  hparams plugin takes (bool, int, float, str; lists and None as text)."""
  out = {}

  def visit(prefix, node):
    for key, value in node.items():
      name = f"{prefix}{key}"
      if hasattr(value, "items"):
        visit(name + ".", value)
      elif isinstance(value, (bool, int, float, str)):
        out[name] = value
      else:
        out[name] = str(value)

  visit("", config)
  return out


def write_hparams(tensorboard_dir: str, config) -> None:
  """Records the run's config in TensorBoard's HParams dashboard (run ``.``, whose
  ``train`` / ``validation`` scalars are its metrics)."""
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  from tensorboard.plugins.hparams import api as hp  # pylint: disable=g-import-not-at-top
  writer = tf.summary.create_file_writer(tensorboard_dir)
  with writer.as_default():
    hp.hparams(flat_hparams(config.to_dict() if hasattr(config, "to_dict") else config))
  writer.close()


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
