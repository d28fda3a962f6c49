"""Gaussian VAE 784-400-40 (diagonal posterior) on the embedded binarized MNIST.

Flows paper section 4.2; the MLP of Kingma & Welling 2014 (ReLU, 400 hidden, 40 latents).
Full budget: 500 epochs of batch 100 with Adam 1e-3, decayed exponentially to 1e-4 over
epochs 300-500. The README's quick start overrides ``train.epochs``.
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  config.model = dict(name="gaussian_vae", latent_dim=40, hidden_sizes=(400,),
                      activation="relu", likelihood="bernoulli", posterior="diag",
                      posterior_kwargs={})
  # path="": the embedded copy; --config.dataset.path=<file.npz> reads another.
  config.dataset = dict(name="binarized_mnist", path="")
  config.train = dict(
      batch_size=100, epochs=500, learning_rate=1e-3, clipnorm=0.0, seed=0,
      weight_decay=0.0,  # decoupled (AdamW) decay of the kernels; 0 = plain Adam
      jit_compile=True, steps_per_execution=10, steps_per_epoch=0,
      precision="float32", early_stopping_patience=0, checkpoint_every=1,
      sample_every=1, validation_every=1, eval_batch_size=1000, verbose=1,
      schedules={},
      lr_schedule=dict(kind="exponential", start=1e-3, end=1e-4, begin=300,
                       duration=200, unit="epoch"),
      # tf.distribute (docs/distributed.md): "default" | "mirrored" | "multi_worker";
      # logical_cpus=2 splits the CPU into two devices (a correctness check, no speed-up).
      distribute=dict(strategy="default", devices=(), logical_cpus=0,
                      communication="auto"))
  config.eval = dict(iwae_samples=5000, chunk_size=500, batch_size=100, seed=0)
  config.export = dict(enabled=True, name="vae_binarized_mnist", base_dir="")
  # Serving limits of the export (tfvae/export/limits.py, saved_models/README.md).
  config.export.max_num_samples = 10000
  return config
