"""VAE with a VampPrior of K = 2 pseudo-inputs on the 1-D toy data of the CP-VAE paper
(sec. 5.1): the "VP" baseline of figure 3 with the number of components known.
``--config.model.num_pseudo_inputs=150``: unknown. The pseudo-inputs start at
N(0.5, 0.2^2), inside the data's range, and are clipped to [0, 1].

``cp_vae_c2_toy`` (data, 2 latents, 2 x 32 gated units, Gaussian likelihood, the
small-budget recipe; see its docstring) with the VampPrior in place of the CP-VAE's prior.

  tfvae-train --config=configs/vp_c2_toy.py --workdir=runs/vp_c2_toy
  tfvae-evaluate --workdir=runs/vp_c2_toy --toy_1d   # figure 3 + JSON
"""
import ml_collections

from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "cp_vae_c2_toy")
  config.model = ml_collections.ConfigDict(dict(
      name="vamp_prior_vae", num_pseudo_inputs=2, latent_dim=2, hidden_sizes=(32, 32),
      likelihood="gaussian", pseudo_inputs_mean=0.5, pseudo_inputs_stddev=0.2,
      pseudo_inputs_range=(0.0, 1.0), min_scale=1e-4))
  config.export.name = "vp_c2_toy"
  return config
