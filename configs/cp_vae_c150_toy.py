"""CP-VAE with c = 150 categories on the 1-D toy data of the CP-VAE paper (sec. 5.1)
(number of components unknown: excess capacity, figure 4).

``cp_vae_c2_toy`` (data, networks and the small-budget recipe; see its docstring) with
150 categories.

  tfvae-train --config=configs/cp_vae_c150_toy.py --workdir=runs/cp_vae_c150_toy
  tfvae-evaluate --workdir=runs/cp_vae_c150_toy --toy_1d   # figures 3-4 + JSON
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "cp_vae_c2_toy")
  config.model.num_categories = 150
  config.export.name = "cp_vae_c150_toy"
  return config
