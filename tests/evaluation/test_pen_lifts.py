"""Pen-lift precision, recall and lift rates: counted per sequence by the model, turned
into the split's ratios by ``prediction_figures``."""
import numpy as np
import pytest
import tensorflow as tf

from tests.models.recurrent.test_vrnn import B, T, pen_batch, tiny_vrnn
from tfvae.evaluation.pen_lifts import prediction_figures, sample_lift_rate


def test_counts_are_the_masked_indicator_sums():
  """output_terms with hand-set pen logits: the counts are those of numpy."""
  model = tiny_vrnn(output="pen_gaussian", num_components=1)
  x, mask = pen_batch(lengths=(T, 2, 4))
  x_tm, mask_tm = tf.transpose(x, [1, 0, 2]), tf.transpose(mask)
  logit = np.random.default_rng(0).normal(size=(T, B)).astype(np.float32)
  params = np.zeros((T, B, model.output_head.params_size), np.float32)
  params[..., -1] = logit
  _, monitor = model.output_terms(tf.constant(params), x_tm, mask_tm)
  true = x_tm.numpy()[..., -1] > 0.5
  predicted = logit > 0
  m = mask_tm.numpy() > 0
  assert true[m].sum() > 0 and predicted[m].sum() > 0
  np.testing.assert_allclose(float(monitor["pen_steps"]), m.sum() / B, rtol=1e-6)
  np.testing.assert_allclose(float(monitor["pen_lifts_true"]), (true & m).sum() / B,
                             rtol=1e-6)
  np.testing.assert_allclose(float(monitor["pen_lifts_predicted"]),
                             (predicted & m).sum() / B, rtol=1e-6)
  np.testing.assert_allclose(float(monitor["pen_lifts_hit"]),
                             (true & predicted & m).sum() / B, rtol=1e-6)


def test_figures_are_ratios_of_the_counts():
  figures = prediction_figures({"pen_steps": 100.0, "pen_lifts_true": 4.0,
                                "pen_lifts_predicted": 8.0, "pen_lifts_hit": 2.0,
                                "elbo": -3.0})
  assert figures == pytest.approx({"pen_lift_precision": 0.25, "pen_lift_recall": 0.5,
                                   "pen_lift_rate_data": 0.04,
                                   "pen_lift_rate_predicted": 0.08})
  never = prediction_figures({"pen_steps": 100.0, "pen_lifts_true": 4.0,
                              "pen_lifts_predicted": 0.0, "pen_lifts_hit": 0.0})
  assert never["pen_lift_precision"] is None and never["pen_lift_recall"] == 0.0
  assert prediction_figures({"elbo": -3.0}) == {}  # no pen output


def test_sample_lift_rate_counts_the_pen_channel():
  model = tiny_vrnn(output="pen_gaussian", num_components=1)
  rate = sample_lift_rate(model, num_samples=7, length=T, seed=1, batch_size=3)
  out = [model.sample(n, tf.constant([1, start], tf.int32), length=T)["samples"].numpy()
         for start, n in ((0, 3), (3, 3), (6, 1))]
  pen = np.concatenate([o[..., -1].ravel() for o in out])
  assert pen.size == 7 * T
  assert rate == pytest.approx(float((pen > 0.5).mean()))


def test_evaluate_run_reports_pen_lifts_of_a_stroke_model(tmp_path):
  """A tiny VRNN trained on the sheep strokes: the evaluated data lift rate is the test
  split's own share of lifted steps, and every figure is a rate in [0, 1]."""
  from tests.families import family_config  # pylint: disable=g-import-not-at-top
  from tfvae.evaluation.run_evaluation import evaluate_run  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import train  # pylint: disable=g-import-not-at-top
  config = family_config("vrnn")
  config.export.enabled = False
  result = train(config, str(tmp_path), log=lambda *_: None)
  figures = evaluate_run(str(tmp_path), iwae_samples=1, log=lambda *_: None,
                         sample_temperatures=(0.5,))["pen_lifts"]
  tempered = figures.pop("pen_lift_rate_samples_by_temperature")
  assert list(tempered) == ["0.5"] and 0.0 <= tempered["0.5"] <= 1.0
  test = result.splits.eval_array("test")
  lifted = test["x"][..., -1][test["mask"] > 0]
  assert figures["pen_lift_rate_data"] == pytest.approx(lifted.mean(), rel=1e-4)
  for name, value in figures.items():
    assert value is None or 0.0 <= value <= 1.0, name


def test_sample_lift_rate_at_a_temperature_uses_the_tempered_draw():
  model = tiny_vrnn(output="pen_gaussian", num_components=1)
  cold = sample_lift_rate(model, num_samples=6, length=T, seed=2, temperature=0.3)
  out = model.sample(6, tf.constant([2, 0], tf.int32), length=T, temperature=0.3)
  assert cold == pytest.approx(float((out["samples"].numpy()[..., -1] > 0.5).mean()))
  same = model.sample(6, tf.constant([2, 0], tf.int32), length=T, temperature=1.0)
  default = model.sample(6, tf.constant([2, 0], tf.int32), length=T)
  np.testing.assert_array_equal(same["samples"].numpy(), default["samples"].numpy())
