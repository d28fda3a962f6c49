"""In-memory dataset splits and the checks every loader shares."""
import dataclasses
import zipfile
from typing import Dict, Optional, Tuple

import numpy as np

from tfvae.data import pipeline
from tfvae.data import validate
from tfvae.data.validate import check_finite  # noqa: F401  (re-exported)

KINDS = ("binary", "real")
SPLITS = ("train", "valid", "test")


@dataclasses.dataclass
class DatasetSplits:
  """Train/valid/test arrays of flat examples plus what models need to know.

  Arrays are ``uint8`` in {0, 1} for ``kind == "binary"`` and ``float32`` in [0, 1] for
  ``kind == "real"``; ``binarize == "dynamic"`` asks the pipeline to resample a
  Bernoulli image from the real one every epoch (Salakhutdinov & Murray 2008).
  """
  name: str
  train: np.ndarray
  valid: np.ndarray
  test: np.ndarray
  kind: str
  image_shape: Tuple[int, ...]
  binarize: str = "none"
  labels: Optional[Dict[str, np.ndarray]] = None

  def __post_init__(self):
    if self.kind not in KINDS:
      raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
    if self.binarize not in ("none", "dynamic"):
      raise ValueError(f"binarize must be 'none' or 'dynamic', got {self.binarize!r}")
    if not self.image_shape or any(
        isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1
        for d in self.image_shape):
      raise ValueError(f"{self.name}: image_shape must be positive integers, got "
                       f"{self.image_shape!r}")
    for split in SPLITS:
      data, where = self.split(split), f"{self.name}/{split}"
      if not isinstance(data, np.ndarray):
        raise ValueError(f"{where} must be a numpy array, got {type(data).__name__}")
      validate.check_dtype(data, where)
      if data.ndim < 2 or int(np.prod(data.shape[1:])) != self.event_size:
        raise ValueError(f"{where} has shape {data.shape}, expected (N, {self.event_size}) "
                         f"examples of image_shape {tuple(self.image_shape)}")
      validate.check_nonempty(data, where)
      if self.labels and split in self.labels:
        validate.check_same_length(self.labels[split], f"{self.name} {split} labels",
                                   data, where)

  @property
  def event_size(self) -> int:
    return int(np.prod(self.image_shape))

  @property
  def model_kind(self) -> str:
    """What the model sees: dynamic binarization turns real pixels into binary."""
    return "binary" if self.binarize == "dynamic" else self.kind

  # ------------------------------------------------ what the trainer calls
  def model_arguments(self) -> Dict[str, object]:
    """Constructor arguments the data imposes on a model (here: flat input size)."""
    return {"input_size": self.event_size}

  def train_dataset(self, batch_size: int, seed: int = 0, initial_epoch: int = 0,
                    steps_per_epoch: int = 0):
    return pipeline.train_dataset(self, batch_size, seed, initial_epoch, steps_per_epoch)

  def steps_per_epoch(self, batch_size: int) -> int:
    return len(self.train) // batch_size

  def eval_dataset(self, split: str, batch_size: int):
    return pipeline.eval_dataset(self, split, batch_size)

  def eval_array(self, split: str) -> np.ndarray:
    """The split as float32 (fixed binarization if dynamic), for evaluation."""
    return pipeline.eval_array(self, split)

  def check_likelihood(self, likelihood: str) -> None:
    check_likelihood(self, likelihood)

  def split(self, name: str) -> np.ndarray:
    if name not in ("train", "valid", "test"):
      raise ValueError(f"split must be train, valid or test, got {name!r}")
    return getattr(self, name)


def check_binary(array: np.ndarray, what: str) -> None:
  """Raises ``ValueError`` unless every value of ``array`` is 0 or 1."""
  check_finite(array, what)
  values = np.unique(array[: min(len(array), 5000)]) if array.ndim else np.unique(array)
  bad = values[(values != 0) & (values != 1)]
  if bad.size == 0 and len(array) > 5000:  # full check only if the sample passed
    bad_mask = (array != 0) & (array != 1)
    bad = np.unique(array[bad_mask])
  if bad.size:
    raise ValueError(
        f"{what} has non-binary values (e.g. {bad[:5].tolist()}); a Bernoulli "
        "likelihood needs data in {0, 1}: use a 'gaussian' likelihood for real "
        "data, or binarize='dynamic'")


def check_likelihood(splits: DatasetSplits, likelihood: str) -> None:
  """The observation model must match the data: Bernoulli needs binary pixels."""
  if likelihood == "bernoulli":
    if splits.model_kind != "binary":
      raise ValueError(
          f"dataset {splits.name!r} holds real values in [0, 1]; a 'bernoulli' "
          "likelihood needs binary data: set dataset.binarize='dynamic' or "
          "model.likelihood='gaussian'")
    for split in ("train", "valid", "test"):
      if splits.kind == "binary":
        check_binary(splits.split(split), f"{splits.name}/{split}")
  for split in ("train", "valid", "test"):
    check_finite(splits.split(split), f"{splits.name}/{split}")


def load_npz(path: str, expected: str):
  """``np.load`` of an ``.npz``; a ``ValueError`` naming ``path`` and the ``expected``
  layout if it is not a readable npz (corrupt, truncated, another format)."""
  try:
    data = np.load(path, allow_pickle=False)
  except (OSError, ValueError, EOFError, zipfile.BadZipFile) as e:
    raise ValueError(f"{path} is not a readable .npz file ({e}); expected {expected}") from e
  if not isinstance(data, np.lib.npyio.NpzFile):
    raise ValueError(f"{path} holds a single array, not an .npz archive; expected {expected}")
  return data
