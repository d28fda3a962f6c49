"""LSTM sequence-decoder VAE on neural-network architectures (flows paper, section 4.1).

Data: windows of 32 layers (one-hot layer type + log2 channel feature) from the 40
``keras.applications`` models (whole models held out for valid/test) plus 500 generated
architectures for volume (``tfvae.data.architectures``). Model: LSTM(128) encoder ->
diagonal Gaussian q(z|x) over 32 dims (any ``posterior`` works: diag | full_cov |
planar | iaf) -> MLP(128, ReLU) -> (x_0, h, c) -> teacher-forced LSTM(128) decoder with a
softmax over types and a sigmoid-mean Gaussian feature. Beta warm-up 0 -> 1 over 30 epochs
keeps the autoregressive decoder from ignoring z early on.

  tfvae-train --config=configs/sequence_vae_architectures.py --workdir=runs/seqvae
  tfvae-evaluate --workdir=runs/seqvae      # test terms incl. generation_accuracy
  tfvae-sample --workdir=runs/seqvae --num_samples=8   # prints generated layer lists
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  config.model = dict(name="sequence_vae", latent_dim=32, encoder_units=128,
                      encoder_hidden_sizes=(), decoder_hidden_sizes=(128,),
                      decoder_units=128, activation="relu", feature_likelihood="sigmoid",
                      feature_stddev=0.1, posterior="diag", posterior_kwargs={},
                      unroll=False)
  config.dataset = dict(name="architectures", max_length=32, train_stride=16,
                        sources=("applications", "random"), num_random=500, random_seed=0)
  config.train = dict(
      batch_size=64, epochs=200, learning_rate=2e-3, clipnorm=1.0, seed=0,
      jit_compile=False, steps_per_execution=1, steps_per_epoch=0,
      precision="float32", early_stopping_patience=0, checkpoint_every=1,
      sample_every=10, validation_every=1, eval_batch_size=1000, verbose=1,
      schedules={"kl_weight": dict(kind="linear", start=0.0, end=1.0, duration=30,
                                     unit="epoch")})
  # batch_size >= the 87 test windows: generation_accuracy is then exact over the split.
  config.eval = dict(iwae_samples=100, chunk_size=100, batch_size=128, seed=0)
  config.export = dict(enabled=True, name="sequence_vae_architectures",
                       base_dir="")
  # Serving limits of the export (tfvae/export/limits.py, saved_models/README.md).
  config.export.max_num_samples = 10000
  return config
