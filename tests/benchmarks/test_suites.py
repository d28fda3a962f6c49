"""Suite definitions, overrides, the markdown block and one end-to-end entry."""
import dataclasses
import json
import os

import numpy as np
import pytest

from tests.conftest import REPO_ROOT, tiny_vae_config
from tfvae.benchmarks import report, suites
from tfvae.benchmarks.run_entry import apply_overrides, epochs_done, run_entry
from tfvae.config_files import load_config_file


@pytest.mark.parametrize("suite", suites.suite_names())
def test_every_entry_config_exists_and_overrides_hit_real_keys(suite):
  names = [e.name for e in suites.get_suite(suite)]
  assert len(names) == len(set(names))
  for entry in suites.get_suite(suite):
    if entry.paired_with:  # an entry of this suite, or "suite:entry" of another one
      other_suite, _, other = entry.paired_with.rpartition(":")
      assert other in [e.name for e in suites.get_suite(other_suite or suite)]
    if entry.continue_from:
      source_suite, source = entry.continue_from.split(":")
      assert source in [e.name for e in suites.get_suite(source_suite)]
    assert os.path.exists(os.path.join(REPO_ROOT, entry.config))  # a config of configs/
    config = load_config_file(suites.entry_config_file(entry, REPO_ROOT))
    apply_overrides(config, entry.overrides, "/data")  # raises on a typo
    assert entry.iwae_samples >= 1 and entry.eval_examples >= 0


def test_overrides_expand_shared_and_reject_unknown_keys():
  config = tiny_vae_config()
  out = apply_overrides(config, {"dataset.name": "{shared}/x", "train.epochs": 7}, "/s")
  assert out.dataset.name == "/s/x" and out.train.epochs == 7
  assert config.train.epochs == 2  # the original is untouched
  with pytest.raises(KeyError, match="no key 'epochz'"):
    apply_overrides(config, {"train.epochz": 1})
  with pytest.raises(KeyError, match="no section 'trian'"):
    apply_overrides(config, {"trian.epochs": 1})


def test_unknown_suite_and_entry_are_named():
  with pytest.raises(ValueError, match="known: \\['full', 'lavda_table1', "
                     "'lavda_table1_paper', 'posteriors', "
                     "'posteriors_full', 'posteriors_long', 'posteriors_maxout', "
                     "'posteriors_maxout_long', 'posteriors_whole_test', 'precision', "
                     "'quick', 'sequences', 'strokes_long', 'table1a', 'vrnn_report'\\]"):
    suites.get_suite("nightly")
  with pytest.raises(ValueError, match="no entry 'nope'"):
    suites.find_entry("quick", "nope")


def _result(elbo):
  row = {"entry": "vae_diag", "config": "c.py", "overrides": {"train.steps_per_epoch": 5},
         "epochs": 3, "batch_size": 100, "train_examples_per_sec": 1000.0,
         "compile_seconds": 2.0, "peak_rss_mb": 900.0,
         "test": {"elbo": elbo, "nll": 90.0, "nll_stderr": 0.5, "iwae_samples": 10,
                  "examples": 100},
         "speed": {"ratio": 1.5, "config_examples_per_sec": 30000.0,
                   "baseline_examples_per_sec": 20000.0},
         "speed_target": 22000}
  return {"suite": "quick", "command": "tfvae-benchmark --suite=quick", "date": "d",
          "machine": {"cpus": 2, "platform": "p"},
          "versions": {"tensorflow": "t", "keras": "k", "tfp": "f"}, "wall_seconds": 60.0,
          "load_average_start": [1.0], "load_average_end": [1.0], "json_path": "x.json",
          "entries": [row, {"entry": "broken", "config": "b.py", "error": "exit 1: boom"}]}


def test_markdown_block_is_replaced_and_the_rest_kept(tmp_path):
  path = str(tmp_path / "benchmarks.md")
  with open(path, "w") as f:
    f.write("# Benchmarks\n\nIntro.\n\n## Section\n\nHand-written.\n")
  report.update_markdown(path, "quick", report.render(_result(-95.0)))
  report.update_markdown(path, "quick", report.render(_result(-94.5)))
  text = open(path).read()
  assert text.count("tfvae-benchmark:quick:begin") == 1
  assert "-94.50" in text and "-95.00" not in text
  assert "Hand-written." in text and text.index("Intro.") < text.index(":quick:begin")
  assert text.index(":quick:end") < text.index("## Section")
  assert "30,000 ex/s against the target 22,000: **met**" in text
  assert "**failed**: exit 1: boom" in text
  untargeted = _result(-95.0)
  del untargeted["entries"][0]["speed_target"]
  assert "against the target" not in report.render(untargeted)  # no target, no note


