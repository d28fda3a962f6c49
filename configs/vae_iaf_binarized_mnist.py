"""Gaussian VAE 784-400-40 with an IAF posterior on the embedded binarized MNIST.
Flows paper section 4.5 (eq. 30-33); Kingma et al. 2016: the encoder outputs mu, sigma
and a context h (40 units) fed into every MADE; 4 gated IAF steps (MADE 320-320, ELU)
with the variable order reversed between steps; Monte Carlo KL; the same beta
warm-up as the planar configs (0.01 -> 1 over 20 epochs = 10^4 updates). Network,
optimiser, learning-rate schedule and budget derive from ``vae_binarized_mnist.py``.
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "vae_planar10_binarized_mnist")
  config.model.posterior = "iaf"
  config.model.posterior_kwargs = dict(num_steps=4, context_size=40, hidden_sizes=(320, 320),
                                       activation="elu", gate_bias=1.0)
  config.export.name = "vae_iaf_binarized_mnist"
  return config
