"""Gaussian-mixture VRNN, Gumbel-softmax version, on sequential MNIST (VRNN report 5.1).

Per step the prior and posterior over z_t are mixtures of 5 diagonal Gaussians; training
samples z_t by Gumbel-softmax (eq. 4-8), the KL is the matched bound (eq. 3) and the
temperature is annealed per optimizer step as tau = max(0.5, exp(-r * step)) with
r = 1e-4 (Jang et al.'s schedule form; tau reaches 0.5 after ~6,900 steps). Validation
and test use exact mixture samples, so ``val_elbo`` is a true lower bound (nats per
sequence). Data and network sizes as configs/vrnn_seq_mnist.py (binarized MNIST rows,
Bernoulli output); the grayscale variant: --config.dataset.source=mnist
--config.dataset.idx_dir=<dir> --config.model.output=gaussian.

  tfvae-train --config=configs/gmvrnn_gumbel_seq_mnist.py --workdir=runs/gmvrnn_gumbel_mnist
  tfvae-evaluate --workdir=runs/gmvrnn_gumbel_mnist --iwae_samples=100
  tfvae-sample --workdir=runs/gmvrnn_gumbel_mnist --num_samples=16
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  config.model = dict(
      name="gmvrnn_gumbel", output="bernoulli", num_components=1, latent_dim=16,
      latent_components=5, sampling="relaxed", initial_temperature=1.0, rnn_units=256,
      num_layers=1, phi_x_sizes=(256,), phi_z_sizes=(256,), prior_sizes=(256,),
      encoder_sizes=(256,), decoder_sizes=(256,), activation="relu", kl_discount=1.0,
      loop="auto")
  config.dataset = dict(name="seq_mnist", source="binarized_mnist", binarize="none",
                        idx_dir="", path="")
  config.train = dict(
      batch_size=64, epochs=20, learning_rate=1e-3, clipnorm=1000.0, seed=0,
      jit_compile=False, steps_per_execution=1, steps_per_epoch=0,
      precision="float32", early_stopping_patience=0, checkpoint_every=1,
      sample_every=1, validation_every=1, eval_batch_size=500, verbose=1,
      schedules={
          "kl_weight": dict(kind="linear", start=0.0, end=1.0, duration=2000, unit="step"),
          "temperature": dict(kind="exp_rate", start=1.0, end=0.5, rate=1e-4,
                              unit="step")})
  config.eval = dict(iwae_samples=100, chunk_size=20, batch_size=100, seed=0)
  config.export = dict(enabled=True, name="gmvrnn_gumbel_seq_mnist", base_dir="")
  # Serving limits of the export (tfvae/export/limits.py, saved_models/README.md).
  config.export.max_num_samples = 10000
  config.export.max_length = 4 * 28  # 4 x the 28 rows of an image
  config.export.max_sample_steps = 10**6
  return config
