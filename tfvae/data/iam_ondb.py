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

The database is registration-only, so the files come from a user-given directory
(``tfvae.data.iam_ondb_files``: symlink-safe search, split lists, the official four
lists). Parsed files are cached (``tfvae.data.parse_cache``, setting ``cache_dir``), and
what the clip and the cut at ``max_length`` changed is counted in the result's
``preprocessing`` (``tfvae.data.stroke_report``). docs/data.md describes the settings.
"""
import os
import xml.etree.ElementTree as ElementTree

import numpy as np

from tfvae.data import parse_cache, stroke_report, validate
from tfvae.data.iam_ondb_files import (  # noqa: F401  (find_line_files, form_id re-exported)
    assign_splits, find_line_files, form_id, scan_line_files, unlisted_files)
from tfvae.data.sequences import SPLITS, stroke_splits
from tfvae.registry import DATASETS

#: Bump when ``read_line_xml`` changes what it returns: parse caches of older versions
#: are then ignored.
READER_VERSION = 1


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


@DATASETS.register("iam_ondb")
def load_iam_ondb(path: str = "", max_length: int = 500, clip: float = 300.0,
                  normalize: str = "standard", split_files=None,
                  valid_fraction: float = 0.05, test_fraction: float = 0.05,
                  long: str = "truncate", split_dir: str = "", split_map=None,
                  cache_dir: str = "", normalization=None, **unused):
  """IAM-OnDB lines from ``path`` as normalised, masked stroke-3 sequences.

  ``preprocessing`` of the result counts the lines cut (or dropped) at ``max_length`` and
  the steps clipped at ``clip``, per split; ``normalization`` replaces the training
  statistics (a restored run's).
  """
  del unused
  if not path:
    raise ValueError("dataset 'iam_ondb' needs path=<directory holding lineStrokes/>")
  validate.check_count(max_length, "IAM-OnDB max_length")
  validate.check_number(clip, "IAM-OnDB clip", low=0.0, low_open=True)
  folder = parse_cache.cache_folder(cache_dir)
  files, duplicates = scan_line_files(path)
  assigned = assign_splits(files, split_files, valid_fraction, test_fraction, split_dir,
                           split_map)
  for split, chosen in assigned.items():
    if not chosen:
      raise ValueError(f"IAM-OnDB split {split!r} is empty ({path}); give split lists "
                       "that name its lines, or more lines")
  chosen = [f for s in SPLITS for f in assigned[s]]
  key = f"iam_ondb reader {READER_VERSION} {os.path.realpath(path)}"
  # read_line_xml is looked up here, so a test can count its calls.
  points, cache = parse_cache.parse_files(chosen, lambda f: read_line_xml(f), folder,
                                          "iam_ondb", key)
  by_file = dict(zip(chosen, points))
  drawings, clipped = {}, {}
  for split in SPLITS:
    drawings[split] = [to_offsets(by_file[f], np.inf) for f in assigned[split]]
    clipped[split] = {"clipped_steps": sum(stroke_report.clipped_steps(d, clip)
                                           for d in drawings[split])}
    for d in drawings[split]:
      np.clip(d[:, :2], -clip, clip, out=d[:, :2])
  report = {"clip": float(clip), "splits": clipped,
            "files": {"found": len(files), "duplicates": duplicates,
                      "unlisted": unlisted_files(files, assigned),
                      "parsed": cache["parsed"], "cached": cache["cached"]}}
  return stroke_splits("iam_ondb", drawings, max_length, normalize, long, normalization,
                       report)
