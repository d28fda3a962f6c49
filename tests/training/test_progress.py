"""Progress output of training: a bar on a terminal, one line per epoch elsewhere."""
from tfvae.training.trainer import fit_verbosity


def test_progress_bar_only_on_a_terminal():
  """train.verbose = 1: Keras' bar on a terminal, one line per epoch in a log file."""
  class _Stream:

    def __init__(self, tty):
      self.tty = tty

    def isatty(self):
      return self.tty

  assert fit_verbosity(1, _Stream(True)) == 1
  assert fit_verbosity(1, _Stream(False)) == 2
  assert fit_verbosity(0, _Stream(True)) == 0 and fit_verbosity(2, _Stream(True)) == 2
