"""Gaussian VAE on your own images: an ``.npz`` (``dataset.path``) or a TFDS name.

    tfvae-train --config=configs/vae_user_data.py --workdir=runs/mine \
        --config.dataset.path=my_images.npz
    tfvae-train --config=configs/vae_user_data.py --workdir=runs/fashion \
        --config.dataset.name=tfds --config.dataset.tfds_name=fashion_mnist

The ``.npz`` holds ``train`` and ``test`` (optional ``valid``, else the last
``num_valid`` training examples) of uint8 0..255 or float 0..1 pixels, one example per
row (``tfvae/data/user_arrays.py``). Grey levels are binarized afresh every epoch for the
Bernoulli decoder; data of only 0 and 1 is used as it is. Otherwise the settings of
``vae_binarized_mnist.py`` with a 50-epoch budget.
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "vae_binarized_mnist")
  config.dataset = dict(name="npz", path="", num_valid=10000, image_shape=(),
                        binarize="dynamic", tfds_name="", image_key="image",
                        label_key="label")
  config.train.epochs = 50
  config.train.lr_schedule = {}
  config.export.name = "vae_user_data"
  return config
