"""A cache of parsed files: what a slow reader made of each file, kept in one ``.npz``.

An entry is reused while its file keeps its real path, size and modification time (and
the cache's ``key``, which names the reader and its version); other files are parsed
and the cache is rewritten (atomically), without the entries of deleted files.

Location: the ``cache_dir`` setting; ``""`` is ``$TFVAE_CACHE_DIR``, else
``$XDG_CACHE_HOME/tfvae``, else ``~/.cache/tfvae``; ``"none"`` turns the cache off. A
cache that cannot be read is rebuilt, one that cannot be written is skipped with a
warning: the cache never changes what is loaded.
"""
import hashlib
import os
import warnings
import zipfile
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np

ENV = "TFVAE_CACHE_DIR"
OFF = ("none", "off")


def cache_folder(setting: Optional[str] = "") -> Optional[str]:
  """The folder that ``setting`` names (``None``: no cache)."""
  if setting is None or str(setting).lower() in OFF:
    return None
  if not isinstance(setting, str):
    raise ValueError(f"cache_dir must be a folder path, '' (default) or 'none', got "
                     f"{setting!r}")
  if setting:
    return os.path.expanduser(setting)
  if os.environ.get(ENV):
    return os.path.expanduser(os.environ[ENV])
  base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
  return os.path.join(base, "tfvae")


def cache_path(folder: str, name: str, key: str) -> str:
  """``<folder>/<name>-<hash of key>.npz``."""
  digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
  return os.path.join(folder, f"{name}-{digest}.npz")


def _stamp(path: str) -> Tuple[str, int, int]:
  info = os.stat(path)
  return os.path.realpath(path), int(info.st_size), int(info.st_mtime_ns)


def _read(path: str, key: str) -> Dict[Tuple[str, int, int], np.ndarray]:
  """``{(real path, size, mtime): array}`` of a cache file; ``{}`` if absent or unreadable."""
  if not os.path.exists(path):
    return {}
  try:
    with np.load(path, allow_pickle=False) as data:
      if str(data["key"]) != key:
        return {}
      rows, offsets = data["rows"], data["offsets"]
      stamps = zip(data["paths"].tolist(), data["sizes"].tolist(), data["mtimes"].tolist())
      return {s: rows[a:b] for s, a, b in zip(stamps, offsets[:-1], offsets[1:])}
  except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as e:
    warnings.warn(f"parse cache {path} is unreadable ({e}); parsing again")
    return {}


def _write(path: str, key: str, stamps: Sequence[Tuple[str, int, int]],
           arrays: Sequence[np.ndarray]) -> None:
  tmp = f"{path}.tmp-{os.getpid()}"
  try:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(tmp, "wb") as f:
      np.savez(f, key=np.array(key), paths=np.array([s[0] for s in stamps]),
               sizes=np.array([s[1] for s in stamps], np.int64),
               mtimes=np.array([s[2] for s in stamps], np.int64),
               offsets=np.cumsum([0] + [len(a) for a in arrays]).astype(np.int64),
               rows=np.concatenate(arrays))
    os.replace(tmp, path)
  except OSError as e:
    warnings.warn(f"cannot write the parse cache {path} ({e.strerror or e}); set "
                  "dataset.cache_dir to a writable folder, or 'none'")
  finally:
    if os.path.exists(tmp):
      os.remove(tmp)


def parse_files(files: Sequence[str], reader: Callable[[str], np.ndarray],
                folder: Optional[str], name: str, key: str) -> Tuple[List[np.ndarray], dict]:
  """``reader(f)`` of every file, from the cache where it is current.

  Returns the arrays (in the order of ``files``) and ``{"parsed": n, "cached": m,
  "cache": path or None}``. Entries of other files that still exist are kept, so that
  loading another selection (other split lists) does not evict them.
  """
  if folder is None:
    return [reader(f) for f in files], {"parsed": len(files), "cached": 0, "cache": None}
  path = cache_path(folder, name, key)
  cached = _read(path, key)
  stamps = [_stamp(f) for f in files]
  arrays, parsed = [], 0
  for f, stamp in zip(files, stamps):
    if stamp in cached:
      arrays.append(cached[stamp])
    else:
      arrays.append(reader(f))
      parsed += 1
  current = {s[0] for s in stamps}
  others = {s: a for s, a in cached.items() if s[0] not in current and os.path.exists(s[0])}
  if arrays and (parsed or len(others) + len(files) != len(cached)):
    _write(path, key, stamps + list(others), arrays + list(others.values()))
  return arrays, {"parsed": parsed, "cached": len(files) - parsed, "cache": path}
