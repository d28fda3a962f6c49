"""Gated VAE (standard normal prior) on dynamically binarized MNIST: the "VAE" row of the
CP-VAE paper's table 1 (-ELBO 88.75).

Architecture of the CP-VAE paper (Lavda et al. 2020, sec. 5) shared by every model of
table 1: 40 latents, encoder and decoder MLPs with two hidden layers of 300 gated units
(Dauphin et al. 2017), Glorot initialisation, Adam 5e-4, batch 100, KL warm-up linear from
0 to 1 over 100 epochs, early stopping on the validation ELBO.
Data: grayscale MNIST (50k/10k/10k) dynamically binarized every epoch. Offline, point the
loader at IDX files:  --config.dataset.idx_dir=/path/to/mnist  (else TFDS downloads it).

  tfvae-train --config=configs/vae_gated_mnist.py --workdir=runs/vae_gated_mnist \
      --config.dataset.idx_dir=../shared/data/mnist
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  config.model = dict(name="gated_vae", latent_dim=40, hidden_sizes=(300, 300),
                      likelihood="bernoulli", min_scale=1e-4)
  config.dataset = dict(name="mnist", idx_dir="", binarize="dynamic")
  config.train = dict(
      batch_size=100, epochs=1000, learning_rate=5e-4, clipnorm=0.0, seed=0,
      jit_compile=True, steps_per_execution=10, steps_per_epoch=0,
      precision="float32", early_stopping_patience=50, early_stopping_start=100,
      checkpoint_every=1,
      sample_every=10, validation_every=1, eval_batch_size=1000, verbose=1,
      schedules=dict(
          kl_weight=dict(kind="linear", start=0.0, end=1.0, duration=100, unit="epoch")))
  config.eval = dict(iwae_samples=5000, chunk_size=500, batch_size=100, seed=0)
  config.export = dict(enabled=True, name="vae_gated_mnist", base_dir="")
  # Serving limits of the export (tfvae/export/limits.py, saved_models/README.md).
  config.export.max_num_samples = 10000
  return config
