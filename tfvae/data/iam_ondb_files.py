"""Which IAM-OnDB ``lineStrokes`` files exist and which split each belongs to.

``scan_line_files`` walks each real folder once (a symlinked folder is followed once; a
link loop or a second link to the same folder adds nothing) and keeps one path per real
file, so duplicates are never counted twice.

Splits come from id lists (``split_files``), from a folder of the official lists
(``split_dir``) or, without lists, from a stable hash of the form id. The official task
has four lists; ``OFFICIAL_SPLIT_MAP`` says where each goes by default:

* ``trainset``  -> ``train``;
* ``testset_v`` -> ``valid`` (the first validation set);
* ``testset_t`` -> ``valid`` (the second validation set);
* ``testset_f`` -> ``test`` (the final test set, held out).

``split_map`` changes that, e.g. ``testset_t="train"`` for more training lines, or
``"none"`` to leave a list out.
"""
import os
import zlib
from typing import Dict, List, Mapping, Optional, Tuple

from tfvae.data import validate

SPLITS = ("train", "valid", "test")
OFFICIAL_LISTS = ("trainset", "testset_v", "testset_t", "testset_f")
OFFICIAL_SPLIT_MAP = {"trainset": "train", "testset_v": "valid", "testset_t": "valid",
                      "testset_f": "test"}


def scan_line_files(directory: str) -> Tuple[List[str], int]:
  """``(files, duplicates)``: every ``*.xml`` under ``directory`` (or its ``lineStrokes/``)
  once per real file, sorted, and how many other paths (links to a found file or to a
  walked folder) were skipped.

  Real folders are walked first, then the symlinked folders found in them (each real
  folder once), so a file keeps its link-free path.
  """
  if not os.path.isdir(directory):
    raise FileNotFoundError(f"IAM-OnDB directory does not exist: {directory}")
  inner = os.path.join(directory, "lineStrokes")
  root = inner if os.path.isdir(inner) else directory
  seen_dirs, found, queue, skipped = set(), {}, [root], 0
  while queue:
    top = queue.pop(0)
    for folder, dirs, names in os.walk(top):  # does not enter symlinked folders
      real = os.path.realpath(folder)
      if real in seen_dirs:  # a link loop, or a second path to a walked folder
        dirs[:] = []
        skipped += 1
        continue
      seen_dirs.add(real)
      dirs.sort()
      queue += [os.path.join(folder, d) for d in dirs if os.path.islink(os.path.join(folder, d))]
      for name in sorted(n for n in names if n.endswith(".xml")):
        path = os.path.join(folder, name)
        if os.path.isfile(path):  # broken links are skipped
          found.setdefault(os.path.realpath(path), []).append(path)
  if not found:
    raise FileNotFoundError(f"no lineStrokes XML files under {root}")
  real_root = os.path.realpath(root)
  files = sorted(_preferred(paths, root, real_root) for paths in found.values())
  return files, skipped + sum(len(paths) - 1 for paths in found.values())


def _preferred(paths: List[str], root: str, real_root: str) -> str:
  """Of several paths to one file, the one without a link below ``root`` (else the first)."""
  for path in paths:
    if os.path.realpath(path) == os.path.join(real_root, os.path.relpath(path, root)):
      return path
  return paths[0]


def find_line_files(directory: str) -> List[str]:
  """Every ``*.xml`` under ``directory`` (or under its ``lineStrokes/``), once, sorted."""
  return scan_line_files(directory)[0]


def form_id(path: str) -> str:
  """``a01-000u`` of ``.../a01-000u-01.xml``."""
  stem = os.path.splitext(os.path.basename(path))[0]
  return stem.rsplit("-", 1)[0] if stem.count("-") >= 2 else stem


