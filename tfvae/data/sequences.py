"""Sequence datasets: padded ``[N, T, D]`` arrays with lengths, served as ``{x, mask}``.

* ``seq_mnist``: each 28x28 MNIST image of a registry dataset read top to bottom as 28
  rows of 28 values (VRNN report section 3.1); grayscale rows pair with a Gaussian
  output, binarized rows (``binarized_mnist``, or ``binarize='dynamic'``) with Bernoulli.
* ``strokes``: stroke-3 drawings ``[dx, dy, pen_lifted_after_point]`` from a user-given
  ``.npz`` (sketch-rnn flat layout: ``<split>_strokes (P, 3)`` and ``<split>_offsets
  (N + 1,)``), cut to ``max_length`` and normalised with statistics of the training split.
* ``iam_ondb`` lives in ``tfvae.data.iam_ondb`` and returns the same ``SequenceSplits``.

Padding is explicit: padded steps hold zeros and ``mask`` is 0 there, so models can drop
them from every loss and metric (the report pads with the constant 500 instead). Batches
are dicts ``{"x": float32 [B, T, D], "mask": float32 [B, T]}``; the training stream is
ordered by a stateless permutation of ``(seed, epoch)`` like ``tfvae.data.pipeline``.
"""
import dataclasses
import os
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import tensorflow as tf

from tfvae.data import stroke_report, validate
from tfvae.data.pipeline import check_stream_arguments
from tfvae.data.splits import check_binary, check_finite, load_npz
from tfvae.registry import DATASETS

AUTOTUNE = tf.data.AUTOTUNE
SPLITS = ("train", "valid", "test")
SEQUENCE_KINDS = ("real", "binary", "pen")
#: which per-step output families fit which kind of data (mirrors
#: ``tfvae.models.recurrent.sequence_outputs.OUTPUTS_FOR_KIND``; data does not import models).
OUTPUTS_FOR_KIND = {"real": ("gaussian", "gmm"), "binary": ("bernoulli",),
                    "pen": ("pen_gaussian", "pen_gmm")}


def pad_sequences(sequences: Sequence[np.ndarray], max_length: int,
                  dtype=np.float32) -> Tuple[np.ndarray, np.ndarray]:
  """Stacks ``[L_i, D]`` arrays into ``[N, max_length, D]`` zeros-padded, cutting longer
  ones; returns ``(padded, lengths)``."""
  if not sequences:
    raise ValueError("no sequences to pad")
  depth = sequences[0].shape[-1]
  out = np.zeros((len(sequences), max_length, depth), dtype)
  lengths = np.zeros(len(sequences), np.int32)
  for i, seq in enumerate(sequences):
    n = min(len(seq), max_length)
    out[i, :n] = seq[:n]
    lengths[i] = n
  return out, lengths


def length_mask(lengths, max_length: int) -> np.ndarray:
  """``float32 [N, T]``: 1 on the first ``lengths[i]`` steps."""
  return (np.arange(max_length)[None, :] < np.asarray(lengths)[:, None]).astype(np.float32)


def _sorted_within_pools(order, lengths, pool_size: int):
  """``order`` re-sorted by ``lengths`` inside consecutive pools of ``pool_size``
  (a stable sort: equal lengths keep their order)."""
  pool_ids = tf.range(tf.size(order), dtype=tf.int64) // pool_size
  keys = pool_ids * (tf.cast(tf.reduce_max(lengths), tf.int64) + 1) + tf.cast(lengths,
                                                                           tf.int64)
  return tf.gather(order, tf.argsort(keys, stable=True))


