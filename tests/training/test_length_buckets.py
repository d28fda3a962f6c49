"""Training on length-sorted pools (``train.length_bucket_pool``): batches whose number of
steps varies train a recurrent model; image data refuses the setting."""
import json
import os

import numpy as np
import pytest

from tests.conftest import tiny_vae_config
from tests.families import family_config
from tfvae.training.trainer import train


def test_a_vrnn_trains_on_batches_cut_to_their_longest_drawing(tmp_path):
  config = family_config("vrnn")
  config.dataset.max_length = 250  # the drawings' own lengths (65 to 250 steps)
  config.train.update(length_bucket_pool=2, steps_per_epoch=4, steps_per_execution=2)
  config.export.enabled = False
  train(config, str(tmp_path), log=lambda *_: None)
  history = json.load(open(os.path.join(tmp_path, "history.json")))
  losses = [v for segment in history for v in segment["logs"]["loss"]]
  assert len(losses) == 1 and np.all(np.isfinite(losses))


def test_image_data_refuses_length_buckets(tmp_path):
  config = tiny_vae_config(length_bucket_pool=2)
  with pytest.raises(ValueError, match="has no sequences"):
    train(config, str(tmp_path / "run"), log=lambda *_: None)


def test_the_plain_benchmark_loop_traces_once_for_all_batch_lengths():
  """The benchmarks' baseline (a ``tf.function`` around ``train_step``) would retrace for
  every new batch length and time the tracing; it generalises the length instead."""
  from tfvae.benchmarks import throughput  # pylint: disable=g-import-not-at-top
  config = family_config("vrnn")
  config.dataset.max_length = 250
  config.train.length_bucket_pool = 2
  loop = throughput.TrainLoop(config, "baseline_tf_function", 6)
  try:
    lengths = {b["x"].shape[1] for b in loop.data.take(6)}
    loop.run(6, 1)
  finally:
    loop.close()
  assert len(lengths) >= 3
  assert loop._step.experimental_get_tracing_count() <= 2  # pylint: disable=protected-access
