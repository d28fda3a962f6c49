"""Gaussian VAE 784-400-40 with K=10 amortised planar flows on the embedded binarized MNIST.
Flows paper section 4.4 (eq. 26-29); Rezende & Mohamed 2015: flow parameters predicted
by the encoder per data point, Monte Carlo KL, annealed free energy
beta_t = min(1, 0.01 + t/10000) over the first 10^4 updates; here linear 0.01 -> 1 over
20 epochs (= 10^4 updates of batch 100), assigned at each epoch start. Network,
optimiser, learning-rate schedule and budget derive from ``vae_binarized_mnist.py``.

``parameter_scale=0.1`` multiplies the amortized (u, w, b): their head has 324k weights,
each moved by about the learning rate per Adam step. Train ELBO after 19 epochs: -105.6
at scale 1, -102.6 at 0.1 (docs/benchmarks.md).
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "vae_binarized_mnist")
  config.model.posterior = "planar"
  config.model.posterior_kwargs = dict(num_flows=10, amortized=True, parameter_scale=0.1)
  config.train.schedules = {"kl_weight": dict(kind="linear", start=0.01, end=1.0,
                                              duration=20, unit="epoch")}
  config.export.name = "vae_planar10_binarized_mnist"
  return config