@dataclasses.dataclass
class SequenceSplits:
  """Padded train/valid/test sequences plus what a sequence model needs to know.

  ``train``/``valid``/``test`` are ``[N, T, D]`` (``uint8`` {0,1} for binary data, else
  ``float32``); ``lengths`` maps a split to ``int32 [N]``. ``data_mean``/``data_std`` (per
  feature) record the normalisation applied, so samples can be mapped back to pen units;
  ``preprocessing`` what the loader cut, dropped or clipped (``stroke_report``).
  """
  name: str
  train: np.ndarray
  valid: np.ndarray
  test: np.ndarray
  lengths: Dict[str, np.ndarray]
  kind: str
  binarize: str = "none"
  data_mean: Optional[Tuple[float, ...]] = None
  data_std: Optional[Tuple[float, ...]] = None
  labels: Optional[Dict[str, np.ndarray]] = None
  preprocessing: Optional[dict] = None

  def __post_init__(self):
    if self.kind not in SEQUENCE_KINDS:
      raise ValueError(f"kind must be one of {SEQUENCE_KINDS}, got {self.kind!r}")
    if self.binarize not in ("none", "dynamic"):
      raise ValueError(f"binarize must be 'none' or 'dynamic', got {self.binarize!r}")
    if self.binarize == "dynamic" and self.kind != "real":
      raise ValueError("binarize='dynamic' needs real values in [0, 1]")
    for split in SPLITS:
      data, where = self.split(split), f"{self.name}/{split}"
      if not isinstance(data, np.ndarray):
        raise ValueError(f"{where} must be a numpy array, got {type(data).__name__}")
      validate.check_dtype(data, where)
      if data.ndim != 3:
        raise ValueError(f"{where} must be [N, T, D], got shape {data.shape}")
      validate.check_nonempty(data, where, "sequence")
      if split not in self.lengths:
        raise ValueError(f"{where} has no lengths (lengths keys: {sorted(self.lengths)})")
      lengths = np.asarray(self.lengths[split])
      validate.check_dtype(lengths, f"{where} lengths", "iu", expected="integers")
      validate.check_shape(lengths, ("N",), f"{where} lengths", "(one per sequence)")
      if len(lengths) != len(data):
        raise ValueError(f"{self.name}/{split}: {len(data)} sequences but "
                         f"{len(lengths)} lengths")
      validate.check_range(lengths, 1, data.shape[1], f"{where} lengths",
                           expected=f"lengths in [1, {data.shape[1]}] (T = max_length)")
      if data.shape[1:] != self.train.shape[1:]:
        raise ValueError(f"{self.name}/{split} has step shape {data.shape[1:]}, train has "
                         f"{self.train.shape[1:]}")

  # ----------------------------------------------------------- properties
  @property
  def max_length(self) -> int:
    return int(self.train.shape[1])

  @property
  def input_size(self) -> int:
    return int(self.train.shape[2])

  @property
  def model_kind(self) -> str:
    return "binary" if self.binarize == "dynamic" else self.kind

  def describe_preprocessing(self) -> List[str]:
    """One line per split on what the loader cut, dropped or clipped (none: ``[]``)."""
    return stroke_report.describe(self.name, self.preprocessing)

  def split(self, name: str) -> np.ndarray:
    if name not in SPLITS:
      raise ValueError(f"split must be train, valid or test, got {name!r}")
    return getattr(self, name)

  # ------------------------------------------------ what the trainer calls
  def model_arguments(self) -> Dict[str, object]:
    """Constructor arguments the data imposes on a sequence model."""
    return {"input_size": self.input_size, "sequence_kind": self.model_kind,
            "max_length": self.max_length,
            "data_mean": None if self.data_mean is None else tuple(self.data_mean),
            "data_std": None if self.data_std is None else tuple(self.data_std)}

  def _to_batch(self, x, lengths, steps=None):
    """``{x, mask}``; ``steps`` (a scalar tensor) cuts the batch to its first steps."""
    x = tf.cast(x, tf.float32)
    if steps is not None:
      x = x[:, :steps]
    mask = tf.sequence_mask(lengths, self.max_length if steps is None else steps,
                            dtype=tf.float32)
    return {"x": x, "mask": mask}

  def train_dataset(self, batch_size: int, seed: int = 0, initial_epoch: int = 0,
                    steps_per_epoch: int = 0, length_bucket_pool: int = 0):
    """Endless stream of full batches; epoch e is shuffled by the key (seed, e).

    ``steps_per_epoch`` > 0 shortens every epoch to its first that many batches.
    ``length_bucket_pool`` = k > 0: the epoch's shuffled order is cut into pools of k
    batches, each pool is sorted by length (ties keep the shuffled order), the batches
    are shuffled again, and each batch is cut to its longest sequence (``T`` varies
    from batch to batch). Every sequence is still seen once per epoch with the same
    per-sequence loss; the recurrent loop only runs fewer padded steps.
    """
    n = len(self.train)
    check_stream_arguments(n, batch_size, seed, initial_epoch, steps_per_epoch)
    pool = validate.check_count(length_bucket_pool, "length_bucket_pool", minimum=0)
    steps = n // batch_size
    if steps_per_epoch:
      steps = min(steps, int(steps_per_epoch))
    table = tf.constant(self.train)
    lengths = tf.constant(self.lengths["train"])
    dynamic = self.binarize == "dynamic"

    def epoch_batches(epoch):
      key = tf.stack([tf.constant(seed, tf.int64), epoch])
      perm = tf.argsort(tf.random.stateless_uniform([n], seed=key))[: steps * batch_size]
      if pool:
        perm = _sorted_within_pools(perm, tf.gather(lengths, perm), pool * batch_size)
      perm = tf.reshape(perm, [steps, batch_size])
      if pool:  # the batches of sorted pools in a new random order
        order = tf.argsort(tf.random.stateless_uniform(
            [steps], seed=tf.random.experimental.stateless_fold_in(key, 1)))
        perm = tf.gather(perm, order)

      def gather(step, idx):
        batch_lengths = tf.gather(lengths, idx)
        cut = tf.reduce_max(batch_lengths) if pool else None
        batch = self._to_batch(tf.gather(table, idx), batch_lengths, cut)
        if dynamic:
          noise = tf.random.stateless_uniform(
              tf.shape(batch["x"]), seed=tf.stack([epoch * 1_000_003 + seed, step]))
          batch["x"] = tf.cast(noise < batch["x"], tf.float32)
        return batch

      return tf.data.Dataset.from_tensor_slices(perm).enumerate().map(
          gather, num_parallel_calls=AUTOTUNE, deterministic=True)

    epochs = tf.data.Dataset.range(initial_epoch, np.iinfo(np.int64).max)
    return epochs.flat_map(epoch_batches).prefetch(AUTOTUNE)

  def steps_per_epoch(self, batch_size: int) -> int:
    return len(self.train) // batch_size

  def eval_dataset(self, split: str, batch_size: int, seed: int = 1234):
    """Every sequence of ``split`` once, in order (the last batch may be smaller);
    dynamic binarization draws one fixed binarization from ``seed``."""
    data = self.split(split)
    validate.check_count(batch_size, "eval batch_size")
    validate.check_count(seed, "eval seed", minimum=0)
    ds = tf.data.Dataset.from_tensor_slices((data, self.lengths[split])).batch(batch_size)
    dynamic = self.binarize == "dynamic"

    def convert(i, x, lengths):
      batch = self._to_batch(x, lengths)
      if dynamic:
        noise = tf.random.stateless_uniform(tf.shape(batch["x"]),
                                            seed=tf.stack([tf.constant(seed, tf.int64), i]))
        batch["x"] = tf.cast(noise < batch["x"], tf.float32)
      return batch

    return ds.enumerate().map(lambda i, b: convert(i, *b)).prefetch(AUTOTUNE)

  def eval_array(self, split: str) -> Dict[str, np.ndarray]:
    """``{"x": float32 [N, T, D], "mask": float32 [N, T]}`` (same binarization as
    ``eval_dataset``)."""
    parts = list(self.eval_dataset(split, 1000).as_numpy_iterator())
    return {k: np.concatenate([p[k] for p in parts]) for k in ("x", "mask")}

  def check_likelihood(self, likelihood: str) -> None:
    """The per-step output family must fit the data (pen data: separate pen-lift)."""
    allowed = OUTPUTS_FOR_KIND[self.model_kind]
    if likelihood not in allowed:
      hint = {"pen": " (section 4.1: the pen-lift bit needs its own Bernoulli)",
              "binary": "", "real": ""}[self.model_kind]
      raise ValueError(f"dataset {self.name!r} holds {self.model_kind} steps; output "
                       f"{likelihood!r} does not fit, use one of {allowed}{hint}")
    for split in SPLITS:
      if self.kind == "binary":
        check_binary(self.split(split), f"{self.name}/{split}")
      check_finite(self.split(split), f"{self.name}/{split}")