def test_first_epoch_overhead_uses_the_neighbouring_epochs():
  from tfvae.benchmarks.run_entry import first_epoch_overhead  # pylint: disable=g-import-not-at-top
  # 2 s of compilation on a 6.5 s epoch, then the load doubles the epoch time for the
  # rest of the run: the overhead is still about 2 s, not first - median(all) < 0.
  seconds = [8.5, 6.4, 6.5, 6.6] + [13.0] * 500
  assert first_epoch_overhead(seconds) == pytest.approx(2.0)
  assert first_epoch_overhead([3.0, 1.0]) == pytest.approx(2.0)
  assert first_epoch_overhead([3.0]) is None


def test_run_entry_trains_evaluates_and_times(tmp_path):
  config_file = tmp_path / "tiny.py"
  config_file.write_text(
      "from tests.conftest import tiny_vae_config\n"
      "def get_config():\n  return tiny_vae_config()\n")
  entry = suites.Entry("tiny", "tiny.py", {"train.epochs": 3, "train.steps_per_epoch": 5,
                                           "train.sample_every": 0,
                                           "export.enabled": False},
                       iwae_samples=20, eval_examples=200, eval_spaced=True,
                       speed_steps=5, flops_batch=20)
  out = run_entry(entry, str(tmp_path / "run"), str(tmp_path))
  per_example = out.pop("per_example")  # write_json stores it beside the JSON
  json.dumps(out)  # the rest is JSON-ready
  assert len(out["epoch_seconds"]) == 3 and out["train_examples_per_sec"] > 0
  test = out["test"]
  assert test["examples"] == 200 and test["iwae_samples"] == 20
  assert test["subset"] == "spaced" and per_example.shape == (200,)
  assert test["nll"] == pytest.approx(-per_example.mean())
  # IWAE bound ordering: L_20 >= L_1 (the ELBO), up to Monte Carlo error.
  assert test["nll"] <= -test["elbo"] + 3 * test["nll_stderr"]
  speed = out["speed"]
  assert speed["ratio"] == pytest.approx(
      speed["config_examples_per_sec"] / speed["baseline_examples_per_sec"])
  assert out["peak_rss_mb"] > 100
  flops = out["flops"]  # the 784-32-(2x4) VAE's matmuls, forward and backward
  forward = 784 * 32 + 32 * 8 + 4 * 32 + 32 * 784
  assert flops["batch_size"] == 20
  assert flops["flops_per_example"] == 2 * (3 * forward - 784 * 32)
  assert flops["gflops"] == pytest.approx(flops["examples_per_sec"]
                                          * flops["flops_per_example"] / 1e9)


def test_collect_only_gathers_entry_jsons_without_running(tmp_path):
  from tfvae.benchmarks.run_suite import run_suite  # pylint: disable=g-import-not-at-top
  row = _result(-97.5)["entries"][0]
  row.update(entry="gauss_L1", config="configs/gauss_vae_mnist_t1a.py")
  workdir, docs = tmp_path / "runs", tmp_path / "docs"
  workdir.mkdir()
  (workdir / "gauss_L1.json").write_text(json.dumps(row))
  result = run_suite("table1a", REPO_ROOT, str(workdir), str(docs), "/data",
                     entries=["gauss_L1", "cat_t08_L1"], collect_only=True,
                     log=lambda *a: None)
  assert [r["entry"] for r in result["entries"]] == ["gauss_L1"]
  text = (docs / "benchmarks.md").read_text()
  assert "| gauss_L1 |" in text and "-97.50" in text and "cat_t08_L1" not in text.split(
      "| entry |")[1]


def test_cluster_accuracy_is_rendered_for_category_models():
  result = _result(-95.0)
  result["entries"][0]["test"]["cluster_accuracy"] = {
      "majority_accuracy": 0.6152, "hungarian_accuracy": 0.574, "used_clusters": 10}
  text = report.render(result)
  assert ("cluster accuracy 61.5 % (majority vote) / 57.4 % (Hungarian), 10 clusters used"
          in text)
  assert "cluster accuracy" not in report.render(_result(-95.0))


