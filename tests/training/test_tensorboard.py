"""What a run writes for TensorBoard: every schedule's value per epoch (the warm-up is
visible), the sample grid as an image per epoch, and the config in the HParams plugin."""
import glob
import os

import keras
import tensorflow as tf
from tensorboard.backend.event_processing import event_accumulator

from tests.conftest import tiny_vae_config
from tfvae.training.trainer import train


def _accumulator(folder):
  acc = event_accumulator.EventAccumulator(
      folder, size_guidance={event_accumulator.IMAGES: 0, event_accumulator.SCALARS: 0,
                             event_accumulator.TENSORS: 0})
  acc.Reload()
  return acc


def test_schedules_samples_and_hparams_reach_tensorboard(tmp_path):
  config = tiny_vae_config(epochs=3, steps_per_epoch=2, sample_every=1, learning_rate=2e-3)
  config.train.schedules = {"kl_weight": dict(kind="linear", start=0.0, end=1.0,
                                              duration=2, unit="epoch")}
  keras.backend.clear_session()
  result = train(config, str(tmp_path / "run"), log=lambda *_: None)
  assert result.history["schedule_kl_weight"] == [0.0, 0.5, 1.0]
  board = os.path.join(result.tensorboard_dir)

  train_scalars = _accumulator(os.path.join(board, "train"))
  events = train_scalars.Tensors("epoch_schedule_kl_weight")  # TF2 summaries: tensors
  assert [float(tf.make_ndarray(e.tensor_proto)) for e in events] == [0.0, 0.5, 1.0]

  samples = _accumulator(os.path.join(board, "samples")).Tensors("samples")
  assert [e.step for e in samples] == [1, 2, 3]
  width, height, png = tf.make_ndarray(samples[-1].tensor_proto)  # image summary
  assert int(width) > 0 and int(height) > 0 and png[:4] == b"\x89PNG"

  root = _accumulator(board)
  plugin_tags = root.Tags()["tensors"]
  assert "_hparams_/session_start_info" in plugin_tags, root.Tags()
  start = root.Tensors("_hparams_/session_start_info")[0]
  from tensorboard.plugins.hparams import plugin_data_pb2  # pylint: disable=g-import-not-at-top
  data = plugin_data_pb2.HParamsPluginData.FromString(
      root.SummaryMetadata("_hparams_/session_start_info").plugin_data.content)
  hparams = data.session_start_info.hparams
  assert hparams["train.learning_rate"].number_value == 2e-3
  assert hparams["model.name"].string_value == "gaussian_vae"
  assert start.step == 0
  assert glob.glob(os.path.join(board, "events.out.tfevents.*"))

