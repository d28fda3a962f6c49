"""Suites are data files beside the configs (``configs/suites/``), shipped in the wheel.

``data/suites_before_move.json`` is every suite as ``tfvae/benchmarks/suites.py`` defined
it before the suites moved (``git show fa8a854:tfvae/benchmarks/suites.py``, written once
with ``dataclasses.asdict``), with that module's ``SPEED_TARGETS`` and the 40 % FLOP/s
target that ``report.py`` printed.
"""
import dataclasses
import glob
import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import REPO_ROOT
from tfvae.benchmarks import suites
from tfvae.benchmarks.run_entry import apply_overrides
from tfvae.config_files import load_config_file

BEFORE = os.path.join(os.path.dirname(__file__), "data", "suites_before_move.json")
NEW_FIELDS = ("speed_target", "flops_target")  # were SPEED_TARGETS and report.py's 40 %
NEW_SUITES = ("vrnn_report", "strokes_long")  # added after the move
NEW_ENTRIES = {"lavda_table1_paper": ("cp_c10_ref_prior",)}  # appended after the move


def _before():
  with open(BEFORE) as f:
    return json.load(f)


def test_the_suite_files_define_what_the_old_module_did():
  before = _before()
  assert suites.suite_names() == sorted(set(before["suites"]) | set(NEW_SUITES))
  for name, old_entries in before["suites"].items():
    entries = [e for e in suites.get_suite(name) if e.name not in NEW_ENTRIES.get(name, ())]
    assert [e.name for e in entries] == [e["name"] for e in old_entries], name
    for entry, old in zip(entries, old_entries):
      new = json.loads(json.dumps(dataclasses.asdict(entry)))
      speed_target, flops_target = (new.pop(k) for k in NEW_FIELDS)
      assert new == old, (name, entry.name)
      assert speed_target == (before["speed_targets"].get(entry.name, 0)
                              if name == "quick" else 0), (name, entry.name)
      assert flops_target == (before["flops_target"] if entry.flops_batch else 0)


@pytest.mark.parametrize("suite", suites.suite_names())
def test_checkout_and_shipped_configs_resolve_to_the_same_values(suite):
  for entry in suites.get_suite(suite):
    checkout = suites.entry_config_file(entry, REPO_ROOT)
    shipped = suites.entry_config_file(entry, None)  # no checkout: tfvae.configs
    assert checkout == os.path.join(REPO_ROOT, entry.config)
    assert os.path.basename(shipped) == os.path.basename(entry.config)
    assert (apply_overrides(load_config_file(checkout), entry.overrides).to_dict()
            == apply_overrides(load_config_file(shipped), entry.overrides).to_dict())


def _write(path, text):
  path.write_text(text)
  return str(path)


def test_a_suite_file_by_path_and_its_checks(tmp_path):
  path = _write(tmp_path / "nightly.py", (
      "def get_suite():\n"
      "  return [dict(name='a', config='configs/vae_binarized_mnist.py',\n"
      "               overrides={'train.epochs': 1}, report_terms=['kl']),\n"
      "          dict(name='b', config='vae_binarized_mnist', paired_with='a')]\n"))
  assert suites.suite_name(path) == "nightly" and suites.suite_name("quick") == "quick"
  a, b = suites.get_suite(path)
  assert a.report_terms == ("kl",) and a.eval_spaced and b.paired_with == "a"
  assert suites.find_entry(path, "b") == b
  shipped = suites.entry_config_file(b, str(tmp_path))  # not under tmp_path: shipped
  assert load_config_file(shipped).model.name == "gaussian_vae"
  with pytest.raises(FileNotFoundError, match="'nope.py' is neither a file under"):
    suites.entry_config_file(suites.Entry("x", "nope.py"), str(tmp_path))
  bad = {"typo": ("dict(name='a', config='c.py', iwae_sample=5)",
                  r"entry 'a': unknown fields \['iwae_sample'\]; an entry has"),
         "missing": ("dict(name='a')", r"entry 'a': missing \['config'\]"),
         "twice": ("dict(name='a', config='c.py'), dict(name='a', config='d.py')",
                   r"entry names used twice: \['a'\]"),
         "overrides": ("dict(name='a', config='c.py', overrides=[1])",
                       "overrides must be a dict")}
  for name, (entries, message) in bad.items():
    path = _write(tmp_path / f"{name}.py", f"def get_suite():\n  return [{entries}]\n")
    with pytest.raises(ValueError, match=message):
      suites.get_suite(path)
  with pytest.raises(ValueError, match="defines no get_suite"):
    suites.get_suite(_write(tmp_path / "empty.py", "X = 1\n"))
  with pytest.raises(ValueError, match="suite file not found"):
    suites.get_suite(str(tmp_path / "gone.py"))


