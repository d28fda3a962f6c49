"""Shared bits of the absl command-line apps."""
import logging
import os
import warnings


def quiet_tensorflow() -> None:
  """Keeps TF's C++ start-up chatter and TFP's import warnings out of the output."""
  os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
  warnings.filterwarnings("ignore", category=DeprecationWarning)
  logging.getLogger("tensorflow").setLevel(logging.ERROR)
  from absl import logging as absl_logging  # pylint: disable=g-import-not-at-top
  absl_logging.set_verbosity(absl_logging.WARNING)
