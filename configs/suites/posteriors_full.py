"""``posteriors_full``: the ``posteriors`` comparison at the configs' own 500 epochs.

The learning rate decays 1e-3 -> 1e-4 over epochs 300-500 for every family; evaluation
as in ``posteriors``.
"""
from tfvae.config_files import sibling_module

_POSTERIORS = sibling_module(__file__, "posteriors")
BUDGET = {k: v for k, v in _POSTERIORS.BUDGET.items() if k != "train.epochs"}
EVAL = _POSTERIORS.EVAL


def get_suite():
  return [dict(name="vae_diag", config="configs/vae_binarized_mnist.py", overrides=BUDGET,
               **EVAL)] + _POSTERIORS.paired_with_diag(
                   (("vae_planar10", "configs/vae_planar10_binarized_mnist.py"),
                    ("vae_full_cov", "configs/vae_fullcov_binarized_mnist.py"),
                    ("vae_iaf", "configs/vae_iaf_binarized_mnist.py"),
                    ("vae_planar80", "configs/vae_planar80_binarized_mnist.py")), BUDGET)