# ---------------------------------------------------------------- seq MNIST
@DATASETS.register("seq_mnist")
def load_seq_mnist(source: str = "binarized_mnist", **source_kwargs) -> SequenceSplits:
  """MNIST images of the registry dataset ``source`` as 28 steps of 28 pixels.

  ``source_kwargs`` go to that loader (``binarize='dynamic'``, ``idx_dir``, ``path``...).
  """
  images = DATASETS.get(source)(**source_kwargs)
  height, width = images.image_shape[0], int(np.prod(images.image_shape[1:]))
  rows = {s: images.split(s).reshape(-1, height, width) for s in SPLITS}
  lengths = {s: np.full(len(rows[s]), height, np.int32) for s in SPLITS}
  return SequenceSplits(name=f"seq_{images.name}", kind=images.kind,
                        binarize=images.binarize, lengths=lengths, labels=images.labels,
                        **rows)


# ------------------------------------------------------------------ strokes
def read_stroke3_npz(path: str) -> Dict[str, List[np.ndarray]]:
  """Drawings of a flat stroke-3 ``.npz``: ``{split: [int16 (L_i, 3), ...]}``.

  ``<split>_strokes`` must be real ``(P, 3)`` with finite offsets that fit float32 and a
  pen column of 0/1; ``<split>_offsets`` integer ``(N + 1,)``, rising from 0 to P, with
  N > 0 drawings.
  """
  if not os.path.exists(path):
    raise FileNotFoundError(f"stroke file not found: {path}")
  layout = "the flat stroke-3 layout ('<split>_strokes', '<split>_offsets')"
  with load_npz(path, layout) as data:
    out = {}
    for split in SPLITS:
      keys = (f"{split}_strokes", f"{split}_offsets")
      missing = [k for k in keys if k not in data.files]
      if missing:
        raise ValueError(
            f"{path} lacks {missing}: expected the flat stroke-3 layout, keys "
            "'<split>_strokes' (P, 3) [dx, dy, pen_lifted] and '<split>_offsets' (N + 1,)")
      arrays = {}
      for key in keys:
        try:
          arrays[key] = data[key]
        except (OSError, ValueError, EOFError) as e:
          raise ValueError(f"{path}:{key} is not a readable numeric array ({e}); expected "
                           f"{layout}") from e
      strokes, offsets = arrays[keys[0]], arrays[keys[1]]
      where, offsets_where = f"{path}:{keys[0]}", f"{path}:{keys[1]}"
      validate.check_dtype(strokes, where, "iuf", expected="real numbers [dx, dy, pen]")
      if strokes.ndim != 2 or strokes.shape[1] != 3:
        raise ValueError(f"{path}:{keys[0]} must be (P, 3), got {strokes.shape}")
      check_finite(strokes, where)
      validate.check_fits_float32(strokes[:, :2], f"{where} (dx, dy)")
      validate.check_binary(strokes[:, 2], f"{where} (pen column)",
                            expected="pen_lifted values 0 or 1")
      validate.check_dtype(offsets, offsets_where, "iu", expected="integer offsets")
      validate.check_shape(offsets, ("N + 1",), offsets_where)
      if len(offsets) < 2:
        raise ValueError(f"{offsets_where} holds no drawing ({offsets.tolist()}); expected "
                         f"N + 1 offsets for N >= 1 drawings of split {split!r}")
      if offsets[0] != 0 or offsets[-1] != len(strokes) or np.any(np.diff(offsets) < 0):
        raise ValueError(f"{path}:{keys[1]} must rise from 0 to {len(strokes)}")
      out[split] = [strokes[a:b] for a, b in zip(offsets[:-1], offsets[1:])]
  return out


