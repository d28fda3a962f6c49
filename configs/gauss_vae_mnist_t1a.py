"""Gauss-VAE 784-400-400-20-400-400-784 on binarized MNIST.

Sun & Zhang 2017, table 1a (Gauss-VAE, L = 1).
Data: the embedded statically binarized MNIST (Larochelle & Murray 2011; 50k/10k/10k).
Budget of the paper: 10,000 Adam iterations of batch 100 (= 20 epochs of the 50,000
training images), learning rate 1e-3, Xavier initialisation.
L = 10 (table 1a, lower half): --config.model.num_latent_samples=10 (d = 20)

  tfvae-train --config=configs/gauss_vae_mnist_t1a.py --workdir=runs/gauss_vae_mnist_t1a
  tfvae-evaluate --workdir=runs/gauss_vae_mnist_t1a --iwae_samples=100
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  config.model = dict(name="gauss_vae_baseline", latent_dim=20, network="mlp",
                      hidden_sizes=(400, 400), activation="relu", likelihood="bernoulli",
                      num_latent_samples=1)
  # path="": the embedded copy; --config.dataset.path=<file.npz> reads another.
  config.dataset = dict(name="binarized_mnist", path="")
  config.train = dict(
      batch_size=100, epochs=20, learning_rate=1e-3, clipnorm=0.0, seed=0,
      jit_compile=True, steps_per_execution=10, steps_per_epoch=0,
      precision="float32", early_stopping_patience=0, checkpoint_every=1,
      sample_every=1, validation_every=1, eval_batch_size=1000, verbose=1,
      schedules={})
  config.eval = dict(iwae_samples=1000, chunk_size=100, batch_size=100, seed=0)
  config.export = dict(enabled=True, name="gauss_vae_mnist_t1a", base_dir="")
  # Serving limits of the export (tfvae/export/limits.py, saved_models/README.md).
  config.export.max_num_samples = 10000
  return config
