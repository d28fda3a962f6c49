"""CP-VAE with c = 500 categories on dynamically binarized MNIST
(the paper's table 1: -ELBO 88.63).

``cp_vae_c10_mnist`` (architecture, data, warm-up and training; see its docstring) with
500 categories.

  tfvae-train --config=configs/cp_vae_c500_mnist.py --workdir=runs/cp_vae_c500_mnist \
      --config.dataset.idx_dir=../shared/data/mnist
  tfvae-evaluate --workdir=runs/cp_vae_c500_mnist
  tfvae-evaluate --workdir=runs/cp_vae_c500_mnist --cluster_accuracy
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "cp_vae_c10_mnist")
  config.model.num_categories = 500
  config.export.name = "cp_vae_c500_mnist"
  return config
