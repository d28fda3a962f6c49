"""Tiny configs of the coarse-grained exponential-family VAEs of Sun & Zhang."""
from tests.tiny_datasets import MNIST

_MULTISAMPLE = dict(latent_dim=3, network="mlp", hidden_sizes=(8,), activation="relu",
                    likelihood="bernoulli", num_latent_samples=1)

TINY = {
    "cg_bpef_vae": (dict(_MULTISAMPLE, name="cg_bpef_vae", order=3, grid_points=11,
                         temperature=1.0, learn_prior=True), MNIST),
    "cat_vae": (dict(_MULTISAMPLE, name="cat_vae", num_categories=3, temperature=1.0),
                MNIST),
    "gauss_vae_baseline": (dict(_MULTISAMPLE, name="gauss_vae_baseline"), MNIST),
}
