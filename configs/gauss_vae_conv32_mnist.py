"""Gauss-VAE with the appendix-E conv nets (1024-iconv-128-30-128-oconv-1024), MNIST 32x32.

Sun & Zhang 2017, table 1b (Gauss-VAE, L = 1).
Data: the embedded statically binarized MNIST zero-padded to 32x32 (50k/10k/10k),
with the appendix-E convolutional nets (SVHN itself: dataset.name="svhn" with
dataset.binarize="dynamic", needs a TFDS download).
Budget of the paper: 10,000 Adam iterations of batch 100 (= 20 epochs of the 50,000
training images), learning rate 1e-3, Xavier initialisation.
L = 10 (table 1b, lower half): --config.model.num_latent_samples=10 --config.model.latent_dim=10

  tfvae-train --config=configs/gauss_vae_conv32_mnist.py --workdir=runs/gauss_vae_conv32_mnist
  tfvae-evaluate --workdir=runs/gauss_vae_conv32_mnist --iwae_samples=100
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "gauss_vae_mnist_t1a")
  del config.model["hidden_sizes"]
  config.model.network = "conv32"
  config.model.latent_dim = 30
  config.dataset.name = "binarized_mnist_32"
  # XLA is slower for these convolutions on CPU (docs/benchmarks.md).
  config.train.jit_compile = False
  config.export.name = "gauss_vae_conv32_mnist"
  return config
