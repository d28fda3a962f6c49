"""tfvae-evaluate's modes besides the plain likelihood: the Discrete VAE's IWAE minus log Z,
--cluster_accuracy, --toy_1d and --compare, end to end on tiny trained workdirs, and the
flags a mode would ignore refused."""
import importlib.util
import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.conftest import REPO_ROOT

DVAE_KEYS = {"log_likelihood", "nll", "stderr", "stderr_examples", "elbo", "elbo_stderr",
             "log_z", "log_z_stderr", "log_z_method", "iwae_samples", "examples",
             "seconds", "workdir", "epoch", "split"}


def _evaluate(*args):
  env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
  return subprocess.run([sys.executable, os.path.join(REPO_ROOT, "bin", "evaluate.py"),
                         *args], capture_output=True, text=True, env=env, cwd=REPO_ROOT,
                        timeout=600)


def _config(name):
  spec = importlib.util.spec_from_file_location(
      name, os.path.join(REPO_ROOT, "configs", f"{name}.py"))
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return module.get_config()


def _train(config, workdir):
  from tfvae.training.trainer import train  # pylint: disable=g-import-not-at-top
  config.train.update(epochs=1, jit_compile=False, steps_per_execution=1, sample_every=0,
                      verbose=0)
  config.export.enabled = False
  keras.backend.clear_session()
  return train(config, workdir, log=lambda *_: None).model


def _chunk_size(workdir):
  with open(os.path.join(workdir, "config.json")) as f:
    return int(json.load(f)["eval"]["chunk_size"])


@pytest.fixture(scope="module")
def dvae_run(tmp_path_factory):
  """A Discrete VAE with a 4 + 4 RBM after 2 steps (exact log Z is cheap to check)."""
  config = _config("dvae_binarized_mnist")
  config.model.update(rbm_sides=(4, 4), rbm_chains=20, rbm_gibbs_steps=2,
                      posterior_groups=2, posterior_hidden=(16,), continuous_layers=2,
                      continuous_dim=4, continuous_posterior_hidden=(16,), prior_hidden=(8,),
                      sample_gibbs_steps=5, figure_gibbs_steps=2)
  config.train.update(steps_per_epoch=2, batch_size=20, eval_batch_size=5000)
  workdir = str(tmp_path_factory.mktemp("dvae") / "run")
  return workdir, _train(config, workdir)


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory):
  """CP-VAE with c = 2 on the 1-D toy after 5 steps (labelled, 1-D)."""
  config = _config("cp_vae_c2_toy")
  config.dataset.update(num_train=2000, num_valid=500, num_test=500)
  config.train.update(steps_per_epoch=5, eval_batch_size=500)
  workdir = str(tmp_path_factory.mktemp("toy") / "run")
  _train(config, workdir)
  return workdir


def test_a_discrete_vae_is_evaluated_as_iwae_minus_log_z(dvae_run):
  """The old ``python -m tfvae.evaluation.dvae_likelihood`` output, file and keys, with the
  log Z settings of config.eval.log_z overridden by flags; the same numbers as the
  library on the same evenly spaced examples."""
  from tfvae.distributions.rbm_partition import exact_log_partition  # pylint: disable=g-import-not-at-top
  from tfvae.evaluation.dvae_likelihood import dvae_log_likelihood  # pylint: disable=g-import-not-at-top
  from tfvae.evaluation.run_evaluation import spaced_indices  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import restore_for_inference  # pylint: disable=g-import-not-at-top
  workdir, _ = dvae_run
  out = _evaluate(f"--workdir={workdir}", "--max_examples=12", "--iwae_samples=3",
                  "--batch_size=5", "--log_z_chains=20", "--log_z_temperatures=50")
  assert out.returncode == 0, out.stderr[-3000:]
  path = os.path.join(workdir, "dvae_ll_test.json")
  assert f"wrote {path}" in out.stdout and "log-likelihood (IWAE k=3 - log Z)" in out.stdout
  assert not os.path.exists(os.path.join(workdir, "eval_test.json"))
  with open(path) as f:
    result = json.load(f)
  assert set(result) == DVAE_KEYS
  assert result["examples"] == 12 and result["iwae_samples"] == 3
  assert result["log_z_method"] == "ais" and result["log_z_stderr"] > 0
  per_example = np.load(path + ".per_example.npy")
  assert per_example.shape == (12,)
  assert result["log_likelihood"] == pytest.approx(per_example.mean())

  keras.backend.clear_session()
  _, splits, model, _ = restore_for_inference(workdir)
  exact = float(exact_log_partition(model.rbm.w.numpy(), model.rbm.b_left.numpy(),
                                    model.rbm.b_right.numpy()).numpy())
  assert abs(result["log_z"] - exact) < 5 * result["log_z_stderr"] + 0.05
  data = splits.eval_array("test")
  data = data[spaced_indices(len(data), 12)]
  again = dvae_log_likelihood(model, tf.data.Dataset.from_tensor_slices(data).batch(5), 3,
                              _chunk_size(workdir), seed=0, log=None,
                              log_z={"method": "ais", "num_chains": 20,
                                     "num_temperatures": 50})
  np.testing.assert_allclose(again["per_example"], per_example, rtol=1e-5)
  assert again["log_z"] == pytest.approx(result["log_z"])


