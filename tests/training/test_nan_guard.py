"""A non-finite state is never checkpointed; the last good checkpoint is kept."""
import keras
import numpy as np

from tests.conftest import tiny_vae_config
from tfvae.training.trainer import train


class _PoisonAtEpoch(keras.callbacks.Callback):
  def __init__(self, epoch):
    super().__init__()
    self.epoch = epoch

  def on_epoch_end(self, epoch, logs=None):
    if epoch == self.epoch:
      w = self.model.trainable_weights[0]
      w.assign(np.full(w.shape, np.nan, np.float32))


def test_nan_stops_training_and_keeps_last_good_checkpoint(tmp_path):
  messages = []
  result = train(tiny_vae_config(epochs=4), str(tmp_path), log=messages.append,
                 extra_callbacks=[_PoisonAtEpoch(1)])
  assert result.stopped_on_nan
  assert result.epochs_done == 1
  assert result.checkpoint.endswith("ckpt-1")
  assert any("NaN guard" in m and "ckpt-1" in m for m in messages)
  # the model in memory was rolled back to the good checkpoint
  assert all(np.all(np.isfinite(v.numpy())) for v in result.model.trainable_weights)
