"""tfvae: variational autoencoders in TensorFlow / Keras 3 / TFP."""
import warnings as _warnings

# TFP imports distutils at import time; keep user logs clean.
_warnings.filterwarnings("ignore", category=DeprecationWarning, module="tensorflow_probability")

__version__ = "0.1.0"

# The Python API (tfvae/api.py), imported on first use so that ``import tfvae`` does not
# import TensorFlow (the command-line tools check their flags before it).
__all__ = ["list_models", "make_model", "load_model", "iwae_nll", "export_sampler",
           "load_dataset", "train", "load_config"]


def __getattr__(name):
  if name in __all__:
    from tfvae import api  # pylint: disable=g-import-not-at-top
    return getattr(api, name)
  raise AttributeError(f"module 'tfvae' has no attribute {name!r}")


def __dir__():
  return sorted(list(globals()) + __all__)
