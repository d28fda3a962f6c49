"""CP-VAE and the learned-prior baselines: MoG prior, VampPrior, HVAE, HVAE + VampPrior
(cp_vae_lavda2020); importing the package registers its families."""
from tfvae.models.learned_priors import prior_vae  # noqa: F401
from tfvae.models.learned_priors import cp_vae  # noqa: F401
from tfvae.models.learned_priors import mog_prior_vae  # noqa: F401
from tfvae.models.learned_priors import vamp_prior  # noqa: F401
from tfvae.models.learned_priors import hvae  # noqa: F401
