"""Gaussian VAE 784-400-40 with K=80 amortised planar flows on the embedded binarized MNIST.

Flows paper section 4.4 (eq. 26-29); Rezende & Mohamed 2015 report NLL <= 85.1 for K=80.
Same as ``vae_planar10_binarized_mnist.py`` with 80 flows.
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  config.model = dict(name="gaussian_vae", latent_dim=40, hidden_sizes=(400,),
                      activation="relu", likelihood="bernoulli", posterior="planar",
                      posterior_kwargs=dict(num_flows=80, amortized=True))
  config.dataset = dict(name="binarized_mnist")
  config.train = dict(
      batch_size=100, epochs=500, learning_rate=1e-3, clipnorm=0.0, seed=0,
      jit_compile=True, steps_per_execution=10, steps_per_epoch=0,
      precision="float32", early_stopping_patience=0, checkpoint_every=1,
      sample_every=1, validation_every=1, eval_batch_size=1000, verbose=2,
      schedules={"kl_weight": dict(kind="linear", start=0.01, end=1.0, duration=20,
                                     unit="epoch")})
  config.eval = dict(iwae_samples=5000, chunk_size=500, batch_size=100, seed=0)
  config.export = dict(enabled=True, name="vae_planar80_binarized_mnist", base_dir="saved_models")
  return config
