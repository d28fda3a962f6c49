"""The budget column of a suite table says when a run stopped early and which epoch was
evaluated."""
from tfvae.benchmarks.report import _budget  # pylint: disable=protected-access


def test_budget_names_early_stop_and_evaluated_epoch():
  row = {"overrides": {}, "epochs": 1000, "epochs_done": 786,
         "test": {"checkpoint_epoch": 736}}
  assert _budget(row) == "1000 epochs, early stop at 786, best epoch 736 evaluated"
  row = {"overrides": {}, "epochs": 20, "epochs_done": 20, "test": {"checkpoint_epoch": 20}}
  assert _budget(row) == "20 epochs"
