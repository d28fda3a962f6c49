"""The "RBM removed" control of the Discrete VAE on Caltech-101 Silhouettes (section 5).
Same continuous hierarchy, decoder and training as ``dvae_caltech.py``, with no RBM and no
smoothed discrete units: the top continuous layer has a N(0, I) prior.
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "dvae_caltech")
  config.model.rbm_sides = (0, 0)
  config.train.schedules = {name: schedule for name, schedule
                            in config.train.schedules.items()
                            if name not in ("rbm_kl_weight", "beta_cap")}
  config.eval.log_z = dict(method="auto")
  config.export.name = "dvae_caltech_no_rbm"
  return config