def test_collect_only_without_a_checkout_writes_beside_the_runs(tmp_path):
  from tfvae.benchmarks.run_suite import run_suite  # pylint: disable=g-import-not-at-top
  row = {"entry": "gauss_L1", "config": "configs/gauss_vae_mnist_t1a.py",
         "overrides": {}, "epochs": 20, "batch_size": 100,
         "test": {"elbo": -97.5, "nll": 97.0, "nll_stderr": 0.3, "iwae_samples": 1,
                  "examples": 10000}}
  workdir = tmp_path / "runs" / "table1a"
  workdir.mkdir(parents=True)
  (workdir / "gauss_L1.json").write_text(json.dumps(row))
  result = run_suite("table1a", None, str(workdir), None, "", collect_only=True,
                     output_dir=str(tmp_path / "runs"), log=lambda *a: None)
  assert result["json_path"] == "suite_table1a.json"
  assert json.loads((tmp_path / "runs" / "suite_table1a.json").read_text())["entries"]
  text = (tmp_path / "runs" / "benchmarks.md").read_text()
  assert "tfvae-benchmark:table1a:begin" in text and "| gauss_L1 |" in text
  assert "Raw figures: `suite_table1a.json`." in text
  with pytest.raises(ValueError, match="pass docs_dir"):
    run_suite("table1a", None, str(workdir), None, "", collect_only=True)


def _cli(args, cwd, env=None, timeout=600):
  proc = subprocess.run([sys.executable, "-m", "tfvae.cli.benchmark"] + args, cwd=cwd,
                        env=env, capture_output=True, text=True, timeout=timeout,
                        check=False)
  assert proc.returncode == 0, proc.stdout + proc.stderr
  return proc.stdout


def test_the_cli_regenerates_a_checkouts_docs_and_else_writes_to_the_workdir(tmp_path):
  """--collect_only as used on the real runs: in a checkout (docs/benchmarks.md there)
  the suite's docs are regenerated; in another folder the workdir gets them."""
  checkout, runs = tmp_path / "checkout", tmp_path / "runs"
  (checkout / "docs").mkdir(parents=True)
  (checkout / "docs" / "benchmarks.md").write_text("# Benchmarks\n\n## Hand-written\n")
  row = {"entry": "gauss_L1", "config": "configs/gauss_vae_mnist_t1a.py", "overrides": {},
         "epochs": 20, "batch_size": 100,
         "test": {"elbo": -97.5, "nll": 97.0, "nll_stderr": 0.3, "iwae_samples": 1,
                  "examples": 10000}}
  (runs / "table1a").mkdir(parents=True)
  (runs / "table1a" / "gauss_L1.json").write_text(json.dumps(row))
  args = ["--suite=table1a", "--collect_only", "--entries=gauss_L1,cat_t08_L1",
          f"--workdir={runs}"]
  _cli(args + [f"--repo_root={checkout}"], cwd=tmp_path)
  suite_json = json.loads((checkout / "docs" / "benchmarks" / "suite_table1a.json")
                          .read_text())
  assert suite_json["json_path"] == "docs/benchmarks/suite_table1a.json"
  assert [r["entry"] for r in suite_json["entries"]] == ["gauss_L1"]
  docs = (checkout / "docs" / "benchmarks.md").read_text()
  assert "| gauss_L1 |" in docs and "## Hand-written" in docs
  assert not (runs / "benchmarks.md").exists()
  elsewhere = tmp_path / "elsewhere"
  elsewhere.mkdir()
  out = _cli(args, cwd=elsewhere)  # --repo_root defaults to this folder: no checkout
  assert f"go to {runs}" in out and "use the shipped configs" in out
  assert "| gauss_L1 |" in (runs / "benchmarks.md").read_text()
  assert (runs / "suite_table1a.json").exists() and not (elsewhere / "docs").exists()


