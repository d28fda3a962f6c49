"""``posteriors_whole_test``: the finished posterior runs on the whole test split.

IWAE k = 5000 on all 10,000 test images instead of 2,000 spaced ones: the anchors are
test-set figures. Each entry copies the finished run of another suite (nothing is
trained; its overrides are that entry's, so the row's budget is the copied run's) and is
paired with the diag of the same networks, or with the run it extends.
"""
from tfvae.config_files import sibling_module

EVAL = dict(iwae_samples=5000, eval_examples=0, speed_steps=0)
# name, copied "suite:entry", paired with (an entry of this suite; "" for none)
RUNS = (
    ("relu_diag", "posteriors_full:vae_diag", ""),
    ("relu_full_cov", "posteriors_full:vae_full_cov", "relu_diag"),
    ("relu_iaf", "posteriors_full:vae_iaf", "relu_diag"),
    ("relu_planar10", "posteriors_full:vae_planar10", "relu_diag"),
    ("relu_planar80", "posteriors_full:vae_planar80", "relu_diag"),
    ("maxout_diag", "posteriors_maxout:vae_diag", ""),
    ("maxout_planar10", "posteriors_maxout:vae_planar10", "maxout_diag"),
    ("maxout_planar80", "posteriors_maxout:vae_planar80", "maxout_diag"),
    ("maxout_planar80_700", "posteriors_maxout_long:vae_planar80", "maxout_planar80"),
    ("maxout_planar80_scale003", "posteriors_maxout:vae_planar80_scale003",
     "maxout_planar80"),
    ("maxout_planar80_scale003_700", "posteriors_maxout_long:vae_planar80_scale003",
     "maxout_planar80_scale003"),
    ("maxout_planar80_trainval", "posteriors_maxout:vae_planar80_trainval",
     "maxout_planar80_scale003"),
    ("maxout_planar80_trainval_700", "posteriors_maxout_long:vae_planar80_trainval",
     "maxout_planar80_trainval"),
)


def _copied(source):
  """The entry ``suite:entry`` of the suite file beside this one."""
  suite, name = source.split(":")
  return next(e for e in sibling_module(__file__, suite).get_suite() if e["name"] == name)


def get_suite():
  entries = []
  for name, source, paired in RUNS:
    copied = _copied(source)
    entries.append(dict(name=name, config=copied["config"], overrides=copied["overrides"],
                        continue_from=source, paired_with=paired,
                        report_terms=("kl",) if paired else (), **EVAL))
  return entries
