"""Cat-VAE (T_min = 0.8, C = 10, d = 20) 784-400-400-20-400-400-784 on binarized MNIST.

Sun & Zhang 2017, table 1a (Cat-VAE T = 0.8, L = 1).
Data: the embedded statically binarized MNIST (Larochelle & Murray 2011; 50k/10k/10k).
Budget of the paper: 10,000 Adam iterations of batch 100 (= 20 epochs of the 50,000
training images), learning rate 1e-3, Xavier initialisation.
Temperature: T_max = 1 decays exponentially to T_min = 0.8 over the first half of
training (epochs 0-10), then stays at T_min (sec. 3.3).
L = 10 (table 1a, lower half): --config.model.num_latent_samples=10 --config.model.num_categories=20

  tfvae-train --config=configs/cat_vae_t08_mnist.py --workdir=runs/cat_vae_t08_mnist
  tfvae-evaluate --workdir=runs/cat_vae_t08_mnist --iwae_samples=100
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "cat_vae_t05_mnist")
  config.model.num_categories = 10
  config.train.schedules.temperature.end = 0.8
  config.export.name = "cat_vae_t08_mnist"
  return config
