"""SavedModel samplers in TF Serving's layout: ``<base_dir>/<name>/<version>/``.

Built with ``keras.export.ExportArchive`` (the route that the TF1 session loader used by
TF Serving and ``saved_model_cli run`` accepts; a ``tf.Module`` holding the Keras model
exports each variable twice and fails there). Endpoints come from the model's
``serving_endpoints()``; the first becomes ``serving_default``. The directory is written
under a temporary name and renamed, so a crash never leaves a half-written version.
"""
import os
import re
import shutil

import keras


def next_version(model_dir: str) -> int:
  if not os.path.isdir(model_dir):
    return 1
  versions = [int(d) for d in os.listdir(model_dir) if re.fullmatch(r"\d+", d)]
  return max(versions, default=0) + 1


def export_sampler(model, base_dir: str, name: str, version: int = None) -> str:
  """Writes ``model``'s serving endpoints as a SavedModel; returns its directory."""
  if not re.fullmatch(r"[A-Za-z0-9_.-]+", name or ""):
    raise ValueError(f"export name must be letters, digits, '_', '-' or '.', got {name!r}")
  model_dir = os.path.join(base_dir, name)
  version = next_version(model_dir) if version is None else int(version)
  if version < 1:
    raise ValueError(f"version must be a positive integer, got {version}")
  final = os.path.join(model_dir, str(version))
  if os.path.exists(final):
    raise FileExistsError(f"{final} exists; pick another version or remove it")
  os.makedirs(model_dir, exist_ok=True)
  tmp = os.path.join(model_dir, f".tmp-{version}-{os.getpid()}")
  archive = keras.export.ExportArchive()
  archive.track(model)
  for endpoint, (fn, signature) in model.serving_endpoints().items():
    archive.add_endpoint(endpoint, fn, input_signature=signature)
  try:
    archive.write_out(tmp, verbose=False)
    os.rename(tmp, final)
  finally:
    if os.path.exists(tmp):
      shutil.rmtree(tmp, ignore_errors=True)
  return final
