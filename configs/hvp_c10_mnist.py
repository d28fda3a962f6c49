"""Two-level hierarchical VAE with a VampPrior of K = 10 pseudo-inputs on z2 (HVP) on
dynamically binarized MNIST: the CP-VAE paper's table 1 (-ELBO 85.90; 85.09 / 85.01 with
K = 150 / 500: --config.model.num_pseudo_inputs=500).

Architecture of the CP-VAE paper (Lavda et al. 2020, sec. 5) shared by every model of
table 1: 40 + 40 latents, encoder and decoder MLPs with two hidden layers of 300 gated units
(Dauphin et al. 2017), Glorot initialisation, Adam 5e-4, batch 100, KL warm-up linear from
0 to 1 over 100 epochs, early stopping on the validation ELBO.
Data: grayscale MNIST (50k/10k/10k) dynamically binarized every epoch. Offline, point the
loader at IDX files:  --config.dataset.idx_dir=/path/to/mnist  (else TFDS downloads it).

  tfvae-train --config=configs/hvp_c10_mnist.py --workdir=runs/hvp_c10_mnist \
      --config.dataset.idx_dir=../shared/data/mnist
"""
import ml_collections

from tfvae.config_files import base_config


def get_config():
  # Data, training, warm-up and evaluation as the gated VAE; only the model differs.
  config = base_config(__file__, "vae_gated_mnist")
  config.model = ml_collections.ConfigDict(dict(
      name="hvae_vamp_prior", latent_dim=40, top_latent_dim=40, hidden_sizes=(300, 300),
      likelihood="bernoulli", num_pseudo_inputs=10, pseudo_inputs_mean=0.05,
      pseudo_inputs_stddev=0.01, pseudo_inputs_range=(0.0, 1.0), min_scale=1e-4))
  config.export.name = "hvp_c10_mnist"
  return config