def test_discrete_vae_flags_that_do_not_fit_are_usage_errors(dvae_run, toy_run):
  workdir, _ = dvae_run
  out = _evaluate(f"--workdir={workdir}", "--log_z_method=exact", "--log_z_chains=5")
  assert out.returncode != 0 and "'exact' takes no num_chains" in out.stderr
  out = _evaluate(f"--workdir={workdir}", "--max_examples=10", "--subset=first")
  assert out.returncode != 0 and "evenly spaced examples only" in out.stderr
  out = _evaluate(f"--workdir={workdir}", "--sample_temperatures=0.5")
  assert out.returncode != 0
  assert "--sample_temperatures does not apply to a Discrete VAE" in out.stderr
  out = _evaluate(f"--workdir={toy_run}", "--log_z_method=ais")
  assert out.returncode != 0
  assert "--log_z_method does not apply to model 'cp_vae'" in out.stderr
  assert not os.path.exists(os.path.join(toy_run, "eval_test.json"))


def test_cluster_accuracy_mode_writes_the_old_json(toy_run, tmp_path):
  output = str(tmp_path / "clusters.json")
  out = _evaluate(f"--workdir={toy_run}", "--cluster_accuracy", f"--output={output}")
  assert out.returncode == 0, out.stderr[-3000:]
  assert f"wrote {output}" in out.stdout
  with open(output) as f:
    result = json.load(f)
  assert result["model"] == "cp_vae" and result["epoch"] == 1
  assert (result["fit_split"], result["eval_split"]) == ("valid", "test")
  assert len(result["aggregated_posterior"]) == 2
  raw = result["per_example"]
  assert len(raw["test_clusters"]) == len(raw["test_labels"]) == 500
  mapping = np.asarray(raw["mappings"]["majority"])
  assert np.mean(mapping[raw["test_clusters"]] == raw["test_labels"]) == pytest.approx(
      result["majority_accuracy"])
  assert "category_grid" not in result  # 1-D data: no image grid
  assert not os.path.exists(os.path.join(toy_run, "eval_test.json"))  # no likelihood run


def test_toy_1d_mode_writes_the_report_and_stacks_the_figure(toy_run, tmp_path):
  figure = str(tmp_path / "figure3.png")
  out = _evaluate(f"--workdir={toy_run},{toy_run}", "--toy_1d", "--toy_samples=2000",
                  f"--toy_figure={figure}")
  assert out.returncode == 0, out.stderr[-3000:]
  with open(os.path.join(toy_run, "toy", "toy_report.json")) as f:
    report = json.load(f)
  assert {"generated", "generated_uniform_c", "effective_categories", "files", "workdir",
          "epoch"} <= set(report)
  assert sorted(os.path.basename(p) for p in report["files"]) == [
      "toy_excess_capacity.png", "toy_histogram.png"]
  image = tf.io.decode_png(tf.io.read_file(figure)).numpy()
  assert image.shape[0] == 2 * 120 + 4  # the two workdirs' histograms, stacked


def test_mode_flags_that_would_be_ignored_are_refused(tmp_path):
  """Refused before TensorFlow loads, so these cost a process start each, no workdir."""
  for args, message in [
      (["--workdir=w", "--cluster_accuracy", "--iwae_samples=5"],
       "--iwae_samples does not apply to --cluster_accuracy"),
      (["--workdir=w", "--toy_1d", "--output=x.json"], "--output does not apply to --toy_1d"),
      (["--workdir=w", "--category_grid=g.png"], "--category_grid does not apply to the "
       "likelihood"),
      (["--workdir=w", "--cluster_accuracy", "--toy_1d"], "separate runs"),
      (["--workdir=w", "--relaxed_c=0.5", "--cluster_accuracy"], "separate runs"),
      (["--workdir=w", "--relaxed_c=0.5", "--iwae_samples=5"],
       "--iwae_samples does not apply to --relaxed_c"),
      (["--workdir=w", "--cluster_accuracy", "--sample_temperatures=0.5"],
       "--sample_temperatures does not apply to --cluster_accuracy"),
      (["--workdir=w", "--sample_temperatures=0.5,0"], "must be numbers > 0"),
      ([], "--workdir is required"),
  ]:
    out = _evaluate(*args)
    assert out.returncode != 0 and message in out.stderr, (args, out.stderr[-2000:])


def _write(path, values, **summary):
  from tfvae.evaluation.run_evaluation import write_json  # pylint: disable=g-import-not-at-top
  summary = dict({"split": "test", "subset": "spaced", "examples": len(values),
                  "iwae_log_likelihood": float(np.mean(values)), "prepared": {},
                  "per_example": np.asarray(values)}, **summary)
  return write_json(summary, path)


def test_compare_gives_the_paired_difference_of_two_jsons(tmp_path):
  a = _write(str(tmp_path / "a.json"), [-90.0, -100.0, -110.0, -95.0])
  b = _write(str(tmp_path / "b.json"), [-91.0, -100.5, -111.5, -95.0],
             prepared={"log_z_stderr": 0.1})
  output = str(tmp_path / "diff.json")
  out = _evaluate(f"--compare={a},{b}", f"--output={output}")
  assert out.returncode == 0, out.stderr[-3000:]
  assert "log-likelihood a - b = +0.750" in out.stdout
  with open(output) as f:
    result = json.load(f)
  assert result["difference"] == pytest.approx(0.75) and result["examples"] == 4
  assert result["stderr"] > result["stderr_examples"]  # b's log Z error enters
  assert (result["a"], result["b"]) == (a, b)

  out = _evaluate(f"--compare={a},{b}", "--iwae_samples=5")
  assert out.returncode != 0 and "--iwae_samples does not apply to --compare" in out.stderr
  out = _evaluate(f"--compare={a}")
  assert out.returncode != 0 and "two JSON paths" in out.stderr
  c = _write(str(tmp_path / "c.json"), [-91.0, -100.5, -111.5, -95.0], subset="first")
  out = _evaluate(f"--compare={a},{c}")
  assert out.returncode != 0 and "differ in 'subset'" in out.stderr
