"""IAM On-Line Handwriting Database reader (official ``lineStrokes/**.xml`` files).

Each XML file is one text line::

  <WhiteboardCaptureSession> ... <StrokeSet>
    <Stroke start_time=".." end_time=".."> <Point x="1073" y="1114" time=".."/> ... </Stroke>
  ... </StrokeSet></WhiteboardCaptureSession>

in absolute tablet coordinates; the pen lifts after the last point of every ``<Stroke>``.
Preprocessing follows the VRNN report, section 3.2 (after Graves 2013): absolute positions
become relative steps starting at (0, 0), each step is clipped to [-300, 300], offsets are
normalised to zero mean and unit variance per axis with statistics of the training split
(kept in ``SequenceSplits.data_mean/data_std``), and lines are cut to ``max_length`` steps
with an explicit mask instead of the padding constant 500.

The database is registration-only, so the files come from a user-given directory.
Splits: ``split_files={"train": ..., "valid": ..., "test": ...}`` names text files of form
ids (e.g. the official ``trainset.txt``; a line belongs to a split when its file name
starts with a listed id), otherwise forms are assigned by a stable hash of the form id.
"""
import glob
import os
import xml.etree.ElementTree as ElementTree
import zlib
from typing import Dict, List, Optional

import numpy as np

from tfvae.data import validate
from tfvae.data.sequences import SPLITS, stroke_splits
from tfvae.registry import DATASETS


def _coordinate(point, name: str, where: str) -> float:
  """The ``name`` attribute of a ``<Point>`` as a float that fits float32."""
  text = point.get(name)
  if text is None:
    raise ValueError(f"{where} has no {name!r} attribute; expected <Point x=.. y=..>")
  try:
    value = float(text)
  except ValueError as e:
    raise ValueError(f"{where} has {name}={text!r}, expected a number") from e
  if not np.isfinite(value) or abs(value) > validate.FLOAT32_MAX:
    raise ValueError(f"{where} has {name}={text!r}, expected a finite coordinate that "
                     "fits float32")
  return value


def read_line_xml(path: str) -> np.ndarray:
  """Absolute points of one line: ``float32 [P, 3]`` rows ``[x, y, pen_lifted_after]``.

  Unreadable or malformed XML, and points with a missing, non-numeric, NaN, Inf or
  float32-overflowing coordinate, raise a ``ValueError`` naming the file (and point).
  """
  try:
    root = ElementTree.parse(path).getroot()
  except ElementTree.ParseError as e:
    raise ValueError(f"{path} is not well-formed XML ({e}); expected an IAM-OnDB "
                     "lineStrokes file") from e
  except OSError as e:
    raise ValueError(f"{path} cannot be read ({e}); expected an IAM-OnDB lineStrokes "
                     "file") from e
  stroke_set = root.find(".//StrokeSet")
  if stroke_set is None:
    raise ValueError(f"{path}: no <StrokeSet> element")
  rows = []
  for s, stroke in enumerate(stroke_set.iter("Stroke")):
    points = []
    for p, point in enumerate(stroke.iter("Point")):
      where = f"{path}: <Point> {p} of <Stroke> {s}"
      points.append((_coordinate(point, "x", where), _coordinate(point, "y", where)))
    for i, (x, y) in enumerate(points):
      rows.append((x, y, 1.0 if i == len(points) - 1 else 0.0))
  if not rows:
    raise ValueError(f"{path}: no <Point> in any <Stroke>")
  return np.asarray(rows, np.float32)


def to_offsets(points: np.ndarray, clip: float = 300.0) -> np.ndarray:
  """Absolute ``[x, y, pen]`` -> ``[dx, dy, pen]``: the first step is (0, 0), then
  ``p_t - p_{t-1}``, each clipped to ``[-clip, clip]``."""
  out = np.array(points, np.float32, copy=True)
  out[0, :2] = 0.0
  out[1:, :2] = np.diff(points[:, :2], axis=0)
  out[:, :2] = np.clip(out[:, :2], -clip, clip)
  return out


