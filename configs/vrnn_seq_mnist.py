"""VRNN on sequential MNIST: each image is 28 steps of 28 pixels (VRNN report 3.1, 4.2).

Default data: the embedded statically binarized MNIST with a Bernoulli output, so the
bound is a discrete log-likelihood bound in nats per sequence (= per image). The report's
grayscale variant with a Gaussian output:
  --config.dataset.source=mnist --config.dataset.idx_dir=<dir of the IDX files>
  --config.model.output=gaussian
Sizes: the train-step benchmark shape (T = 28, batch 64, LSTM 256, every MLP 256; see
docs/benchmarks/vrnn.md); the report's 2 x 1500 LSTM with 300-unit MLPs is
  --config.model.rnn_units=1500 --config.model.num_layers=2 (and 300 for the *_sizes).
KL discount of section 4.2: --config.model.kl_discount=0.1.

  tfvae-train --config=configs/vrnn_seq_mnist.py --workdir=runs/vrnn_seq_mnist
  tfvae-evaluate --workdir=runs/vrnn_seq_mnist --iwae_samples=100
  tfvae-sample --workdir=runs/vrnn_seq_mnist --num_samples=16
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  config.model = dict(
      name="vrnn", output="bernoulli", num_components=1, latent_dim=16, rnn_units=256,
      num_layers=1, phi_x_sizes=(256,), phi_z_sizes=(256,), prior_sizes=(256,),
      encoder_sizes=(256,), decoder_sizes=(256,), activation="relu", kl_discount=1.0,
      loop="auto")
  config.dataset = dict(name="seq_mnist", source="binarized_mnist", binarize="none",
                        idx_dir="", path="")
  config.train = dict(
      batch_size=64, epochs=20, learning_rate=1e-3, clipnorm=1000.0, seed=0,
      jit_compile=False, steps_per_execution=10, steps_per_epoch=0,
      precision="mixed_bfloat16", early_stopping_patience=0, checkpoint_every=1,
      sample_every=1, validation_every=1, eval_batch_size=500, verbose=1,
      schedules={"kl_weight": dict(kind="linear", start=0.0, end=1.0, duration=2000,
                                   unit="step")})
  config.eval = dict(iwae_samples=100, chunk_size=20, batch_size=100, seed=0)
  config.export = dict(enabled=True, name="vrnn_seq_mnist", base_dir="")
  # Serving limits of the export (tfvae/export/limits.py, saved_models/README.md).
  config.export.max_num_samples = 10000
  config.export.max_length = 4 * 28  # 4 x the 28 rows of an image
  config.export.max_sample_steps = 10**6
  return config
