"""Gaussian-mixture VRNN (variational mixture prior, VRNN report 5.2) at the VRNN's
section 4.2 protocol: the sizes, data, iterations and learning-rate steps of
``vrnn_seq_mnist_report.py``; the mixture settings of
``gmvrnn_variational_seq_mnist.py``.

  tfvae-train --config=configs/gmvrnn_variational_seq_mnist_report.py \\
      --workdir=runs/gmvrnn_variational_report --config.dataset.idx_dir=../shared/data/mnist
"""
from tfvae.config_files import base_config


def get_config():
  report = base_config(__file__, "vrnn_seq_mnist_report")
  config = base_config(__file__, "gmvrnn_variational_seq_mnist")
  for key in ("output", "latent_dim", "rnn_units", "num_layers", "phi_x_sizes",
              "phi_z_sizes", "prior_sizes", "encoder_sizes", "decoder_sizes"):
    config.model[key] = report.model[key]
  config.dataset = report.dataset
  config.train = report.train
  config.eval.update(iwae_samples=100)
  config.export.name = "gmvrnn_variational_seq_mnist_report"
  return config
