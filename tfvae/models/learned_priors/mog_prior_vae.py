"""VAE with a learned mixture-of-Gaussians prior (the "MG" baseline of Lavda et al. 2020).

    p(z) = 1/K sum_k N(z | mu_k, diag sigma_k^2)       (equal weights, mu and sigma learned)

The KL has no closed form: one Monte Carlo sample, log q(z|x) - log p(z), with log p(z) by
log-sum-exp over the K components. Generation draws k uniformly, then z ~ N(mu_k, sigma_k^2).
Cluster probabilities are the responsibilities p(k | z) at the posterior mean.
"""
from typing import Sequence

from tfvae.distributions.conditional_prior import ConditionalGaussianPrior
from tfvae.models.learned_priors.prior_vae import PriorVAE
from tfvae.registry import MODELS


@MODELS.register("mog_prior_vae")
class MoGPriorVAE(PriorVAE):
  """Gated VAE whose prior is an equally weighted mixture of K learned diagonal Gaussians."""

  analytic_kl = False

  def __init__(self, input_size: int, num_components: int = 10, latent_dim: int = 40,
               hidden_sizes: Sequence[int] = (300, 300), likelihood: str = "bernoulli",
               prior_init_stddev: float = 1.0, min_scale: float = 1e-4, seed: int = 0,
               **kwargs):
    super().__init__(input_size=input_size, latent_dim=latent_dim, hidden_sizes=hidden_sizes,
                     likelihood=likelihood, min_scale=min_scale, seed=seed, **kwargs)
    self.num_categories = int(num_components)
    self.prior = ConditionalGaussianPrior(self.num_categories, self.latent_dim,
                                          init_loc_stddev=prior_init_stddev,
                                          min_scale=min_scale, seed=self.seed, name="prior")

  def prior_log_prob(self, z):
    return self.prior.log_prob(z)

  def sample_prior_component(self, categories, seed):
    return self.prior.sample(categories, seed)

  def category_probs(self, x):
    """p(k | z = E_q[z|x]): the component responsibilities, ``[batch, K]``."""
    return self.prior.responsibilities(self.posterior_mean(x))
