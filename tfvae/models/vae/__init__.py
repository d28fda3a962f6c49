"""Gaussian VAE with full-covariance, planar-flow and IAF posteriors, and the LSTM
sequence-decoder VAE (vae_flows_pavesi2024); importing the package registers its
families."""
from tfvae.models.vae import gaussian_vae  # noqa: F401
from tfvae.models.vae import posteriors  # noqa: F401
from tfvae.models.vae import posteriors_flows  # noqa: F401
from tfvae.models.vae import sequence_vae  # noqa: F401
