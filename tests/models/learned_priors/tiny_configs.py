"""Tiny configs of CP-VAE and the learned-prior baselines of Lavda et al."""
from tests.tiny_datasets import MNIST, TOY

_GATED = dict(latent_dim=3, hidden_sizes=(8,), likelihood="bernoulli", min_scale=1e-4)
_PSEUDO = dict(pseudo_inputs_mean=0.05, pseudo_inputs_stddev=0.01,
               pseudo_inputs_range=(0.0, 1.0))

TINY = {
    "cp_vae": (dict(name="cp_vae", num_categories=2, latent_dim=2, hidden_sizes=(8,),
                    likelihood="gaussian", temperature=0.5, generation_prior="aggregated",
                    prior_init_stddev=1.0, min_scale=1e-4, warm_up_categorical_kl=True),
               TOY),
    "gated_vae": (dict(_GATED, name="gated_vae"), MNIST),
    "mog_prior_vae": (dict(_GATED, name="mog_prior_vae", num_components=3,
                           prior_init_stddev=1.0), MNIST),
    "vamp_prior_vae": (dict(_GATED, **_PSEUDO, name="vamp_prior_vae", num_pseudo_inputs=3),
                       MNIST),
    "hvae": (dict(_GATED, name="hvae", top_latent_dim=2), MNIST),
    "hvae_vamp_prior": (dict(_GATED, **_PSEUDO, name="hvae_vamp_prior", top_latent_dim=2,
                             num_pseudo_inputs=3), MNIST),
}
