"""Planar K=10 with the networks of Rezende & Mohamed (2015, section 6) on the embedded
binarized MNIST: every hidden layer 400 maxout units over windows of 4 (784-400-40 shape).

Same as ``vae_planar10_binarized_mnist.py`` (ReLU) except the activation. It is the
``posteriors_maxout:vae_planar10`` entry of ``configs/suites/posteriors_maxout.py``;
docs/benchmarks.md gives its test NLL against the anchor (87.5).
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "vae_planar10_binarized_mnist")
  config.model.activation = "maxout4"
  config.export.name = "vae_planar10_maxout_binarized_mnist"
  return config
