"""``posteriors_maxout_long``: planar K=80 with maxout, continued past 500 epochs.

The three K=80 runs of ``posteriors_maxout`` resumed from their 500-epoch workdirs
(``continue_from``): the learning rate keeps decaying at the same rate, 1e-3 -> 1e-5 over
epochs 300-700. For epochs 0-500 that schedule equals the configs' 1e-3 -> 1e-4 over
300-500, so copying the 500-epoch workdir and resuming is the same run as training this
entry from scratch. Each is paired with the run it continues.
"""
from tfvae.config_files import sibling_module

_MAXOUT = sibling_module(__file__, "posteriors_maxout")
_FULL = sibling_module(__file__, "posteriors_full")
BUDGET = dict(_MAXOUT.BUDGET, **{"train.epochs": 700, "train.lr_schedule.end": 1e-5,
                                 "train.lr_schedule.duration": 400})
LONG_SCHEDULE = {k: v for k, v in BUDGET.items() if k.startswith("train.")}
SCALE003_BUDGET = dict(_MAXOUT.SCALE003_BUDGET, **LONG_SCHEDULE)
# The train + valid config names maxout and the head scale itself: only the schedule here.
TRAINVAL_BUDGET = dict(_FULL.BUDGET, **LONG_SCHEDULE)


def get_suite():
  return [dict(name=name, config=config, overrides=budget,
               paired_with=f"posteriors_maxout:{name}",
               continue_from=f"posteriors_maxout:{name}", report_terms=("kl",),
               **dict(_MAXOUT.EVAL, speed_steps=0))
          for name, config, budget in (
              ("vae_planar80", "configs/vae_planar80_binarized_mnist.py", BUDGET),
              ("vae_planar80_scale003", "configs/vae_planar80_binarized_mnist.py",
               SCALE003_BUDGET),
              ("vae_planar80_trainval",
               "configs/vae_planar80_maxout_trainval_binarized_mnist.py",
               TRAINVAL_BUDGET))]
