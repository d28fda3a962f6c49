"""The "RBM removed" control of the Discrete VAE on binarized MNIST (section 5).

Same continuous hierarchy, decoder and training as ``dvae_binarized_mnist.py``, with no
RBM and no smoothed discrete units: the top continuous layer has a N(0, I) prior.
"""
import importlib.util
import os


def get_config():
  path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dvae_binarized_mnist.py")
  spec = importlib.util.spec_from_file_location("dvae_binarized_mnist", path)
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  config = module.get_config()
  config.model.rbm_sides = (0, 0)
  schedules = dict(config.train.schedules)
  schedules.pop("rbm_kl_weight", None)
  schedules.pop("beta_cap", None)
  config.train.schedules = schedules
  config.eval.log_z = dict(method="auto")
  config.export.name = "dvae_binarized_mnist_no_rbm"
  return config