def test_paired_differences_are_added_for_entries_that_name_a_baseline(tmp_path):
  from tfvae.benchmarks.run_suite import add_paired_differences  # pylint: disable=g-import-not-at-top
  from tfvae.evaluation.paired_difference import per_example_path  # pylint: disable=g-import-not-at-top
  rng = np.random.default_rng(0)
  base = rng.normal(-100.0, 10.0, 400)
  values = {"base": base, "flow": base + 1.5 + rng.normal(0.0, 0.5, 400), "lone": base}
  rows = []
  for name, v in values.items():
    rows.append({"entry": name, "test": {"split": "test", "subset": "spaced",
                                         "examples": 400, "nll": float(-v.mean())}})
    if name != "lone":
      np.save(per_example_path(str(tmp_path / f"{name}.json")), v)
  entries = [suites.Entry("base", "c.py"), suites.Entry("flow", "c.py", paired_with="base"),
             suites.Entry("lone", "c.py", paired_with="base")]
  add_paired_differences(rows, entries, str(tmp_path), log=lambda *a: None)
  paired = rows[1]["paired"]
  assert paired["baseline"] == "base"
  assert paired["difference"] == pytest.approx(np.mean(values["flow"] - base))
  assert abs(paired["difference"] - 1.5) < 3 * paired["stderr"]
  assert paired["stderr"] < 0.1 < paired["stderr_unpaired"]  # pairing removes difficulty
  assert "paired" not in rows[0] and "paired" not in rows[2]  # no baseline / no values
  text = report.render(dict(_result(-95.0), entries=[
      dict(_result(-95.0)["entries"][0], entry=r["entry"], paired=r.get("paired"))
      for r in rows]))
  assert f"log-likelihood vs base {paired['difference']:+.2f} ± {paired['stderr']:.2f}" in text


def test_a_baseline_of_another_suite_is_read_from_that_suites_folder(tmp_path):
  from tfvae.benchmarks.run_suite import add_paired_differences  # pylint: disable=g-import-not-at-top
  from tfvae.evaluation.paired_difference import per_example_path  # pylint: disable=g-import-not-at-top
  base = np.linspace(-120.0, -80.0, 60)
  test = {"split": "test", "subset": "spaced", "examples": 60}
  for suite, name, values in (("short", "flow", base), ("long", "flow", base + 0.5)):
    (tmp_path / suite).mkdir()
    path = tmp_path / suite / f"{name}.json"
    path.write_text(json.dumps({"entry": name, "test": dict(test, nll=-values.mean())}))
    np.save(per_example_path(str(path)), values)
  rows = [{"entry": "flow", "test": dict(test, nll=float(-(base + 0.5).mean()))}]
  add_paired_differences(rows, [suites.Entry("flow", "c.py", paired_with="short:flow")],
                         str(tmp_path / "long"), log=lambda *a: None)
  assert rows[0]["paired"]["baseline"] == "short:flow"
  assert rows[0]["paired"]["difference"] == pytest.approx(0.5)
  rows[0].pop("paired")
  messages = []
  add_paired_differences(rows, [suites.Entry("flow", "c.py", paired_with="gone:flow")],
                         str(tmp_path / "long"), log=messages.append)
  assert "paired" not in rows[0]  # no such run folder: no difference, no crash
  assert "no baseline run" in messages[0] and "gone" in messages[0]


def test_a_baseline_whose_run_folder_is_gone_pairs_from_the_committed_lists(tmp_path):
  from tfvae.benchmarks.run_suite import add_paired_differences  # pylint: disable=g-import-not-at-top
  from tfvae.evaluation.paired_difference import per_example_path  # pylint: disable=g-import-not-at-top
  base = np.linspace(-120.0, -80.0, 50)
  test = {"split": "test", "subset": "all", "examples": 50}
  rows = [{"entry": "base", "test": dict(test, nll=float(-base.mean()))},
          {"entry": "flow", "test": dict(test, nll=float(-(base + 2.0).mean()))}]
  np.save(per_example_path(str(tmp_path / "flow.json")), base + 2.0)  # base.npy is gone
  entries = [suites.Entry("base", "c.py"), suites.Entry("flow", "c.py", paired_with="base")]
  messages = []
  add_paired_differences(rows, entries, str(tmp_path), log=messages.append)
  assert "paired" not in rows[1] and "no per-example values" in messages[0]
  add_paired_differences(rows, entries, str(tmp_path), log=messages.append,
                         kept={"base": [float(v) for v in base]})
  assert rows[1]["paired"]["difference"] == pytest.approx(2.0)


