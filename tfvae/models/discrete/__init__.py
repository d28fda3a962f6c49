"""Discrete VAE with an RBM prior (discrete_vae_rolfe2016); importing the package registers
its families."""
from tfvae.models.discrete import discrete_vae  # noqa: F401
from tfvae.models.discrete import dvae_hierarchy  # noqa: F401
from tfvae.models.discrete import dvae_posterior  # noqa: F401
