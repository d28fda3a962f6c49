"""VRNN at the report's sequential-MNIST protocol (VRNN report section 4.2).

Grayscale MNIST (train / validation / test 50k / 10k / 10k, pixels in [0, 1]) as 28 rows
of 28 pixels with one diagonal Gaussian per row. The report: "a 2 layer LSTM of 1500
units per layer and every other network set to 300 hidden and output units each", 60k
iterations of batch 100 (120 epochs of 500 steps), learning rate 1e-4, 3e-5, 3e-6
changing every 20k iterations, Adam with gradient clipping. From the report's code
(github.com/Fr-d-rik/vrnn, params.py and vrnn_model.py), where the text is silent: two
300-unit ReLU layers per network (phi_x, phi_z, prior, encoder, decoder), z of 2 per step,
no KL warm-up, element-wise gradient clipping at +-100 (the text says +-1000).

Needs the MNIST IDX files (or TFDS):
  tfvae-train --config=configs/vrnn_seq_mnist_report.py --workdir=runs/vrnn_report \\
      --config.dataset.idx_dir=../shared/data/mnist
Full size is 32.6 M weights, as the report's code (the text's "4.2 million" is not),
a GPU job; ``tfvae-benchmark --suite=vrnn_report`` trains every model of the section at a
uniformly scaled width (docs/benchmarks.md, "VRNN report, section 4.2").
KL discounted by 0.1 (figure 9): --config.model.kl_discount=0.1.
"""
from tfvae.config_files import base_config

#: Width of every network but the LSTM (two layers each, as the report's code).
MLP = (300, 300)
#: The report's learning-rate steps: 1e-4, then 3e-5 from 20k and 3e-6 from 40k iterations.
LR_STEPS = dict(kind="piecewise", start=1e-4, boundaries=(20000, 40000),
                values=(3e-5, 3e-6), unit="step")


#: Model keys a mixture VRNN takes from this config ("with the VRNN's sizes").
SHARED_MODEL_KEYS = ("output", "latent_dim", "rnn_units", "num_layers", "phi_x_sizes",
                     "phi_z_sizes", "prior_sizes", "encoder_sizes", "decoder_sizes")


def apply_report_protocol(config, report, schedules=None):
  """``config`` (a GMVRNN config) at the section 4.2 protocol of ``report`` (this
  config): its sizes, data and training; ``schedules`` of the model kept as given."""
  for key in SHARED_MODEL_KEYS:
    config.model[key] = report.model[key]
  config.dataset = report.dataset
  config.train = report.train
  config.train.schedules = dict(schedules or {})
  config.eval.update(iwae_samples=100)
  return config


def get_config():
  config = base_config(__file__, "vrnn_seq_mnist")
  config.model.update(output="gaussian", latent_dim=2, rnn_units=1500, num_layers=2,
                      phi_x_sizes=MLP, phi_z_sizes=MLP, prior_sizes=MLP,
                      encoder_sizes=MLP, decoder_sizes=MLP)
  config.dataset.update(source="mnist")
  config.train.update(batch_size=100, epochs=120, learning_rate=1e-4, clipnorm=0.0,
                      clipvalue=100.0, lr_schedule=LR_STEPS, steps_per_execution=1,
                      sample_every=10, eval_batch_size=1000)
  config.train.schedules = {}  # no KL warm-up (update() would merge, not replace)
  config.eval.update(iwae_samples=100)
  config.export.name = "vrnn_seq_mnist_report"
  return config
