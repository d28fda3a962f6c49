"""Cat-VAE (T_min = 0.5, C = 5, d = 20) 784-400-400-20-400-400-784 on binarized MNIST.

Sun & Zhang 2017, table 1a (Cat-VAE T = 0.5, L = 1).
Data: the embedded statically binarized MNIST (Larochelle & Murray 2011; 50k/10k/10k).
Budget of the paper: 10,000 Adam iterations of batch 100 (= 20 epochs of the 50,000
training images), learning rate 1e-3, Xavier initialisation.
Temperature: T_max = 1 decays exponentially to T_min = 0.5 over the first half of
training (epochs 0-10), then stays at T_min (sec. 3.3).
L = 10 (table 1a, lower half): --config.model.num_latent_samples=10 --config.model.num_categories=15

  tfvae-train --config=configs/cat_vae_t05_mnist.py --workdir=runs/cat_vae_t05_mnist
  tfvae-evaluate --workdir=runs/cat_vae_t05_mnist --iwae_samples=100
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  config.model = dict(name="cat_vae", latent_dim=20, num_categories=5, temperature=1.0,
                      network="mlp", hidden_sizes=(400, 400), activation="relu",
                      likelihood="bernoulli", num_latent_samples=1)
  # path="": the embedded copy; --config.dataset.path=<file.npz> reads another.
  config.dataset = dict(name="binarized_mnist", path="")
  config.train = dict(
      batch_size=100, epochs=20, learning_rate=1e-3, clipnorm=0.0, seed=0,
      # XLA with explicit Philox draws (tfvae.random_ops) is faster here (docs/benchmarks.md;
      # tfvae-benchmark --micro=xla_rng --config=<this file> --config.train.jit_compile=True).
      jit_compile=True, steps_per_execution=10, steps_per_epoch=0,
      precision="float32", early_stopping_patience=0, checkpoint_every=1,
      sample_every=1, validation_every=1, eval_batch_size=1000, verbose=1,
      schedules=dict(temperature=dict(kind="exponential", start=1.0, end=0.5, duration=10,
                                     unit="epoch")))
  config.eval = dict(iwae_samples=1000, chunk_size=100, batch_size=100, seed=0)
  config.export = dict(enabled=True, name="cat_vae_t05_mnist", base_dir="")
  # Serving limits of the export (tfvae/export/limits.py, saved_models/README.md).
  config.export.max_num_samples = 10000
  return config
