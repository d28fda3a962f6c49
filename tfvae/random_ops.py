"""Stateless random draws with an explicit RNG algorithm, fast inside XLA on CPU.

``tf.random.stateless_normal``/``stateless_uniform`` default to ``alg="auto_select"``.
Outside XLA that is Philox. Inside a ``jit_compile=True`` function on CPU it compiles to
a generator that is many times slower than an explicit ``alg="philox"`` (see
``tfvae-benchmark --micro=xla_rng``). In a compiled IWAE chunk of 500 samples x 100
images the default took most of the time.

* ``stateless_normal`` / ``stateless_uniform``: drop-in versions of the TF functions that
  pass ``alg=ALGORITHM``; tfvae's own draws use them.
* ``explicit_algorithm()``: a context manager under which TFP's samplers (every
  ``Distribution.sample`` / ``experimental_sample_and_log_prob`` with a stateless seed)
  pass ``alg=ALGORITHM`` too. The models' ``train_step``/``test_step`` and the IWAE
  evaluation trace inside it. The effect lasts only while the block runs: TFP behaves as
  usual for everything else, including user code that imports tfvae.

The numbers drawn for a given seed differ from those of the default algorithm but are
just as reproducible: same seed, same numbers, on the same machine and XLA setting.
"""
import contextlib
import threading

import tensorflow as tf
from tensorflow_probability.python.internal import samplers as _tfp_samplers

#: The RNG algorithm of every tfvae draw ("philox": Philox4x32-10).
ALGORITHM = "philox"


def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype=tf.float32, name=None):
  """``tf.random.stateless_normal`` with ``alg=ALGORITHM``."""
  return tf.random.stateless_normal(shape, seed=seed, mean=mean, stddev=stddev,
                                    dtype=dtype, name=name, alg=ALGORITHM)


def stateless_uniform(shape, seed, minval=0, maxval=None, dtype=tf.float32, name=None):
  """``tf.random.stateless_uniform`` with ``alg=ALGORITHM``."""
  return tf.random.stateless_uniform(shape, seed=seed, minval=minval, maxval=maxval,
                                     dtype=dtype, name=name, alg=ALGORITHM)


class _RandomWithAlgorithm:
  """``tf.random`` with an explicit ``alg`` for the stateless normal and uniform."""

  def __init__(self, random_module):
    self._random = random_module

  def __getattr__(self, name):
    return getattr(self._random, name)

  @staticmethod
  def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype=tf.float32, name=None,
                       alg=None):
    return tf.random.stateless_normal(shape, seed=seed, mean=mean, stddev=stddev,
                                      dtype=dtype, name=name, alg=alg or ALGORITHM)

  @staticmethod
  def stateless_uniform(shape, seed, minval=0, maxval=None, dtype=tf.float32, name=None,
                        alg=None):
    return tf.random.stateless_uniform(shape, seed=seed, minval=minval, maxval=maxval,
                                       dtype=dtype, name=name, alg=alg or ALGORITHM)


class _TensorFlowWithAlgorithm:
  """The ``tf`` module as TFP's samplers see it inside ``explicit_algorithm``."""

  def __init__(self, tf_module):
    self._tf = tf_module
    self.random = _RandomWithAlgorithm(tf_module.random)

  def __getattr__(self, name):
    return getattr(self._tf, name)


_lock = threading.RLock()
_depth = 0
_original_tf = _tfp_samplers.tf


@contextlib.contextmanager
def explicit_algorithm():
  """TFP's stateless samplers use ``ALGORITHM`` while the block runs (re-entrant)."""
  global _depth
  with _lock:
    if _depth == 0:
      _tfp_samplers.tf = _TensorFlowWithAlgorithm(_original_tf)
    _depth += 1
  try:
    yield
  finally:
    with _lock:
      _depth -= 1
      if _depth == 0:
        _tfp_samplers.tf = _original_tf