def test_paired_difference_refuses_different_example_subsets(tmp_path):
  from tfvae.benchmarks.run_suite import add_paired_differences  # pylint: disable=g-import-not-at-top
  from tfvae.evaluation.paired_difference import per_example_path  # pylint: disable=g-import-not-at-top
  rows = [{"entry": name, "test": {"split": "test", "subset": subset, "examples": 3,
                                   "nll": 100.0}}
          for name, subset in (("base", "spaced"), ("flow", "first"))]
  for name in ("base", "flow"):
    np.save(per_example_path(str(tmp_path / f"{name}.json")), np.array([-99.0, -100, -101]))
  messages = []
  add_paired_differences(rows, [suites.Entry("flow", "c.py", paired_with="base")],
                         str(tmp_path), log=messages.append)
  assert "paired" not in rows[1] and "differ in 'subset'" in messages[0]


def test_a_partial_rerun_pairs_with_the_baseline_kept_from_the_last_run(tmp_path):
  from tfvae.benchmarks.run_suite import run_suite  # pylint: disable=g-import-not-at-top
  from tfvae.evaluation.paired_difference import per_example_path  # pylint: disable=g-import-not-at-top
  workdir, docs = tmp_path / "runs", tmp_path / "docs"
  workdir.mkdir()
  base = np.linspace(-120.0, -80.0, 50)
  for name, values in (("vae_diag", base), ("vae_iaf", base + 2.0)):
    row = dict(_result(-95.0)["entries"][0], entry=name)
    row["test"] = dict(row["test"], split="test", subset="spaced", examples=50,
                       nll=float(-values.mean()))
    (workdir / f"{name}.json").write_text(json.dumps(row))
    np.save(per_example_path(str(workdir / f"{name}.json")), values)
  run_suite("posteriors", REPO_ROOT, str(workdir), str(docs), "/data",
            entries=["vae_diag", "vae_iaf"], collect_only=True, log=lambda *a: None)
  result = run_suite("posteriors", REPO_ROOT, str(workdir), str(docs), "/data",
                     entries=["vae_iaf"], collect_only=True, log=lambda *a: None)
  rows = {r["entry"]: r for r in result["entries"]}
  assert set(rows) == {"vae_diag", "vae_iaf"}
  assert rows["vae_iaf"]["paired"]["difference"] == pytest.approx(2.0)
  assert "log-likelihood vs vae_diag +2.00 ± 0.00" in (docs / "benchmarks.md").read_text()


