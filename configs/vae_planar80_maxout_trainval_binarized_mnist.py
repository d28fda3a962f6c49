"""Maxout planar K=80 (``vae_planar80_maxout_binarized_mnist``) trained on train + valid.

``dataset.train_on_valid=True`` as in ``vae_planar10_trainval_binarized_mnist``: 60k
training images, the budget fixed at 500 epochs (no model selection on the validation
split); the test split is never seen. It is the ``posteriors_maxout:vae_planar80_trainval``
entry of ``configs/suites/posteriors_maxout.py``; docs/benchmarks.md gives its test NLL
against the anchor (85.1), also continued to 700 epochs.
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "vae_planar80_maxout_binarized_mnist")
  config.dataset.train_on_valid = True
  config.export.name = "vae_planar80_maxout_trainval_binarized_mnist"
  return config
