"""VAE with a learned mixture-of-Gaussians prior (K = 2 equally weighted components) on
the 1-D toy data of the CP-VAE paper (sec. 5.1): the "MG" baseline of figure 3 with the
number of components known. ``--config.model.num_components=150``: unknown.

``cp_vae_c2_toy`` (data, 2 latents, 2 x 32 gated units, Gaussian likelihood, the
small-budget recipe; see its docstring) with the mixture prior in place of the CP-VAE's.

  tfvae-train --config=configs/mg_c2_toy.py --workdir=runs/mg_c2_toy
  tfvae-evaluate --workdir=runs/mg_c2_toy --toy_1d   # figure 3 + JSON
"""
import ml_collections

from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "cp_vae_c2_toy")
  config.model = ml_collections.ConfigDict(dict(
      name="mog_prior_vae", num_components=2, latent_dim=2, hidden_sizes=(32, 32),
      likelihood="gaussian", prior_init_stddev=1.0, min_scale=1e-4))
  config.export.name = "mg_c2_toy"
  return config
