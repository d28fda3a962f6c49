"""tf.data pipelines over in-memory splits, deterministic per (seed, epoch).

The training stream orders each epoch by a stateless permutation of ``(seed, epoch)``
(and draws dynamic binarizations from the same key), so a run resumed at epoch e sees
exactly the batches an uninterrupted run would: no hidden iterator state to checkpoint.

``splits`` arguments are ``tfvae.data.splits.DatasetSplits`` (which calls these through its
``train_dataset`` / ``eval_dataset`` / ``eval_array``; this module does not import it).
"""
import numpy as np
import tensorflow as tf

from tfvae.data import validate

AUTOTUNE = tf.data.AUTOTUNE


def _to_float(batch, kind):
  return tf.cast(batch, tf.float32) if kind == "binary" else batch


def _binarize(batch, seed):
  noise = tf.random.stateless_uniform(tf.shape(batch), seed=seed)
  return tf.cast(noise < batch, tf.float32)


def check_stream_arguments(n: int, batch_size, seed, initial_epoch, steps_per_epoch) -> None:
  """Integer stream settings: ``1 <= batch_size <= n``, the others ``>= 0``."""
  validate.check_count(batch_size, "batch_size")
  if batch_size > n:
    raise ValueError(f"batch_size must be in [1, {n}], got {batch_size}")
  validate.check_count(seed, "seed", minimum=0)
  validate.check_count(initial_epoch, "initial_epoch", minimum=0)
  validate.check_count(steps_per_epoch, "steps_per_epoch", minimum=0)


def train_dataset(splits, batch_size: int, seed: int = 0,
                  initial_epoch: int = 0, steps_per_epoch: int = 0) -> tf.data.Dataset:
  """Endless stream of full training batches, epoch e shuffled by key (seed, e).

  ``steps_per_epoch`` > 0 shortens every epoch to its first that many batches (a
  training "epoch" of fewer steps stays aligned with the data epoch, so resuming
  works). Use with ``fit(steps_per_epoch=...)`` of the same value.
  """
  data = splits.train
  n = len(data)
  check_stream_arguments(n, batch_size, seed, initial_epoch, steps_per_epoch)
  steps = n // batch_size
  if steps_per_epoch:
    steps = min(steps, int(steps_per_epoch))
  table = tf.constant(data)
  dynamic = splits.binarize == "dynamic"
  kind = splits.kind

  def epoch_batches(epoch):
    key = tf.stack([tf.constant(seed, tf.int64), epoch])
    perm = tf.argsort(tf.random.stateless_uniform([n], seed=key))
    perm = tf.reshape(perm[: steps * batch_size], [steps, batch_size])

    def gather(step, idx):
      batch = _to_float(tf.gather(table, idx), kind)
      if dynamic:
        batch = _binarize(batch, tf.stack([epoch * 1_000_003 + seed, step]))
      return batch

    return tf.data.Dataset.from_tensor_slices(perm).enumerate().map(
        gather, num_parallel_calls=AUTOTUNE, deterministic=True)

  epochs = tf.data.Dataset.range(initial_epoch, np.iinfo(np.int64).max)
  return epochs.flat_map(epoch_batches).prefetch(AUTOTUNE)


def steps_per_epoch(splits, batch_size: int) -> int:
  return len(splits.train) // batch_size


def eval_dataset(splits, split: str, batch_size: int,
                 seed: int = 1234) -> tf.data.Dataset:
  """Every example of ``split`` once, in order (last batch may be smaller).

  Dynamic binarization draws one fixed binarization from ``seed``.
  """
  data = splits.split(split)
  validate.check_count(batch_size, "eval batch_size")
  validate.check_count(seed, "eval seed", minimum=0)
  kind = splits.kind
  ds = tf.data.Dataset.from_tensor_slices(data).batch(batch_size).enumerate()
  if splits.binarize == "dynamic":
    ds = ds.map(lambda i, b: _binarize(_to_float(b, kind), tf.stack([seed, i])))
  else:
    ds = ds.map(lambda i, b: _to_float(b, kind))
  return ds.prefetch(AUTOTUNE)


def eval_array(splits, split: str, seed: int = 1234,
               batch_size: int = 1000) -> np.ndarray:
  """The split as float32 numpy, with the same fixed binarization as ``eval_dataset``."""
  return np.concatenate(list(eval_dataset(splits, split, batch_size, seed).as_numpy_iterator()))