def _wheel(tmp_path):
  """The package built as a wheel from a copy of the sources, unpacked."""
  source = tmp_path / "source"
  ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
  for folder in ("tfvae", "configs"):
    shutil.copytree(os.path.join(REPO_ROOT, folder), source / folder, ignore=ignore)
  for name in ("setup.py", "README.md"):
    shutil.copy(os.path.join(REPO_ROOT, name), source / name)
  subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                  "--no-build-isolation", "-w", str(tmp_path / "dist"), str(source)],
                 check=True, capture_output=True, timeout=300)
  wheel, = glob.glob(str(tmp_path / "dist" / "tfvae-*.whl"))
  with zipfile.ZipFile(wheel) as z:
    names = set(z.namelist())
    z.extractall(tmp_path / "site")
  return names, str(tmp_path / "site")


def test_a_suite_runs_from_the_wheel_without_a_checkout(tmp_path):
  names, site = _wheel(tmp_path)
  shipped = {f"tfvae/configs/suites/{n}.py" for n in suites.suite_names()}
  assert shipped <= names and "tfvae/configs/suites/__init__.py" in names
  env = dict(os.environ, PYTHONPATH=site)
  where = subprocess.run(
      [sys.executable, "-c",
       "import tfvae; from tfvae import config_files as c; "
       "print(tfvae.__file__); print(c.shipped_suite_path('quick')); "
       "print(c.shipped_config_path('vae_binarized_mnist'))"],
      cwd=tmp_path, env=env, capture_output=True, text=True, check=True, timeout=120)
  assert all(line.startswith(site) for line in where.stdout.split()), where.stdout
  # A suite of one's own: a tiny model of a shipped config, named as the suites name it.
  suite = _write(tmp_path / "tiny.py", (
      "def get_suite():\n"
      "  return [dict(name='vae', config='configs/vae_binarized_mnist.py',\n"
      "               overrides={'model.latent_dim': 4, 'model.hidden_sizes': (32,),\n"
      "                          'train.epochs': 2, 'train.steps_per_epoch': 5,\n"
      "                          'train.jit_compile': False,\n"
      "                          'train.steps_per_execution': 1,\n"
      "                          'train.sample_every': 0, 'train.validation_every': 2,\n"
      "                          'train.verbose': 0, 'export.enabled': False},\n"
      "               iwae_samples=5, eval_examples=100, speed_steps=0)]\n"))
  elsewhere = tmp_path / "elsewhere"
  elsewhere.mkdir()
  out = _cli([f"--suite={suite}", "--workdir=runs"], cwd=elsewhere, env=env)
  runs = elsewhere / "runs"
  assert f"go to {runs}" in out
  result = json.loads((runs / "suite_tiny.json").read_text())
  row, = result["entries"]
  assert "error" not in row, row
  assert row["test"]["examples"] == 100 and row["epochs"] == 2
  assert (runs / "tiny" / "vae" / "history.json").exists()
  text = (runs / "benchmarks.md").read_text()
  assert "tfvae-benchmark:tiny:begin" in text and "| vae | 2 x 5 steps (100) |" in text
