"""Gaussian VAE 784-400-40 with K=80 amortised planar flows on the embedded binarized MNIST.

Flows paper section 4.4 (eq. 26-29); Rezende & Mohamed 2015 report NLL <= 85.1 for K=80.
Same as ``vae_planar10_binarized_mnist.py`` with 80 flows.
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "vae_planar10_binarized_mnist")
  config.model.posterior_kwargs.num_flows = 80
  config.export.name = "vae_planar80_binarized_mnist"
  return config
