"""What the stroke preprocessing changed, counted per split and said in one line each.

A report is a JSON-ready dict: ``max_length``, ``long`` (``truncate``/``drop``), optionally
``clip``, and ``splits`` = ``{split: {"sequences", "longer", "steps", "steps_over",
"clipped_steps"}}``: sequences longer than ``max_length`` (truncated or dropped), their
steps beyond it, and steps whose dx or dy was clipped. Loaders may add ``files``.
"""
from typing import List, Optional, Sequence

import numpy as np


def length_counts(sequences: Sequence[np.ndarray], max_length: int) -> dict:
  """How many sequences (and steps) lie beyond ``max_length``."""
  lengths = np.array([len(s) for s in sequences], np.int64)
  return {"sequences": int(len(lengths)), "longer": int((lengths > max_length).sum()),
          "steps": int(lengths.sum()),
          "steps_over": int(np.maximum(lengths - max_length, 0).sum())}


def clipped_steps(steps: np.ndarray, clip: float) -> int:
  """Steps ``[dx, dy, ...]`` with ``|dx|`` or ``|dy|`` above ``clip``."""
  return int((np.abs(np.asarray(steps)[:, :2]) > clip).any(-1).sum())


def given_statistics(normalization, where: str):
  """``(mean, std)`` tuples of 3 from ``{"mean": [3], "std": [3]}`` (finite, std > 0)."""
  try:
    mean = np.asarray(normalization["mean"], np.float64)
    std = np.asarray(normalization["std"], np.float64)
  except (KeyError, TypeError, ValueError) as e:
    raise ValueError(f"{where} must be {{'mean': [3 numbers], 'std': [3 numbers]}}, got "
                     f"{normalization!r}") from e
  if mean.shape != (3,) or std.shape != (3,) or not np.all(np.isfinite(mean)) or not (
      np.all(np.isfinite(std)) and np.all(std > 0)):
    raise ValueError(f"{where} needs 3 finite means and 3 finite stds > 0 (dx, dy, pen), "
                     f"got mean={mean.tolist()}, std={std.tolist()}")
  return tuple(float(v) for v in mean), tuple(float(v) for v in std)


def merge(report: dict, extra: Optional[dict]) -> dict:
  """``report`` with the keys of ``extra``; per-split counts are joined."""
  out = dict(report)
  for key, value in (extra or {}).items():
    if key == "splits":
      out["splits"] = {s: {**out.get("splits", {}).get(s, {}), **value.get(s, {})}
                       for s in set(out.get("splits", {})) | set(value)}
    else:
      out[key] = value
  return out


def _share(part: int, whole: int) -> str:
  return f"{100.0 * part / whole:.1f} %" if whole else "0 %"


def describe(name: str, report: Optional[dict]) -> List[str]:
  """One line per split, e.g. ``iam_ondb/train: 9,000 sequences; 6,840 (76.0 %) longer
  than max_length=500, truncated (2,100,000 of 5,000,000 steps cut); 1,234 steps (0.0 %)
  with an offset clipped to +-300``."""
  if not report:
    return []
  lines = []
  action = {"truncate": "truncated", "drop": "dropped"}[report["long"]]
  for split in ("train", "valid", "test"):
    c = report.get("splits", {}).get(split)
    if not c:
      continue
    line = (f"{name}/{split}: {c['sequences']:,} sequences; {c['longer']:,} "
            f"({_share(c['longer'], c['sequences'])}) longer than max_length="
            f"{report['max_length']}, {action} ({c['steps_over']:,} of {c['steps']:,} "
            "steps lost)")
    if "clipped_steps" in c:
      line += (f"; {c['clipped_steps']:,} steps ({_share(c['clipped_steps'], c['steps'])})"
               f" with dx or dy clipped to +-{report['clip']:g}")
    lines.append(line)
  files = report.get("files")
  if files:
    lines.append(f"{name}: {files['found']:,} files ({files['duplicates']:,} duplicate "
                 f"paths skipped, {files['unlisted']:,} in no split list); "
                 f"{files['parsed']:,} parsed, {files['cached']:,} from the cache")
  return lines
