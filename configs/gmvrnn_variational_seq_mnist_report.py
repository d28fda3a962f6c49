"""Gaussian-mixture VRNN (variational mixture prior, VRNN report 5.2) at the VRNN's
section 4.2 protocol: the sizes, data, iterations and learning-rate steps of
``vrnn_seq_mnist_report.py``; the mixture settings of
``gmvrnn_variational_seq_mnist.py``.

  tfvae-train --config=configs/gmvrnn_variational_seq_mnist_report.py \\
      --workdir=runs/gmvrnn_variational_report --config.dataset.idx_dir=../shared/data/mnist
"""
import os

from tfvae.config_files import base_config, load_module_file


def get_config():
  protocol = load_module_file(
      os.path.join(os.path.dirname(os.path.abspath(__file__)), "vrnn_seq_mnist_report.py"))
  config = base_config(__file__, "gmvrnn_variational_seq_mnist")
  protocol.apply_report_protocol(config, protocol.get_config())
  config.export.name = "gmvrnn_variational_seq_mnist_report"
  return config
