"""Gaussian-mixture VRNN (Gumbel-softmax, VRNN report 5.1) at the VRNN's section 4.2
protocol: the sizes, data, iterations and learning-rate steps of
``vrnn_seq_mnist_report.py`` (the report trains its mixture models "with the VRNN's
sizes"); 5 components per step and the temperature schedule of
``gmvrnn_gumbel_seq_mnist.py``.

  tfvae-train --config=configs/gmvrnn_gumbel_seq_mnist_report.py \\
      --workdir=runs/gmvrnn_gumbel_report --config.dataset.idx_dir=../shared/data/mnist
"""
from tfvae.config_files import base_config


def get_config():
  report = base_config(__file__, "vrnn_seq_mnist_report")
  config = base_config(__file__, "gmvrnn_gumbel_seq_mnist")
  for key in ("output", "latent_dim", "rnn_units", "num_layers", "phi_x_sizes",
              "phi_z_sizes", "prior_sizes", "encoder_sizes", "decoder_sizes"):
    config.model[key] = report.model[key]
  config.dataset = report.dataset
  temperature = config.train.schedules["temperature"]
  config.train = report.train
  config.train.schedules = {"temperature": temperature}
  config.eval.update(iwae_samples=100)
  config.export.name = "gmvrnn_gumbel_seq_mnist_report"
  return config
