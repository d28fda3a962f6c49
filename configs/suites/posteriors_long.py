"""``posteriors_long``: planar K=10 beyond the configs' budget.

Each entry is paired with the 500-epoch planar K=10 of ``posteriors_full`` on the same
images. Rezende & Mohamed 2015 trained for 500,000 updates of batch 100: 1,000 epochs of
the 50,000 training images, twice the configs' budget (same shape of schedule: 1e-3 for
60 % of it, then decayed to 1e-4 over epochs 600-1000). The second entry keeps 500 epochs
and trains on train + valid (60k).
"""
from tfvae.config_files import sibling_module

_FULL = sibling_module(__file__, "posteriors_full")
BUDGET = dict(_FULL.BUDGET, **{"train.epochs": 1000, "train.lr_schedule.begin": 600,
                               "train.lr_schedule.duration": 400,
                               "train.validation_every": 20})


def get_suite():
  return [dict(name=name, config=config, overrides=budget,
               paired_with="posteriors_full:vae_planar10", report_terms=("kl",),
               **_FULL.EVAL)
          for name, config, budget in (
              ("vae_planar10", "configs/vae_planar10_binarized_mnist.py", BUDGET),
              ("vae_planar10_trainval",
               "configs/vae_planar10_trainval_binarized_mnist.py", _FULL.BUDGET))]