def _logs(epochs):
  """history.json logs of ``epochs`` epochs, validated every 10th."""
  return {"elbo": [0.0] * epochs, "val_elbo": [0.0] * (epochs // 10)}


def test_epochs_done_counts_from_where_each_run_resumed():
  assert epochs_done([{"initial_epoch": 0, "logs": _logs(10)},
                      {"initial_epoch": 10, "logs": _logs(5)}]) == 15
  # The first run was killed before it wrote its logs; the resumed one started at 218.
  assert epochs_done([{"initial_epoch": 218, "logs": _logs(282)}]) == 500
  assert epochs_done([]) == 0


def test_a_continued_entry_equals_the_run_trained_from_scratch(tmp_path):
  """``continue_from`` copies a finished entry and resumes it; with a schedule that agrees
  on the epochs already done, that is the same run as training the longer budget anew."""
  (tmp_path / "tiny.py").write_text(
      "from tests.conftest import tiny_vae_config\n"
      "def get_config():\n"
      "  return tiny_vae_config(epochs=4, steps_per_epoch=5, sample_every=0,\n"
      "      validation_every=2, lr_schedule=dict(kind='exponential', start=1e-3,\n"
      "      end=1e-4, begin=2, duration=2, unit='epoch'))\n")
  run = lambda entry, folder: run_entry(  # pylint: disable=g-long-lambda
      entry, str(tmp_path / folder / entry.name), str(tmp_path))
  evaluation = dict(iwae_samples=5, eval_examples=100, eval_spaced=False, speed_steps=0)
  longer = {"train.epochs": 6, "export.enabled": False,
            "train.lr_schedule.end": 1e-5, "train.lr_schedule.duration": 4}
  short = suites.Entry("tiny", "tiny.py", {"export.enabled": False}, **evaluation)
  scratch = suites.Entry("tiny", "tiny.py", longer, **evaluation)
  continued = suites.Entry("tiny", "tiny.py", longer, continue_from="short:tiny",
                           **evaluation)
  with pytest.raises(FileNotFoundError, match="run that entry first"):
    run(continued, "long")
  start_eval = run(short, "short")["per_example"]  # the first 100 test images
  (tmp_path / "long" / "tiny.partial").mkdir(parents=True)  # a stale interrupted copy
  out = run(continued, "long")
  assert not (tmp_path / "long" / "tiny.partial").exists()
  resumed_again = run_entry(continued, str(tmp_path / "long" / "tiny"), str(tmp_path),
                            fresh=False)  # nothing left to train; the record is kept
  assert resumed_again["continued_from"] == out["continued_from"]
  assert resumed_again["epoch_seconds"] == []
  reference = run(scratch, "scratch")
  assert out["continued_from"]["epochs"] == 4 and "continued_from" not in reference
  assert len(out["epoch_seconds"]) == 2 and len(reference["epoch_seconds"]) == 6
  np.testing.assert_allclose(out["per_example"], reference["per_example"], rtol=1e-5)
  # The continued workdir holds the history of both runs; its source is left as it was.
  start = json.loads((tmp_path / "short" / "tiny" / "history.json").read_text())
  resumed = json.loads((tmp_path / "long" / "tiny" / "history.json").read_text())
  assert [len(r["logs"]["elbo"]) for r in resumed] == [4, 2] and len(start) == 1
  out.pop("per_example")
  text = report.render(dict(_result(-95.0), entries=[dict(out, batch_size=50)]))
  assert "| tiny | 6 epochs, continued from short:tiny at epoch 4 (50) |" in text
  # The same budget as the copied run: nothing is trained, the run is only evaluated.
  again = run(dataclasses.replace(short, continue_from="short:tiny",
                                  eval_examples=0), "whole")
  assert again["epoch_seconds"] == [] and again["train_examples_per_sec"] is None
  assert again["test"]["examples"] == 10000
  # IWAE draws follow the batches, so only the same first batches compare draw for draw.
  np.testing.assert_allclose(again["per_example"][:100], start_eval, rtol=1e-5)
  again.pop("per_example")
  text = report.render(dict(_result(-95.0), entries=[dict(again, batch_size=50)]))
  assert "| tiny | 4 epochs of short:tiny, evaluated here (50) |" in text
  from tfvae.benchmarks.run_suite import entry_summary  # pylint: disable=g-import-not-at-top
  assert entry_summary(again, 12.0).endswith(", not trained here")
  assert ", train " in entry_summary(out, 12.0)


def test_overrides_may_set_a_defaulted_train_setting_but_not_a_typo():
  config = load_config_file(os.path.join(REPO_ROOT, "configs", "vrnn_sheep.py"))
  assert "early_stopping_start" not in config.train
  out = apply_overrides(config, {"train.early_stopping_start": 10})
  assert out.train.early_stopping_start == 10
  with pytest.raises(KeyError, match="no key 'early_stoping_start'"):
    apply_overrides(config, {"train.early_stoping_start": 10})
  with pytest.raises(KeyError, match="no key 'max_len'"):
    apply_overrides(config, {"dataset.max_len": 10})


def test_a_stroke_entry_reports_its_pen_lifts(tmp_path):
  """Pen-output entries carry tfvae-evaluate's pen-lift figures (precision, recall, lift
  rates of the data and of prior samples) in their JSON."""
  config_file = tmp_path / "tiny_strokes.py"
  config_file.write_text(
      "from tests.families import family_config\n"
      "def get_config():\n  return family_config('vrnn')\n")
  entry = suites.Entry("strokes", "tiny_strokes.py",
                       {"train.steps_per_epoch": 2, "export.enabled": False},
                       iwae_samples=2, eval_examples=30, speed_steps=0)
  out = run_entry(entry, str(tmp_path / "run"), str(tmp_path))
  pen = out["test"]["pen_lifts"]
  assert 0.0 < pen["pen_lift_rate_data"] < 0.5  # sheep: about 9 % of the steps
  assert 0.0 <= pen["pen_lift_rate_samples"] <= 1.0
  assert 0.0 <= pen["pen_lift_recall"] <= 1.0
