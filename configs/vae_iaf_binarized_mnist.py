"""Gaussian VAE 784-400-40 with an IAF posterior on the embedded binarized MNIST.

Flows paper section 4.5 (eq. 30-33); Kingma et al. 2016: the encoder outputs mu, sigma
and a context h (40 units) fed into every MADE; 4 gated IAF steps (MADE 320-320, ELU)
with the variable order reversed between steps; Monte Carlo KL; the same beta
warm-up as the planar configs (0.01 -> 1 over 20 epochs = 10^4 updates).
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  config.model = dict(name="gaussian_vae", latent_dim=40, hidden_sizes=(400,),
                      activation="relu", likelihood="bernoulli", posterior="iaf",
                      posterior_kwargs=dict(num_steps=4, context_size=40,
                                            hidden_sizes=(320, 320), activation="elu",
                                            gate_bias=1.0))
  config.dataset = dict(name="binarized_mnist")
  config.train = dict(
      batch_size=100, epochs=500, learning_rate=1e-3, clipnorm=0.0, seed=0,
      jit_compile=True, steps_per_execution=10, steps_per_epoch=0,
      precision="float32", early_stopping_patience=0, checkpoint_every=1,
      sample_every=1, validation_every=1, eval_batch_size=1000, verbose=2,
      schedules={"kl_weight": dict(kind="linear", start=0.01, end=1.0, duration=20,
                                     unit="epoch")})
  config.eval = dict(iwae_samples=5000, chunk_size=500, batch_size=100, seed=0)
  config.export = dict(enabled=True, name="vae_iaf_binarized_mnist", base_dir="saved_models")
  return config
