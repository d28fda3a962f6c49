"""The budget column of a suite table says when a run stopped early and which epoch was
evaluated."""
from tfvae.benchmarks.report import _budget  # pylint: disable=protected-access


def test_budget_names_early_stop_and_evaluated_epoch():
  row = {"overrides": {}, "epochs": 1000, "epochs_done": 786,
         "test": {"checkpoint_epoch": 736}}
  assert _budget(row) == "1000 epochs, early stop at 786, best epoch 736 evaluated"
  row = {"overrides": {}, "epochs": 20, "epochs_done": 20, "test": {"checkpoint_epoch": 20}}
  assert _budget(row) == "20 epochs"


def test_examples_column_names_a_prefix_or_a_spaced_subset():
  from tfvae.benchmarks.report import _subset_text  # pylint: disable=protected-access
  assert _subset_text({"examples": 1000, "subset": "first"}) == "1000 first"
  assert _subset_text({"examples": 1000, "subset": "spaced"}) == "1000 spaced"
  assert _subset_text({"examples": 10000, "subset": "all"}) == "10000"
  assert _subset_text({"examples": 10000}) == "10000"


def test_suites_evaluate_spaced_subsets_unless_told():
  from tfvae.benchmarks import suites  # pylint: disable=g-import-not-at-top
  prefixes = [(name, e.name) for name in suites.suite_names()
              for e in suites.get_suite(name) if e.eval_examples and not e.eval_spaced]
  assert not prefixes, f"entries evaluating a prefix of a sorted split: {prefixes}"
