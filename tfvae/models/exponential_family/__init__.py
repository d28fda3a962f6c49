"""CG-BPEF-VAE, Cat-VAE and Gauss-VAE (cg_bpef_vae_sun_zhang2017); importing the package
registers its families."""
from tfvae.models.exponential_family import multisample_vae  # noqa: F401
from tfvae.models.exponential_family import cat_vae  # noqa: F401
from tfvae.models.exponential_family import cg_bpef_vae  # noqa: F401
from tfvae.models.exponential_family import gauss_vae_baseline  # noqa: F401
