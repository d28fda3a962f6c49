"""Gaussian VAE 784-400-40 with KL warm-up, trained on train + valid (60k images).

``vae_warmup_binarized_mnist`` with ``dataset.train_on_valid=True``: the usual protocol
for final test figures on the statically binarized MNIST (model selection is not done
on the validation split here: the budget is fixed at 500 epochs). The test split is
never seen in training.

  tfvae-train --config=configs/vae_trainval_binarized_mnist.py --workdir=runs/vae_trainval
  tfvae-evaluate --workdir=runs/vae_trainval --iwae_samples=5000
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "vae_warmup_binarized_mnist")
  config.dataset.train_on_valid = True
  config.export.name = "vae_trainval_binarized_mnist"
  return config
