"""Discrete VAE (Rolfe 2016) on Caltech-101 Silhouettes 28x28.

The data are not shipped: set --config.dataset.path to caltech101_silhouettes_28_split1.mat
(e.g. ../shared/data/caltech101_silhouettes/ in this project). Appendix H uses, for this
small dataset, strong prior regularisation: 12 continuous layers of 80 units, prior
networks of 100 hidden units and complete recurrent parameter sharing; that prior is
kept here, with a smaller posterior for a CPU (the paper: two layers of 2000 units, as in
``dvae_caltech_paper.py``).
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
      continuous_layers=12, continuous_dim=80, continuous_posterior_hidden=(300,),
      prior_hidden=(100,), prior_sharing="complete", decoder_hidden=(),
      likelihood="bernoulli", activation="relu", norm="laplacian", sample_gibbs_steps=1000,
      figure_gibbs_steps=100, figure_chains=4, figure_group=5)
  config.dataset = dict(name="caltech101_silhouettes",
                        path="../shared/data/caltech101_silhouettes/"
                             "caltech101_silhouettes_28_split1.mat", invert=True)
  epochs = 300
  config.train = dict(
      batch_size=100, epochs=epochs, learning_rate=1e-3, clipnorm=0.0, seed=0,
      jit_compile=True, steps_per_execution=1, steps_per_epoch=0,
      precision="float32", early_stopping_patience=0, checkpoint_every=5,
      sample_every=5, validation_every=1, eval_batch_size=1000, verbose=1,
      schedules={
          "kl_weight": dict(kind="linear", start=1.0 / 20, end=1.0, duration=5),
          "rbm_kl_weight": dict(kind="linear", start=1.0 / 2, end=1.0, duration=20),
          "beta_cap": dict(kind="linear", start=2.0, end=2.0 + 0.05 * epochs,
                           duration=epochs),
      })
  config.eval = dict(iwae_samples=10000, chunk_size=500, batch_size=20, seed=0,
                     log_z=dict(method="ais", num_chains=500, num_temperatures=10000))
  config.export = dict(enabled=True, name="dvae_caltech", base_dir="")
  # Serving limits of the export (tfvae/export/limits.py, saved_models/README.md).
  config.export.max_num_samples = 10000
  config.export.max_gibbs_steps = 10000
  config.export.max_sample_steps = 10**6
  return config
