"""tfvae: variational autoencoders in TensorFlow / Keras 3 / TFP."""
import warnings as _warnings

# TFP imports distutils at import time; keep user logs clean.
_warnings.filterwarnings("ignore", category=DeprecationWarning, module="tensorflow_probability")

__version__ = "0.1.0"
