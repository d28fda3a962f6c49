"""CG-BPEF-VAE (T_min = 0.8, M = 5, R = 101, d = 30) 784-400-400-30-400-400-784, binarized MNIST.

Sun & Zhang 2017, table 1a (CG-BPEF-VAE T = 0.8, L = 1).
Data: the embedded statically binarized MNIST (Larochelle & Murray 2011; 50k/10k/10k).
Budget of the paper: 10,000 Adam iterations of batch 100 (= 20 epochs of the 50,000
training images), learning rate 1e-3, Xavier initialisation.
Temperature: T_max = 1 decays exponentially to T_min = 0.8 over the first half of
training (epochs 0-10), then stays at T_min (sec. 3.3).
L = 10 (table 1a, lower half): --config.model.num_latent_samples=10 --config.model.latent_dim=40

  tfvae-train --config=configs/cg_bpef_t08_mnist.py --workdir=runs/cg_bpef_t08_mnist
  tfvae-evaluate --workdir=runs/cg_bpef_t08_mnist --iwae_samples=100
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "cg_bpef_t05_mnist")
  config.model.latent_dim = 30
  config.train.schedules.temperature.end = 0.8
  config.export.name = "cg_bpef_t08_mnist"
  return config
