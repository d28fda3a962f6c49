"""TensorBoard histograms of posterior draws of z, one per latent dimension.

The BPEF posterior can be bi-modal and is bounded in [-1, 1]; a Gaussian cannot be
either (Sun & Zhang 2017, sec. 3.1), which these histograms make visible. Models expose
``posterior_codes(x, seed) -> [B, d]`` (one draw per example; for Cat-VAE the soft
category index). For models with a grid prior, the prior density panel of
``prior_density`` is logged as an image and optionally written as a PNG file.
"""
import os

import keras
import numpy as np
import tensorflow as tf

from tfvae.models.exponential_family.prior_density import density_panels, write_prior_density_png


class LatentHistograms(keras.callbacks.Callback):
  """Logs ``z/dim_XX`` histograms on a fixed batch ``x`` every ``every`` epochs."""

  def __init__(self, x, log_dir: str, seed: int = 0, every: int = 1,
               png_dir: str = None):
    super().__init__()
    self.x = tf.convert_to_tensor(np.asarray(x, np.float32))
    self.log_dir = log_dir
    self.seed = int(seed)
    self.every = max(int(every), 1)
    self.png_dir = png_dir
    self._writer = None

  def _get_writer(self):
    if self._writer is None:
      self._writer = tf.summary.create_file_writer(os.path.join(self.log_dir, "latent"))
    return self._writer

  def on_epoch_end(self, epoch, logs=None):
    if (epoch + 1) % self.every:
      return
    codes = self.model.posterior_codes(self.x, tf.constant([self.seed, epoch], tf.int32))
    grid = self.model.prior_grid_density()
    with self._get_writer().as_default():
      for j in range(int(codes.shape[-1])):
        tf.summary.histogram(f"z/dim_{j:02d}", codes[:, j], step=epoch)
      if grid is not None:
        panel = density_panels(np.asarray(grid[1]))
        tf.summary.image("prior_density", panel[None], step=epoch)
    self._writer.flush()
    if self.png_dir and grid is not None:
      write_prior_density_png(self.model,
                              os.path.join(self.png_dir, f"prior_epoch_{epoch + 1:04d}.png"))

  def on_train_end(self, logs=None):
    if self._writer is not None:
      self._writer.close()
      self._writer = None
