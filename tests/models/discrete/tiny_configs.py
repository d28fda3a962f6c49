"""Tiny config of the Discrete VAE."""
from tests.tiny_datasets import MNIST

TINY = {
    "discrete_vae": (dict(name="discrete_vae", rbm_sides=(3, 3), rbm_couplings=True,
                          rbm_chains=8, rbm_gibbs_steps=2, rbm_rao_blackwell=True,
                          rbm_weight_scale=0.01, posterior_groups=2, posterior_hidden=(8,),
                          posterior_logit_bounds=(2.0, 3.0),
                          smoothing="spike_and_exponential", beta=2.0, beta_trainable=True,
                          beta_cap=2.0, continuous_layers=1, continuous_dim=3,
                          continuous_posterior_hidden=(8,), prior_hidden=(8,),
                          prior_sharing="none", decoder_hidden=(), likelihood="bernoulli",
                          activation="relu", norm="laplacian", sample_gibbs_steps=5,
                          figure_gibbs_steps=2, figure_chains=2, figure_group=2), MNIST),
}
