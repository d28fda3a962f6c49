"""VAE with a learned mixture-of-Gaussians prior (K = 10 equally weighted components) on
dynamically binarized MNIST: the "MG" row of the CP-VAE paper's table 1 (-ELBO 89.43;
88.96 / 88.85 with K = 150 / 500: --config.model.num_components=150).

Architecture of the CP-VAE paper (Lavda et al. 2020, sec. 5) shared by every model of
table 1: 40 latents, encoder and decoder MLPs with two hidden layers of 300 gated units
(Dauphin et al. 2017), Glorot initialisation, Adam 5e-4, batch 100, KL warm-up linear from
0 to 1 over 100 epochs, early stopping on the validation ELBO.
Data: grayscale MNIST (50k/10k/10k) dynamically binarized every epoch. Offline, point the
loader at IDX files:  --config.dataset.idx_dir=/path/to/mnist  (else TFDS downloads it).

  tfvae-train --config=configs/mg_c10_mnist.py --workdir=runs/mg_c10_mnist \
      --config.dataset.idx_dir=../shared/data/mnist
"""
import ml_collections

from tfvae.config_files import base_config


def get_config():
  # Data, training, warm-up and evaluation as the gated VAE; only the model differs.
  config = base_config(__file__, "vae_gated_mnist")
  config.model = ml_collections.ConfigDict(dict(
      name="mog_prior_vae", num_components=10, latent_dim=40, hidden_sizes=(300, 300),
      likelihood="bernoulli", prior_init_stddev=1.0, min_scale=1e-4))
  config.export.name = "mg_c10_mnist"
  return config
