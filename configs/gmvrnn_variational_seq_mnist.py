"""Gaussian-mixture VRNN, variational version, on sequential MNIST (VRNN report 5.2).

Per step: w_t (8-d) and v_t (5 components) from phi_prior_w(h_{t-1}), z_t (16-d) from
phi_GM^(v)(w_t); posteriors q(w_t|x_t,h), q(z_t|x_t,h) and p(v_t|z_t,w_t) of eq. 15. The
training objective is eq. 19 with M = 1 sample (``num_samples``; ``kl_estimator='exact'``
trains on the exact ELBO instead); ``elbo`` is always the exact bound (nats per
sequence). Data and sizes as configs/vrnn_seq_mnist.py.

  tfvae-train --config=configs/gmvrnn_variational_seq_mnist.py \
      --workdir=runs/gmvrnn_variational_mnist
  tfvae-evaluate --workdir=runs/gmvrnn_variational_mnist --iwae_samples=100
  tfvae-sample --workdir=runs/gmvrnn_variational_mnist --num_samples=16
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  config.model = dict(
      name="gmvrnn_variational", output="bernoulli", num_components=1, latent_dim=16,
      w_dim=8, latent_components=5, num_samples=1, gm_sizes=(128,),
      kl_estimator="eq19", rnn_units=256, num_layers=1, phi_x_sizes=(256,),
      phi_z_sizes=(256,), prior_sizes=(256,), encoder_sizes=(256,),
      decoder_sizes=(256,), activation="relu", kl_discount=1.0, loop="auto")
  config.dataset = dict(name="seq_mnist", source="binarized_mnist", binarize="none",
                        idx_dir="", path="")
  config.train = dict(
      batch_size=64, epochs=20, learning_rate=1e-3, clipnorm=1000.0, seed=0,
      jit_compile=False, steps_per_execution=1, steps_per_epoch=0,
      precision="float32", early_stopping_patience=0, checkpoint_every=1,
      sample_every=1, validation_every=1, eval_batch_size=500, verbose=1,
      schedules={"kl_weight": dict(kind="linear", start=0.0, end=1.0, duration=2000,
                                   unit="step")})
  config.eval = dict(iwae_samples=100, chunk_size=20, batch_size=100, seed=0)
  config.export = dict(enabled=True, name="gmvrnn_variational_seq_mnist",
                       base_dir="")
  # Serving limits of the export (tfvae/export/limits.py, saved_models/README.md).
  config.export.max_num_samples = 10000
  config.export.max_length = 4 * 28  # 4 x the 28 rows of an image
  config.export.max_sample_steps = 10**6
  return config