def offset_statistics(sequences: Sequence[np.ndarray], normalize: str):
  """Per-feature ``(mean, std)`` of the (dx, dy) offsets; the pen column keeps (0, 1).

  ``scale``: one std over dx and dy together, no shift (sketch-rnn; keeps the aspect);
  ``standard``: zero mean, unit variance per axis (Graves 2013; report section 3.2);
  ``none``: identity.
  """
  xy = np.concatenate([np.asarray(s[:, :2], np.float64) for s in sequences])
  if normalize == "none":
    mean, std = np.zeros(2), np.ones(2)
  elif normalize == "scale":
    mean, std = np.zeros(2), np.full(2, xy.std())
  elif normalize == "standard":
    mean, std = xy.mean(0), xy.std(0)
  else:
    raise ValueError(f"normalize must be 'scale', 'standard' or 'none', got {normalize!r}")
  std = np.where(std > 0, std, 1.0)
  return (float(mean[0]), float(mean[1]), 0.0), (float(std[0]), float(std[1]), 1.0)


def stroke_splits(name: str, drawings: Dict[str, List[np.ndarray]], max_length: int,
                  normalize: str, long: str = "truncate", normalization=None,
                  report: Optional[dict] = None) -> SequenceSplits:
  """Cuts (or drops) drawings longer than ``max_length``, normalises and pads: the shared
  tail of the stroke and IAM loaders.

  The statistics are those of the kept training steps, or ``normalization`` (``{"mean":
  [3], "std": [3]}``, e.g. a run's ``data.json``) when given. What the cut did is counted
  per split in ``preprocessing`` (``stroke_report``), which ``report`` extends.
  """
  if long not in ("truncate", "drop"):
    raise ValueError(f"long must be 'truncate' or 'drop', got {long!r}")
  max_length = validate.check_count(max_length, f"{name} max_length")
  kept, counts = {}, {}
  for split, seqs in drawings.items():
    seqs = [np.asarray(s, np.float32) for s in seqs if len(s) > 0]
    counts[split] = stroke_report.length_counts(seqs, max_length)
    if long == "drop":
      seqs = [s for s in seqs if len(s) <= max_length]
    else:
      seqs = [s[:max_length] for s in seqs]
    if not seqs:
      raise ValueError(f"{name}/{split} has no drawing of length 1..{max_length}")
    kept[split] = seqs
  if normalization is None:
    mean, std = offset_statistics(kept["train"], normalize)
  else:
    mean, std = stroke_report.given_statistics(normalization, f"{name} normalization")
  arrays, lengths = {}, {}
  for split, seqs in kept.items():
    seqs = [(s - np.float32(mean)) / np.float32(std) for s in seqs]
    arrays[split], lengths[split] = pad_sequences(seqs, max_length)
  preprocessing = stroke_report.merge(
      {"max_length": max_length, "long": long, "splits": counts, "normalize": normalize,
       "statistics": "given" if normalization is not None else "train split"}, report)
  return SequenceSplits(name=name, kind="pen", lengths=lengths, data_mean=mean,
                        data_std=std, preprocessing=preprocessing, **arrays)


@DATASETS.register("strokes")
def load_strokes(path: str = "", max_length: int = 250, normalize: str = "scale",
                 long: str = "truncate", normalization=None, **unused) -> SequenceSplits:
  """Stroke-3 drawings from a user-given flat ``.npz`` (e.g. sketch-rnn's aaron_sheep);
  ``normalization`` replaces the training statistics (a restored run's)."""
  del unused
  if not path:
    raise ValueError("dataset 'strokes' needs path=<file.npz> (flat stroke-3 layout)")
  name = os.path.splitext(os.path.basename(path))[0]
  return stroke_splits(name, read_stroke3_npz(path), max_length, normalize, long,
                       normalization)
