"""Planar K=80 with the networks of Rezende & Mohamed (2015, section 6) on the embedded
binarized MNIST: every hidden layer 400 maxout units over windows of 4 (784-400-40 shape),
amortised flow parameters with the head scaled by 0.03.

Same as ``vae_planar80_binarized_mnist.py`` (ReLU, head scale 0.1) except those two
settings. It is the ``posteriors_maxout:vae_planar80_scale003`` entry of
``configs/suites/posteriors_maxout.py``; docs/benchmarks.md gives its test NLL and the
80-epoch pilot that chose the scale.
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "vae_planar80_binarized_mnist")
  config.model.activation = "maxout4"
  config.model.posterior_kwargs = dict(num_flows=80, amortized=True, parameter_scale=0.03)
  config.export.name = "vae_planar80_maxout_binarized_mnist"
  return config
