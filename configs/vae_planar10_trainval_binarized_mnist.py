"""Planar K=10 VAE 784-400-40 trained on train + valid (60k images).

``vae_planar10_binarized_mnist`` with ``dataset.train_on_valid=True``, as
``vae_trainval_binarized_mnist`` does for the diagonal posterior: the usual protocol for
final test figures on the statically binarized MNIST. The budget stays fixed at 500
epochs (no model selection on the validation split); the test split is never seen.

  tfvae-train --config=configs/vae_planar10_trainval_binarized_mnist.py \
      --workdir=runs/vae_planar10_trainval
  tfvae-evaluate --workdir=runs/vae_planar10_trainval --iwae_samples=5000
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "vae_planar10_binarized_mnist")
  config.dataset.train_on_valid = True
  config.export.name = "vae_planar10_trainval_binarized_mnist"
  return config
