"""Gaussian VAE 784-400-40 with a full-covariance posterior on the embedded binarized MNIST.

Flows paper section 4.3: the encoder gives mu, sigma and a strictly lower-triangular
L*; q = N(mu, L L^T), L = L* + diag(sigma) (eq. 24-25), analytic KL. Same network,
optimiser and schedule as ``vae_binarized_mnist.py`` (the diagonal baseline).
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  config.model = dict(name="gaussian_vae", latent_dim=40, hidden_sizes=(400,),
                      activation="relu", likelihood="bernoulli", posterior="full_cov",
                      posterior_kwargs={})
  config.dataset = dict(name="binarized_mnist")
  config.train = dict(
      batch_size=100, epochs=500, learning_rate=1e-3, clipnorm=0.0, seed=0,
      jit_compile=True, steps_per_execution=10, steps_per_epoch=0,
      precision="float32", early_stopping_patience=0, checkpoint_every=1,
      sample_every=1, validation_every=1, eval_batch_size=1000, verbose=2,
      schedules={})
  config.eval = dict(iwae_samples=5000, chunk_size=500, batch_size=100, seed=0)
  config.export = dict(enabled=True, name="vae_fullcov_binarized_mnist", base_dir="saved_models")
  return config
