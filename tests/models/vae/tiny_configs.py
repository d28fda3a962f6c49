"""Tiny configs of the Gaussian VAE (one per posterior) and the LSTM sequence VAE."""
from tests.tiny_datasets import ARCHITECTURES, MNIST

_VAE = dict(name="gaussian_vae", latent_dim=3, hidden_sizes=(8,), activation="relu",
            likelihood="bernoulli")

TINY = {
    "gaussian_vae_diag": (dict(_VAE, posterior="diag", posterior_kwargs={}), MNIST),
    "gaussian_vae_full_cov": (dict(_VAE, posterior="full_cov", posterior_kwargs={}), MNIST),
    "gaussian_vae_planar": (dict(_VAE, posterior="planar",
                                 posterior_kwargs=dict(num_flows=2, amortized=True)), MNIST),
    "gaussian_vae_iaf": (dict(_VAE, posterior="iaf",
                              posterior_kwargs=dict(num_steps=2, context_size=3,
                                                    hidden_sizes=(8,), activation="elu",
                                                    gate_bias=1.0)), MNIST),
    "sequence_vae": (dict(name="sequence_vae", latent_dim=3, encoder_units=8,
                          encoder_hidden_sizes=(), decoder_hidden_sizes=(8,), decoder_units=8,
                          activation="relu", feature_likelihood="sigmoid", feature_stddev=0.1,
                          posterior="diag", posterior_kwargs={}, unroll=False),
                     ARCHITECTURES),
}
