"""Export versions of one model folder: where each came from, and what crashes leave.

Each version written by ``export_sampler(..., origin=...)`` records its origin (the
training workdir, the checkpoint and its modification time) in
``<version>/assets.extra/tfvae_origin.json`` (TF Serving ignores ``assets.extra``), so
re-running a finished run finds its existing version instead of exporting a duplicate.
An export killed midway leaves ``.tmp-<version>-<pid>``; ``remove_stale_tmp`` deletes
those whose process is gone.
"""
import json
import os
import re
import shutil

ORIGIN_FILE = os.path.join("assets.extra", "tfvae_origin.json")
_TMP = re.compile(r"\.tmp-\d+-(\d+)")


def export_base(export_config, workdir: str) -> str:
  """Where a run's versions go: ``config.export.base_dir``, or by default (``""``)
  ``<workdir>/export``, so that each run's exports live with the run instead of stacking
  up in one shared folder."""
  base = (export_config or {}).get("base_dir") or ""
  return base or os.path.join(workdir, "export")


def checkpoint_origin(workdir: str, checkpoint: str) -> dict:
  """What identifies the weights of ``checkpoint`` (a prefix such as ``.../ckpt-7``)."""
  index = checkpoint + ".index"
  return {"workdir": os.path.abspath(workdir), "checkpoint": os.path.abspath(checkpoint),
          "checkpoint_mtime": os.path.getmtime(index) if os.path.exists(index) else None}


def write_origin(export_dir: str, origin: dict) -> None:
  path = os.path.join(export_dir, ORIGIN_FILE)
  os.makedirs(os.path.dirname(path), exist_ok=True)
  with open(path, "w") as f:
    json.dump(origin, f, indent=1)


def find_version(model_dir: str, origin: dict):
  """The newest version folder of ``model_dir`` exported from ``origin``, or None."""
  if not origin or not os.path.isdir(model_dir):
    return None
  versions = sorted((int(d) for d in os.listdir(model_dir) if re.fullmatch(r"\d+", d)),
                    reverse=True)
  for version in versions:
    path = os.path.join(model_dir, str(version), ORIGIN_FILE)
    try:
      with open(path) as f:
        if json.load(f) == origin:
          return os.path.join(model_dir, str(version))
    except (OSError, ValueError):
      continue
  return None


def _alive(pid: int) -> bool:
  try:
    os.kill(pid, 0)
  except ProcessLookupError:
    return False
  except PermissionError:  # exists, owned by someone else
    return True
  return True


def remove_stale_tmp(model_dir: str) -> list:
  """Deletes the ``.tmp-<version>-<pid>`` folders of exports whose process is gone."""
  if not os.path.isdir(model_dir):
    return []
  removed = []
  for name in os.listdir(model_dir):
    match = _TMP.fullmatch(name)
    if match and not _alive(int(match.group(1))):
      shutil.rmtree(os.path.join(model_dir, name), ignore_errors=True)
      removed.append(name)
  return removed
