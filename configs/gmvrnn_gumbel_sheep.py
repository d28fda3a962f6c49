"""Gaussian-mixture VRNN, Gumbel-softmax version (VRNN report 5.1), on pen strokes.

sketch-rnn's aaron_sheep drawings, stroke-3 [dx, dy, pen_lifted]: (dx, dy) a mixture of
5 Gaussians and a separate Bernoulli pen-lift (section 4.1), cut to 250 steps with an
explicit mask, batches from length-sorted pools (as configs/vrnn_sheep.py). Latent z_t: mixtures of 3 diagonal Gaussians,
Gumbel-softmax sampling, matched-bound KL (eq. 3), tau = max(0.5, exp(-1e-4 step)).

  tfvae-train --config=configs/gmvrnn_gumbel_sheep.py --workdir=runs/gmvrnn_gumbel_sheep \
      --config.dataset.path=<dir>/aaron_sheep_flat.npz
  tfvae-evaluate --workdir=runs/gmvrnn_gumbel_sheep --iwae_samples=50
  tfvae-sample --workdir=runs/gmvrnn_gumbel_sheep --num_samples=8
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  config.model = dict(
      name="gmvrnn_gumbel", output="pen_gmm", num_components=5, latent_dim=8,
      latent_components=3, sampling="relaxed", initial_temperature=1.0, rnn_units=256,
      num_layers=1, phi_x_sizes=(128,), phi_z_sizes=(128,), prior_sizes=(128,),
      encoder_sizes=(128,), decoder_sizes=(128,), activation="relu", kl_discount=1.0,
      loop="auto")
  config.dataset = dict(name="strokes", path="", max_length=250, normalize="scale",
                        long="truncate")
  config.train = dict(
      batch_size=64, epochs=30, learning_rate=1e-3, clipnorm=1000.0, seed=0,
      jit_compile=False, steps_per_execution=1, steps_per_epoch=0, length_bucket_pool=20,
      precision="float32", early_stopping_patience=0, checkpoint_every=1,
      sample_every=1, validation_every=1, eval_batch_size=300, verbose=1,
      schedules={
          "kl_weight": dict(kind="linear", start=0.0, end=1.0, duration=1000, unit="step"),
          "temperature": dict(kind="exp_rate", start=1.0, end=0.5, rate=1e-4,
                              unit="step")})
  config.eval = dict(iwae_samples=50, chunk_size=10, batch_size=100, seed=0)
  config.export = dict(enabled=True, name="gmvrnn_gumbel_sheep", base_dir="")
  # Serving limits of the export (tfvae/export/limits.py, saved_models/README.md).
  config.export.max_num_samples = 10000
  config.export.max_length = 4 * config.dataset.max_length
  config.export.max_sample_steps = 10**6
  return config