def split_lists(split_files: Optional[Mapping[str, str]] = None, split_dir: str = "",
                split_map: Optional[Mapping[str, str]] = None) -> Dict[str, List[str]]:
  """``{split: [list file, ...]}`` of the given settings (empty: hash splits).

  ``split_files`` keys are split names or official list names (``""`` values are
  unused); ``split_dir`` adds each ``<official name>.txt`` found there; official lists go
  to the split that ``split_map`` names (over ``OFFICIAL_SPLIT_MAP``).
  """
  mapping = dict(OFFICIAL_SPLIT_MAP)
  for key, value in dict(split_map or {}).items():
    if key not in OFFICIAL_LISTS:
      raise ValueError(f"IAM-OnDB split_map keys must be official lists {OFFICIAL_LISTS}, "
                       f"got {key!r}")
    if value not in SPLITS + ("none",):
      raise ValueError(f"IAM-OnDB split_map[{key!r}] must be one of {SPLITS + ('none',)}, "
                       f"got {value!r}")
    mapping[key] = value
  out = {s: [] for s in SPLITS}
  given = {k: v for k, v in dict(split_files or {}).items() if v not in ("", None)}
  if split_dir:
    if not os.path.isdir(split_dir):
      raise FileNotFoundError(f"IAM-OnDB split_dir does not exist: {split_dir} (expected a "
                              f"folder holding {', '.join(n + '.txt' for n in OFFICIAL_LISTS)})")
    present = [n for n in OFFICIAL_LISTS if os.path.isfile(os.path.join(split_dir, n + ".txt"))]
    if "trainset" not in present:
      raise FileNotFoundError(f"IAM-OnDB split_dir {split_dir} has no trainset.txt (expected "
                              f"the official lists {', '.join(OFFICIAL_LISTS)})")
    for name in present:
      given.setdefault(name, os.path.join(split_dir, name + ".txt"))
  for key, path in given.items():
    if key in SPLITS:
      out[key].append(str(path))
    elif key in OFFICIAL_LISTS:
      if mapping[key] != "none":
        out[mapping[key]].append(str(path))
    else:
      raise ValueError(f"split_files keys must be {SPLITS} or the official lists "
                       f"{OFFICIAL_LISTS}, got {key!r}")
  return out


def read_id_list(path: str, split: str) -> Tuple[str, ...]:
  """The ids of one list file (one per line, blank lines skipped)."""
  if not os.path.isfile(str(path)):
    raise FileNotFoundError(f"IAM-OnDB split_files[{split!r}] not found: {path} "
                            "(expected a text file of form ids, one per line)")
  try:
    with open(path, encoding="utf-8") as f:
      ids = tuple(line.strip() for line in f if line.strip())
  except (OSError, UnicodeDecodeError) as e:
    raise ValueError(f"IAM-OnDB split_files[{split!r}] {path} is not a readable text file "
                     f"({e}); expected form ids, one per line") from e
  if not ids:
    raise ValueError(f"IAM-OnDB split_files[{split!r}] {path} lists no form id")
  return ids


def assign_splits(files: List[str], split_files: Optional[Mapping[str, str]] = None,
                  valid_fraction: float = 0.05, test_fraction: float = 0.05,
                  split_dir: str = "", split_map: Optional[Mapping[str, str]] = None):
  """``{split: [file, ...]}`` from id lists, or by a stable hash of the form id.

  With lists, a line belongs to the split whose list holds a prefix of its file name;
  lines in no list are left out (``unlisted_files`` counts them), a line in the lists
  of two splits is an error.
  """
  lists = split_lists(split_files, split_dir, split_map)
  out = {s: [] for s in SPLITS}
  if any(lists.values()):
    ids = {split: tuple(i for path in paths for i in read_id_list(path, split))
           for split, paths in lists.items() if paths}
    for path in files:
      stem = os.path.splitext(os.path.basename(path))[0]
      hits = [split for split, prefixes in ids.items() if stem.startswith(prefixes)]
      if len(hits) > 1:
        raise ValueError(f"IAM-OnDB line {path} is listed for splits {hits}; each line "
                         "must be in the lists of one split")
      if hits:
        out[hits[0]].append(path)
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


def unlisted_files(files: List[str], assigned: Dict[str, List[str]]) -> int:
  """How many of ``files`` no split received."""
  return len(files) - sum(len(v) for v in assigned.values())
