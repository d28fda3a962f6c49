"""VRNN on pen strokes: sketch-rnn's aaron_sheep drawings in stroke-3 format.

Steps are [dx, dy, pen_lifted]; (dx, dy) get a mixture of 5 Gaussians and the pen-lift a
separate Bernoulli (VRNN report section 4.1). Offsets are divided by their training std;
drawings are cut to 250 steps with an explicit mask. Training batches come from pools of
20 batches sorted by length, each batch cut to its longest drawing
(``train.length_bucket_pool``): the same per-drawing loss with about half the padded
steps (docs/benchmarks.md, "Length-sorted pools"). The .npz comes from the user:

  tfvae-train --config=configs/vrnn_sheep.py --workdir=runs/vrnn_sheep \
      --config.dataset.path=<dir>/aaron_sheep_flat.npz
  tfvae-evaluate --workdir=runs/vrnn_sheep --iwae_samples=50
  tfvae-sample --workdir=runs/vrnn_sheep --num_samples=8

IAM-OnDB handwriting instead (section 3.2 preprocessing, 500 steps): configs/vrnn_iam_ondb.py.
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  config.model = dict(
      name="vrnn", output="pen_gmm", num_components=5, latent_dim=8, rnn_units=256,
      num_layers=1, phi_x_sizes=(128,), phi_z_sizes=(128,), prior_sizes=(128,),
      encoder_sizes=(128,), decoder_sizes=(128,), activation="relu", kl_discount=1.0,
      loop="auto")
  config.dataset = dict(name="strokes", path="", max_length=250, normalize="scale",
                        long="truncate")
  config.train = dict(
      batch_size=64, epochs=30, learning_rate=1e-3, clipnorm=1000.0, seed=0,
      jit_compile=False, steps_per_execution=10, steps_per_epoch=0, length_bucket_pool=20,
      precision="float32", early_stopping_patience=0, checkpoint_every=1,
      sample_every=1, validation_every=1, eval_batch_size=300, verbose=1,
      schedules={"kl_weight": dict(kind="linear", start=0.0, end=1.0, duration=1000,
                                   unit="step")})
  config.eval = dict(iwae_samples=50, chunk_size=10, batch_size=100, seed=0)
  config.export = dict(enabled=True, name="vrnn_sheep", base_dir="")
  # Serving limits of the export (tfvae/export/limits.py, saved_models/README.md).
  config.export.max_num_samples = 10000
  config.export.max_length = 4 * config.dataset.max_length
  config.export.max_sample_steps = 10**6
  return config
