"""LSTM next-step baseline on the aaron_sheep pen strokes (compare configs/vrnn_sheep.py).

Same data, output (5-component (dx, dy) mixture + separate pen-lift Bernoulli) and
normalisation as the VRNN config, and its length-sorted training batches; its test NLL is
exact.

  tfvae-train --config=configs/lstm_sheep.py --workdir=runs/lstm_sheep \
      --config.dataset.path=<dir>/aaron_sheep_flat.npz
  tfvae-evaluate --workdir=runs/lstm_sheep --iwae_samples=1
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  config.model = dict(
      name="lstm_baseline", output="pen_gmm", num_components=5, rnn_units=256,
      num_layers=2, input_sizes=(128,), output_sizes=(128,), activation="relu",
      loop="auto")
  config.dataset = dict(name="strokes", path="", max_length=250, normalize="scale",
                        long="truncate")
  config.train = dict(
      batch_size=64, epochs=30, learning_rate=1e-3, clipnorm=1000.0, seed=0,
      jit_compile=False, steps_per_execution=10, steps_per_epoch=0, length_bucket_pool=20,
      precision="float32", early_stopping_patience=0, checkpoint_every=1,
      sample_every=1, validation_every=1, eval_batch_size=300, verbose=1, schedules={})
  config.eval = dict(iwae_samples=1, chunk_size=1, batch_size=300, seed=0)
  config.export = dict(enabled=True, name="lstm_sheep", base_dir="")
  # Serving limits of the export (tfvae/export/limits.py, saved_models/README.md).
  config.export.max_num_samples = 10000
  config.export.max_length = 4 * config.dataset.max_length
  config.export.max_sample_steps = 10**6
  return config
