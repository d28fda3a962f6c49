"""Gaussian-mixture VRNN (Gumbel-softmax, VRNN report 5.1) at the VRNN's section 4.2
protocol: the sizes, data, iterations and learning-rate steps of
``vrnn_seq_mnist_report.py`` (the report trains its mixture models "with the VRNN's
sizes"); 5 components per step and the temperature schedule of
``gmvrnn_gumbel_seq_mnist.py``.

  tfvae-train --config=configs/gmvrnn_gumbel_seq_mnist_report.py \\
      --workdir=runs/gmvrnn_gumbel_report --config.dataset.idx_dir=../shared/data/mnist
"""
import os

from tfvae.config_files import base_config, load_module_file


def get_config():
  protocol = load_module_file(
      os.path.join(os.path.dirname(os.path.abspath(__file__)), "vrnn_seq_mnist_report.py"))
  config = base_config(__file__, "gmvrnn_gumbel_seq_mnist")
  protocol.apply_report_protocol(
      config, protocol.get_config(),
      schedules={"temperature": config.train.schedules["temperature"].to_dict()})
  config.export.name = "gmvrnn_gumbel_seq_mnist_report"
  return config
