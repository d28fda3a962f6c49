"""Gated VAE (standard normal prior) on the 1-D toy data of the CP-VAE paper (sec. 5.1):
the "VAE" baseline of figure 3.

``cp_vae_c2_toy`` (data, 2 latents, 2 x 32 gated units, Gaussian likelihood, the
small-budget recipe; see its docstring) with the CP-VAE's categorical latent removed.

  tfvae-train --config=configs/vae_gated_toy.py --workdir=runs/vae_gated_toy
  tfvae-evaluate --workdir=runs/vae_gated_toy --toy_1d   # figure 3 + JSON
"""
import ml_collections

from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "cp_vae_c2_toy")
  config.model = ml_collections.ConfigDict(dict(
      name="gated_vae", latent_dim=2, hidden_sizes=(32, 32), likelihood="gaussian",
      min_scale=1e-4))
  config.export.name = "vae_gated_toy"
  return config
