"""Two-level hierarchical VAE (z1, z2 of 40 latents each; standard normal p(z2)) on
dynamically binarized MNIST: the "HVAE" row of the CP-VAE paper's table 1 (-ELBO 86.7).
Layout of Tomczak & Welling's HVAE_2level with gated units.

Architecture of the CP-VAE paper (Lavda et al. 2020, sec. 5) shared by every model of
table 1: 40 + 40 latents, encoder and decoder MLPs with two hidden layers of 300 gated units
(Dauphin et al. 2017), Glorot initialisation, Adam 5e-4, batch 100, KL warm-up linear from
0 to 1 over 100 epochs, early stopping on the validation ELBO.
Data: grayscale MNIST (50k/10k/10k) dynamically binarized every epoch. Offline, point the
loader at IDX files:  --config.dataset.idx_dir=/path/to/mnist  (else TFDS downloads it).

  tfvae-train --config=configs/hvae_mnist.py --workdir=runs/hvae_mnist \
      --config.dataset.idx_dir=../shared/data/mnist
"""
import ml_collections

from tfvae.config_files import base_config


def get_config():
  # Data, training, warm-up and evaluation as the gated VAE; only the model differs.
  config = base_config(__file__, "vae_gated_mnist")
  config.model = ml_collections.ConfigDict(dict(
      name="hvae", latent_dim=40, top_latent_dim=40, hidden_sizes=(300, 300),
      likelihood="bernoulli", min_scale=1e-4))
  config.export.name = "hvae_mnist"
  return config
