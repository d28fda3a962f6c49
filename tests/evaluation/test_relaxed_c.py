"""``evaluate_relaxed_c`` on a trained workdir: every estimator on every test example,
paired with the hard-c bound on the same z."""
import numpy as np
import pytest


def test_a_tiny_cp_vae_is_scored_both_ways(tmp_path):
  from tests.families import family_config  # pylint: disable=g-import-not-at-top
  from tfvae.evaluation.relaxed_c import evaluate_relaxed_c  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import train  # pylint: disable=g-import-not-at-top
  config = family_config("cp_vae")
  config.export.enabled = False
  result = train(config, str(tmp_path), log=lambda *_: None)
  out = evaluate_relaxed_c(str(tmp_path), [0.5, 2.0], batch_size=7, log=lambda *_: None)
  examples = len(result.splits.split("test"))
  hard = np.asarray(out["hard"]["per_example"])
  assert hard.shape == (examples,) and out["hard"]["minus_hard"] == 0.0
  for name in ("relaxed_0.5", "relaxed_2"):
    values = np.asarray(out[name]["per_example"])
    assert values.shape == (examples,)
    assert out[name]["minus_hard"] == pytest.approx((values - hard).mean(), abs=1e-4)
    assert not np.allclose(values, hard)


def test_a_model_without_categories_is_refused(tmp_path):
  from tests.families import family_config  # pylint: disable=g-import-not-at-top
  from tfvae.evaluation.relaxed_c import evaluate_relaxed_c  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import train  # pylint: disable=g-import-not-at-top
  config = family_config("gaussian_vae_diag")
  config.export.enabled = False
  train(config, str(tmp_path), log=lambda *_: None)
  with pytest.raises(ValueError, match="not a CP-VAE"):
    evaluate_relaxed_c(str(tmp_path), [0.5], log=lambda *_: None)
