"""Cat-VAE (T_min = 0.5, C = 10, d = 20) with the appendix-E conv nets, MNIST 32x32.

Sun & Zhang 2017, table 1b (Cat-VAE T = 0.5, L = 1).
Data: the embedded statically binarized MNIST zero-padded to 32x32 (50k/10k/10k),
with the appendix-E convolutional nets (SVHN itself: dataset.name="svhn" with
dataset.binarize="dynamic", needs a TFDS download).
Budget of the paper: 10,000 Adam iterations of batch 100 (= 20 epochs of the 50,000
training images), learning rate 1e-3, Xavier initialisation.
Temperature: T_max = 1 decays exponentially to T_min = 0.5 over the first half of
training (epochs 0-10), then stays at T_min (sec. 3.3).
L = 10 (table 1b, lower half): --config.model.num_latent_samples=10 --config.model.num_categories=15

  tfvae-train --config=configs/cat_vae_t05_conv32_mnist.py --workdir=runs/cat_vae_t05_conv32_mnist
  tfvae-evaluate --workdir=runs/cat_vae_t05_conv32_mnist --iwae_samples=100
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "cat_vae_t05_mnist")
  del config.model["hidden_sizes"]
  config.model.network = "conv32"
  config.model.num_categories = 10
  config.dataset.name = "binarized_mnist_32"
  # XLA is slower for these convolutions on CPU (docs/benchmarks.md).
  config.train.jit_compile = False
  config.export.name = "cat_vae_t05_conv32_mnist"
  return config
