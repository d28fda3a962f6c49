"""The shared diagonal-Gaussian helpers against TFP."""
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.distributions.gaussian import diag_gaussian_kl, normal_log_density

tfd = tfp.distributions


def test_kl_and_log_density_match_tfp():
  rng = np.random.default_rng(0)
  loc_a, loc_b, x = (rng.normal(size=(5, 3)).astype(np.float32) for _ in range(3))
  scale_a, scale_b = (rng.uniform(0.2, 2.0, (5, 3)).astype(np.float32) for _ in range(2))
  a = tfd.Independent(tfd.Normal(loc_a, scale_a), 1)
  b = tfd.Independent(tfd.Normal(loc_b, scale_b), 1)
  np.testing.assert_allclose(diag_gaussian_kl(loc_a, scale_a, loc_b, scale_b),
                             tfd.kl_divergence(a, b), rtol=1e-5)
  assert not np.allclose(diag_gaussian_kl(loc_a, scale_a, loc_b, scale_b),
                         diag_gaussian_kl(loc_b, scale_b, loc_a, scale_a))  # order matters
  np.testing.assert_allclose(normal_log_density(x, loc_a, scale_a),
                             tfd.Normal(loc_a, scale_a).log_prob(x), rtol=1e-5, atol=1e-6)
