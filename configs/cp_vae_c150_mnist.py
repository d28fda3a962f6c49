"""CP-VAE with c = 150 categories on dynamically binarized MNIST
(the paper's table 1: -ELBO 86.84).

``cp_vae_c10_mnist`` (architecture, data, warm-up and training; see its docstring) with
150 categories.

  tfvae-train --config=configs/cp_vae_c150_mnist.py --workdir=runs/cp_vae_c150_mnist \
      --config.dataset.idx_dir=../shared/data/mnist
  tfvae-evaluate --workdir=runs/cp_vae_c150_mnist
  tfvae-evaluate --workdir=runs/cp_vae_c150_mnist --cluster_accuracy
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "cp_vae_c10_mnist")
  config.model.num_categories = 150
  config.export.name = "cp_vae_c150_mnist"
  return config
