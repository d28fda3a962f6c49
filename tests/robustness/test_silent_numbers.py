"""Figures that used to come out wrong without an error (issue: hardening, "numbers").

* ``steps_per_execution`` not dividing the epoch's steps ran extra optimizer steps;
* evaluation means were unweighted means of batch means (a short last batch counted as
  much as a full one);
* ``max_examples`` evaluated whole batches (7 -> 100 examples).
"""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.robustness.runs import run_config
from tfvae.models.base import LatentVariableModel


def test_an_epoch_runs_exactly_its_steps_when_steps_per_execution_does_not_divide(
    tmp_path):
  from tfvae.training.trainer import train  # pylint: disable=g-import-not-at-top
  keras.backend.clear_session()
  lines = []
  config = run_config(epochs=2, steps_per_epoch=25, steps_per_execution=10)
  result = train(config, str(tmp_path / "run"), log=lines.append)
  # Before the fix: 3 executions of 10 steps an epoch, 60 optimizer steps.
  assert int(result.model.optimizer.iterations.numpy()) == 2 * 25
  assert any("using 5" in line for line in lines), lines


@pytest.mark.parametrize("requested,steps,expected", [
    (10, 25, 5), (10, 500, 10), (7, 13, 1), (50, 20, 20), (1, 9, 1), (64, 0, 64)])
def test_steps_per_execution_is_the_largest_divisor_of_the_epoch(requested, steps,
                                                                  expected):
  from tfvae.training.distribute import steps_per_execution  # pylint: disable=g-import-not-at-top
  assert steps_per_execution(requested, steps_per_epoch=steps) == expected


class _MeanOfInputs(LatentVariableModel):
  """Its per-batch "ELBO" is the batch mean of the inputs' first column."""

  def build(self, input_shape):
    self.built = True

  def loss_terms(self, x, training=False):
    value = tf.reduce_mean(x[:, 0])
    return {"loss": -value, "elbo": value, "reconstruction": value,
            "kl": tf.zeros_like(value)}


def test_evaluate_weights_each_batch_by_its_size():
  keras.backend.clear_session()
  model = _MeanOfInputs()
  model.compile(optimizer="adam", jit_compile=False)
  x = np.arange(250, dtype=np.float32)[:, None]
  logs = model.evaluate(tf.data.Dataset.from_tensor_slices(x).batch(100), verbose=0,
                        return_dict=True)
  # Exact mean 124.5; the unweighted mean of the batch means (49.5, 149.5, 224.5) is 141.2.
  assert logs["elbo"] == pytest.approx(124.5, abs=1e-4)


def test_evaluate_max_examples_evaluates_exactly_that_many(trained_run):
  from tfvae.evaluation.run_evaluation import evaluate_run  # pylint: disable=g-import-not-at-top
  keras.backend.clear_session()
  result = evaluate_run(trained_run.workdir, iwae_samples=2, max_examples=7,
                        batch_size=100, log=lambda *_: None)
  assert result["examples"] == 7
  assert len(result["per_example"]) == 7
