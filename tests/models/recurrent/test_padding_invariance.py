"""Padded steps beyond the longest sequence change nothing: a batch cut to its longest
sequence has the same log importance weights as the batch padded to ``max_length``
(what ``train.length_bucket_pool`` relies on), for every recurrent family."""
import pytest
import tensorflow as tf

from tests.families import family_config
from tests.tiny_datasets import SHEEP_STROKES
from tfvae.training.trainer import build


@pytest.mark.parametrize("name", ["vrnn", "gmvrnn_gumbel", "gmvrnn_variational",
                                  "lstm_baseline"])
def test_log_weights_ignore_padding_past_the_longest_sequence(name):
  config = family_config(name)
  config.dataset = dict(SHEEP_STROKES, max_length=250)
  config.model.output = "pen_gmm"
  splits, model = build(config, steps_per_epoch=1)
  batch = next(iter(splits.eval_dataset("valid", 6)))
  longest = int(tf.reduce_max(tf.reduce_sum(batch["mask"], 1)))
  assert longest < 250  # the cut drops padded steps
  cut = {"x": batch["x"][:, :longest], "mask": batch["mask"][:, :longest]}
  padded = model.log_importance_weights(batch, 3, tf.constant([1, 2]))
  trimmed = model.log_importance_weights(cut, 3, tf.constant([1, 2]))
  tf.debugging.assert_near(trimmed, padded, rtol=1e-5, atol=1e-3)