def find_line_files(directory: str) -> List[str]:
  """Every ``*.xml`` under ``directory`` (or under its ``lineStrokes/``), sorted."""
  if not os.path.isdir(directory):
    raise FileNotFoundError(f"IAM-OnDB directory does not exist: {directory}")
  inner = os.path.join(directory, "lineStrokes")
  root = inner if os.path.isdir(inner) else directory
  files = sorted(glob.glob(os.path.join(root, "**", "*.xml"), recursive=True))
  if not files:
    raise FileNotFoundError(f"no lineStrokes XML files under {root}")
  return files


def form_id(path: str) -> str:
  """``a01-000u`` of ``.../a01-000u-01.xml``."""
  stem = os.path.splitext(os.path.basename(path))[0]
  return stem.rsplit("-", 1)[0] if stem.count("-") >= 2 else stem


def assign_splits(files: List[str], split_files: Optional[Dict[str, str]] = None,
                  valid_fraction: float = 0.05, test_fraction: float = 0.05):
  """``{split: [file, ...]}`` from id lists, or by a stable hash of the form id."""
  out = {s: [] for s in SPLITS}
  if split_files:
    ids = {}
    for split, list_path in split_files.items():
      if split not in SPLITS:
        raise ValueError(f"split_files keys must be {SPLITS}, got {split!r}")
      if not os.path.isfile(str(list_path)):
        raise FileNotFoundError(f"IAM-OnDB split_files[{split!r}] not found: {list_path} "
                                "(expected a text file of form ids, one per line)")
      try:
        with open(list_path, encoding="utf-8") as f:
          ids[split] = tuple(line.strip() for line in f if line.strip())
      except (OSError, UnicodeDecodeError) as e:
        raise ValueError(f"IAM-OnDB split_files[{split!r}] {list_path} is not a readable "
                         f"text file ({e}); expected form ids, one per line") from e
      if not ids[split]:
        raise ValueError(f"IAM-OnDB split_files[{split!r}] {list_path} lists no form id")
    for path in files:
      stem = os.path.splitext(os.path.basename(path))[0]
      for split, prefixes in ids.items():
        if stem.startswith(prefixes):
          out[split].append(path)
          break
    return out
  validate.check_number(valid_fraction, "IAM-OnDB valid_fraction", 0.0, 1.0)
  validate.check_number(test_fraction, "IAM-OnDB test_fraction", 0.0, 1.0)
  if valid_fraction + test_fraction >= 1.0:
    raise ValueError(f"IAM-OnDB valid_fraction + test_fraction must be < 1, got "
                     f"{valid_fraction} + {test_fraction}")
  for path in files:
    u = (zlib.crc32(form_id(path).encode()) % 10_000) / 10_000.0
    split = "test" if u < test_fraction else (
        "valid" if u < test_fraction + valid_fraction else "train")
    out[split].append(path)
  return out


@DATASETS.register("iam_ondb")
def load_iam_ondb(path: str = "", max_length: int = 500, clip: float = 300.0,
                  normalize: str = "standard", split_files=None,
                  valid_fraction: float = 0.05, test_fraction: float = 0.05,
                  long: str = "truncate", **unused):
  """IAM-OnDB lines from ``path`` as normalised, masked stroke-3 sequences."""
  del unused
  if not path:
    raise ValueError("dataset 'iam_ondb' needs path=<directory holding lineStrokes/>")
  validate.check_count(max_length, "IAM-OnDB max_length")
  validate.check_number(clip, "IAM-OnDB clip", low=0.0, low_open=True)
  files = assign_splits(find_line_files(path), split_files, valid_fraction, test_fraction)
  for split, chosen in files.items():
    if not chosen:
      raise ValueError(f"IAM-OnDB split {split!r} is empty ({path}); give split_files or "
                       "more lines")
  drawings = {s: [to_offsets(read_line_xml(f), clip) for f in files[s]] for s in SPLITS}
  return stroke_splits("iam_ondb", drawings, max_length, normalize, long)
