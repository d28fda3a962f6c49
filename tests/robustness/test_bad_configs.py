"""Bad training configs fail at once with the key, the value and what is valid, and the
workdir is never created (or, on resume, left exactly as it was)."""
import json
import os

import ml_collections
import pytest

from tests.robustness.files import snapshot
from tests.robustness.runs import run_config
from tfvae.training.trainer import train


def _config(section, **changes):
  """``run_config()`` with ``changes`` in ``section``, built from a plain dict so that any
  type may be given (a ConfigDict would refuse to change a field's type)."""
  tree = run_config().to_dict()
  tree[section].update(changes)
  return ml_collections.ConfigDict(tree)


# (id, section, changes, exception, message pattern): the message names the key and
# the bad value and says what is valid.
BAD_CONFIGS = [
    ("unknown_dataset", "dataset", dict(name="mnistt"), KeyError,
     r"unknown dataset 'mnistt'; known datasets: .*binarized_mnist"),
    ("unknown_model", "model", dict(name="gaussian_vea"), KeyError,
     r"unknown model 'gaussian_vea'; known models: .*gaussian_vae"),
    ("unknown_model_key", "model", dict(latent_dims=3), KeyError,
     r"model 'gaussian_vae' has no setting\(s\) latent_dims \(config.model\); "
     r"valid settings: .*latent_dim,"),
    ("unknown_posterior", "model", dict(posterior="diagg"), KeyError,
     r"unknown posterior 'diagg'; known posteriors: diag"),
    ("unknown_likelihood", "model", dict(likelihood="bernouli"), ValueError,
     r"config.model.*likelihood must be one of \('bernoulli', 'gaussian'\), got 'bernouli'"),
    ("unknown_schedule_kind", "train",
     dict(schedules={"kl_weight": dict(kind="cosine", start=0.0)}), ValueError,
     r"config.train.schedules.kl_weight: unknown schedule kind 'cosine'; known kinds: "
     r"constant, linear"),
    ("schedule_without_duration", "train",
     dict(schedules={"kl_weight": dict(kind="linear", start=0.0, end=1.0)}), ValueError,
     r"config.train.schedules.kl_weight: linear schedule needs 'end' and a positive "
     r"'duration'"),
    ("negative_batch_size", "train", dict(batch_size=-5), ValueError,
     r"config.train.batch_size must be a positive integer, got -5"),
    ("string_batch_size", "train", dict(batch_size="fifty"), ValueError,
     r"config.train.batch_size must be a positive integer, got 'fifty' \(str\)"),
    ("negative_epochs", "train", dict(epochs=-1), ValueError,
     r"config.train.epochs must be a positive integer, got -1"),
    ("fractional_epochs", "train", dict(epochs=2.5), ValueError,
     r"config.train.epochs must be a positive integer, got 2.5 \(float\)"),
    ("negative_learning_rate", "train", dict(learning_rate=-0.1), ValueError,
     r"config.train.learning_rate must be a finite number > 0, got -0.1"),
    ("nan_learning_rate", "train", dict(learning_rate=float("nan")), ValueError,
     r"config.train.learning_rate must be a finite number > 0, got nan"),
    ("negative_weight_decay", "train", dict(weight_decay=-0.01), ValueError,
     r"config.train.weight_decay must be a finite number >= 0, got -0.01"),
    ("negative_steps_per_epoch", "train", dict(steps_per_epoch=-3), ValueError,
     r"config.train.steps_per_epoch must be an integer >= 0, got -3"),
    ("unknown_precision", "train", dict(precision="float8"), ValueError,
     r"config.train.precision must be one of \('float32', 'mixed_float16', "
     r"'mixed_bfloat16'\), got 'float8'"),
    ("batch_larger_than_split", "train", dict(batch_size=60000), ValueError,
     r"config.train.batch_size=60000 is larger than the training split of "
     r"'binarized_mnist' \(50000 examples\); use at most 50000"),
    ("zero_iwae_samples", "eval", dict(iwae_samples=0), ValueError,
     r"config.eval.iwae_samples must be a positive integer, got 0"),
    ("huge_learning_rate", "train", dict(learning_rate=1e300), ValueError,
     r"config.train.learning_rate must be at most 1.0 \(Adam's step size\), got 1e\+300"),
    ("seed_beyond_int32", "train", dict(seed=2**40), ValueError,
     r"config.train.seed must be at most 2\*\*31 - 1 = 2147483647 \(TF seeds are int32\), "
     r"got 1099511627776"),
    ("bad_export_name", "export", dict(name="a/b"), ValueError,
     r"config.export.name must be letters, digits, '_', '-' or '.' \(not only dots\), "
     r"got 'a/b'"),
    ("dots_export_name", "export", dict(name=".."), ValueError,
     r"config.export.name must be letters, digits"),
]


@pytest.mark.parametrize("section, changes, error, message",
                         [case[1:] for case in BAD_CONFIGS],
                         ids=[case[0] for case in BAD_CONFIGS])
def test_bad_config_fails_before_the_workdir_exists(tmp_path, section, changes, error,
                                                   message):
  workdir = tmp_path / "run"
  with pytest.raises(error, match=message):
    train(_config(section, **changes), str(workdir), log=lambda *_: None)
  assert not workdir.exists(), os.listdir(workdir)


def test_unwritable_workdir(tmp_path):
  blocker = tmp_path / "a_file"
  blocker.write_text("not a folder")
  workdir = blocker / "run"
  with pytest.raises(OSError, match=r"workdir .*a_file/run is not a writable directory "
                                    r"\(Not a directory\); pass a --workdir"):
    train(run_config(), str(workdir), log=lambda *_: None)
  assert snapshot(str(tmp_path)).keys() == {"a_file"}


def test_resume_with_another_models_config(tmp_path):
  """A workdir of one model is not resumed with another: nothing is read or written."""
  workdir = tmp_path / "run"
  workdir.mkdir()
  before_config = run_config()
  (workdir / "config.json").write_text(before_config.to_json(indent=2))
  (workdir / "checkpoints").mkdir()
  before = snapshot(str(workdir))
  other = _config("model", hidden_sizes=(16,), latent_dim=3)
  with pytest.raises(ValueError, match=(
      r"workdir .* holds a run of a different model or dataset \(model.hidden_sizes: "
      r"\[32\] in the workdir, \[16\] now; model.latent_dim: 4 in the workdir, 3 now\)\. "
      r"Resume with the same config.model and config.dataset, or use a new workdir")):
    train(other, str(workdir), log=lambda *_: None)
  assert snapshot(str(workdir)) == before
  assert json.loads((workdir / "config.json").read_text())["model"]["hidden_sizes"] == [32]


def test_empty_workdir_is_refused(tmp_path, monkeypatch):
  """``--workdir=`` would otherwise train into the current directory."""
  monkeypatch.chdir(tmp_path)
  with pytest.raises(ValueError, match=r"workdir is empty: pass a --workdir folder"):
    train(run_config(), "", log=lambda *_: None)
  assert not os.listdir(tmp_path)
