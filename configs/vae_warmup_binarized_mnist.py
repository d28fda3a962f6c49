"""Gaussian VAE 784-400-40 with a linear KL warm-up (beta 0 -> 1 over 100 epochs).

Same model, data and 500-epoch budget as ``vae_binarized_mnist``; the only change is the
deterministic warm-up of Sonderby et al. 2016 (flows paper sec. 3.1), which keeps more
latent units active. The logged ``elbo`` is always the true bound (beta = 1).

  tfvae-train --config=configs/vae_warmup_binarized_mnist.py --workdir=runs/vae_warmup
  tfvae-evaluate --workdir=runs/vae_warmup --iwae_samples=5000
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "vae_binarized_mnist")
  config.train.schedules = dict(kl_weight=dict(kind="linear", start=0.0, end=1.0,
                                               duration=100, unit="epoch"))
  config.export.name = "vae_warmup_binarized_mnist"
  return config
