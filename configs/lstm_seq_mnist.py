"""LSTM next-step baseline on sequential MNIST (VRNN report section 4.2, last paragraph).

Same data and output as configs/vrnn_seq_mnist.py, so its exact test NLL (nats per
sequence) compares with the VRNN's negative bound. The report's baseline is 2 x 2000 LSTM
units with 500-unit input/output MLPs: --config.model.rnn_units=2000
--config.model.input_sizes=(500,) --config.model.output_sizes=(500,).

  tfvae-train --config=configs/lstm_seq_mnist.py --workdir=runs/lstm_seq_mnist
  tfvae-evaluate --workdir=runs/lstm_seq_mnist --iwae_samples=1
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  config.model = dict(
      name="lstm_baseline", output="bernoulli", num_components=1, rnn_units=256,
      num_layers=2, input_sizes=(256,), output_sizes=(256,), activation="relu",
      loop="auto")
  config.dataset = dict(name="seq_mnist", source="binarized_mnist", binarize="none",
                        idx_dir="", path="")
  config.train = dict(
      batch_size=64, epochs=20, learning_rate=1e-3, clipnorm=1000.0, seed=0,
      jit_compile=False, steps_per_execution=10, steps_per_epoch=0,
      precision="mixed_bfloat16", early_stopping_patience=0, checkpoint_every=1,
      sample_every=1, validation_every=1, eval_batch_size=500, verbose=1, schedules={})
  config.eval = dict(iwae_samples=1, chunk_size=1, batch_size=500, seed=0)
  config.export = dict(enabled=True, name="lstm_seq_mnist", base_dir="")
  # Serving limits of the export (tfvae/export/limits.py, saved_models/README.md).
  config.export.max_num_samples = 10000
  config.export.max_length = 4 * 28  # 4 x the 28 rows of an image
  config.export.max_sample_steps = 10**6
  return config
