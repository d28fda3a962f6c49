"""What a run keeps of its sequence data: ``<workdir>/data.json``.

Written by the trainer beside ``config.json``: the constructor arguments the data gave
the model (``input_size``, ``sequence_kind``, ``max_length``), the normalisation
(``mean``/``std`` per feature, ``null`` when none) and the preprocessing report. On
restore the loader applies the stored normalisation instead of recomputing it from the
data folder (``loader_overrides``); when the data is gone, ``StoredSequenceData`` stands
in for it, so that sampling and export need no data (evaluation still does).
"""
import json
import os
from typing import Dict, Optional

import numpy as np

from tfvae.data.sequences import OUTPUTS_FOR_KIND, SequenceSplits

FILE = "data.json"
FORMAT = 1


def data_record(splits) -> Optional[dict]:
  """The record of ``splits`` (``None`` for data other than sequences)."""
  if not isinstance(splits, SequenceSplits):
    return None
  args = splits.model_arguments()
  normalization = None
  if splits.data_mean is not None:
    normalization = {"mean": list(splits.data_mean), "std": list(splits.data_std)}
  return {"format": FORMAT, "dataset": splits.name, "kind": splits.kind,
          "model_kind": splits.model_kind, "normalization": normalization,
          "model_arguments": {k: (list(v) if isinstance(v, tuple) else v)
                              for k, v in args.items()},
          "sizes": {s: int(len(splits.split(s))) for s in ("train", "valid", "test")},
          "preprocessing": splits.preprocessing}


def write_data_record(splits, workdir: str) -> Optional[str]:
  """Writes ``data.json`` for sequence data (atomically); returns its path or ``None``."""
  record = data_record(splits)
  if record is None:
    return None
  path = os.path.join(workdir, FILE)
  tmp = path + ".tmp"
  with open(tmp, "w") as f:
    json.dump(record, f, indent=2)
  os.replace(tmp, path)
  return path


def read_data_record(workdir: str) -> Optional[dict]:
  """The record in ``workdir`` (``None`` if there is none)."""
  path = os.path.join(workdir, FILE)
  if not os.path.exists(path):
    return None
  try:
    with open(path) as f:
      record = json.load(f)
  except (OSError, ValueError) as e:
    raise ValueError(f"{path} is not readable JSON ({e}); delete it to recompute the "
                     "normalisation from the data") from e
  if not isinstance(record, dict) or record.get("format") != FORMAT:
    raise ValueError(f"{path} is not a tfvae data record of format {FORMAT}")
  return record


def loader_overrides(record: Optional[dict]) -> Dict[str, object]:
  """Loader arguments that make a reload match the run: its stored normalisation."""
  if record and record.get("normalization"):
    return {"normalization": record["normalization"]}
  return {}


class StoredSequenceData:
  """Stands in for ``SequenceSplits`` when only the record is left: enough to build and
  restore the model (and sample from it); anything that needs examples raises."""

  data_free = True

  def __init__(self, record: dict, reason: str = ""):
    self.record = record
    self.name = record["dataset"]
    self.kind = record["kind"]
    self.model_kind = record["model_kind"]
    self.reason = reason
    args = record["model_arguments"]
    self.max_length, self.input_size = int(args["max_length"]), int(args["input_size"])
    self.data_mean = tuple(args["data_mean"]) if args.get("data_mean") else None
    self.data_std = tuple(args["data_std"]) if args.get("data_std") else None
    self.preprocessing = record.get("preprocessing")

  def model_arguments(self) -> Dict[str, object]:
    return {k: (tuple(v) if isinstance(v, list) else v)
            for k, v in self.record["model_arguments"].items()}

  def steps_per_epoch(self, batch_size: int) -> int:
    return int(self.record["sizes"]["train"]) // batch_size

  def example_batch(self) -> Dict[str, np.ndarray]:
    """One all-padding batch: builds the layers and leaves no priming example."""
    return {"x": np.zeros((1, self.max_length, self.input_size), np.float32),
            "mask": np.zeros((1, self.max_length), np.float32)}

  def check_likelihood(self, likelihood: str) -> None:
    allowed = OUTPUTS_FOR_KIND[self.model_kind]
    if likelihood not in allowed:
      raise ValueError(f"dataset {self.name!r} holds {self.model_kind} steps; output "
                       f"{likelihood!r} does not fit, use one of {allowed}")

  def describe_preprocessing(self):
    return []

  def _missing(self, *_, **__):
    raise FileNotFoundError(f"the data of {self.name!r} is not available ({self.reason}); "
                            "sampling and export work from the run's data.json, but this "
                            "needs the examples: give the data folder again")

  split = eval_dataset = eval_array = train_dataset = _missing
