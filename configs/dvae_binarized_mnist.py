"""Discrete VAE (Rolfe 2016) on the embedded statically binarized MNIST.

RBM 64 + 64 units with persistent block-Gibbs chains, a 4-group hierarchical posterior,
spike-and-exponential smoothing with a trainable, epoch-capped beta, continuous Gaussian
layers below the RBM with prior parameter sharing, linear Bernoulli decoder, Laplacian
batch norm, KL warm-up (strength 20 over 5 epochs: kl_weight 1/20 -> 1) and RBM warm-up
(strength 2 over 20 epochs: rbm_kl_weight 1/2 -> 1), following section 5 and appendix H.

Sized for a CPU. The paper's static-MNIST model (appendix H, table 2) is larger:
posterior_hidden=(2000, 2000), continuous_layers=20, continuous_dim=256,
prior_hidden=(2000,), prior_sharing="2", rbm_chains=20 * batch_size, rbm_gibbs_steps=100,
evaluated with 10^4 importance samples: ``dvae_binarized_mnist_paper.py`` is that model.
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  config.model = dict(
      name="discrete_vae", rbm_sides=(64, 64), rbm_couplings=True, rbm_chains=500,
      rbm_gibbs_steps=20, rbm_rao_blackwell=True, rbm_weight_scale=0.01,
      posterior_groups=4, posterior_hidden=(300, 300), posterior_logit_bounds=(2.0, 3.0),
      smoothing="spike_and_exponential", beta=2.0, beta_trainable=True, beta_cap=2.0,
      smoothing_prior_loc=0.0, smoothing_prior_scale=1.0,
      continuous_layers=4, continuous_dim=32, continuous_posterior_hidden=(300,),
      prior_hidden=(200,), prior_sharing="2", decoder_hidden=(), likelihood="bernoulli",
      activation="relu", norm="laplacian", sample_gibbs_steps=1000, figure_gibbs_steps=100,
      figure_chains=4, figure_group=5)
  # path="": the embedded copy; --config.dataset.path=<file.npz> reads another.
  config.dataset = dict(name="binarized_mnist", path="")
  epochs = 100
  config.train = dict(
      batch_size=100, epochs=epochs, learning_rate=1e-3, clipnorm=0.0, seed=0,
      jit_compile=True, steps_per_execution=10, steps_per_epoch=0,
      precision="float32", early_stopping_patience=0, checkpoint_every=1,
      sample_every=1, validation_every=1, eval_batch_size=1000, verbose=1,
      schedules={
          "kl_weight": dict(kind="linear", start=1.0 / 20, end=1.0, duration=5),
          "rbm_kl_weight": dict(kind="linear", start=1.0 / 2, end=1.0, duration=20),
          # beta <= beta_cap, which rises linearly with the epochs (appendix H).
          "beta_cap": dict(kind="linear", start=2.0, end=2.0 + 0.1 * epochs,
                           duration=epochs),
      })
  config.eval = dict(iwae_samples=10000, chunk_size=500, batch_size=20, seed=0,
                     log_z=dict(method="ais", num_chains=500, num_temperatures=10000))
  config.export = dict(enabled=True, name="dvae_binarized_mnist", base_dir="")
  # Serving limits of the export (tfvae/export/limits.py, saved_models/README.md).
  config.export.max_num_samples = 10000
  config.export.max_gibbs_steps = 10000
  config.export.max_sample_steps = 10**6
  return config
