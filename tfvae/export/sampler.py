"""SavedModel samplers in TF Serving's layout: ``<base_dir>/<name>/<version>/``.

Built with ``keras.export.ExportArchive`` (the route that the TF1 session loader used by
TF Serving and ``saved_model_cli run`` accepts; a ``tf.Module`` holding the Keras model
exports each variable twice and fails there). Endpoints come from the model's
``serving_endpoints()``; the first becomes ``serving_default``. The directory is written
under a temporary name and renamed, so a crash never leaves a half-written version.

Every endpoint first checks its request in the graph (``request_checks.check_request``):
shapes, the upper bounds of ``tfvae.export.limits`` (``num_samples``, ``length``,
``gibbs_steps`` and their products, rows of ``x``), finite data and 0/1 masks. The checks
are ops of the SavedModel, so plain TensorFlow and TF Serving refuse a bad request with
``InvalidArgumentError`` before anything large is allocated.
"""
import os
import re
import shutil

import keras
import tensorflow as tf

from tfvae import request_checks
from tfvae.export import versions
from tfvae.export.limits import ServingLimits, serving_limits


def next_version(model_dir: str) -> int:
  if not os.path.isdir(model_dir):
    return 1
  versions = [int(d) for d in os.listdir(model_dir) if re.fullmatch(r"\d+", d)]
  return max(versions, default=0) + 1


def shape_checked(fn, signature, limits: ServingLimits = None):
  """``fn`` whose tensor inputs first pass ``tf.ensure_shape`` with their signature's
  shape: a request of the wrong shape (e.g. ``x`` of [2, 10] for [None, 784]) fails with
  "Shape of tensor x [2,10] is not compatible with expected shape [?,784]" instead of a
  matmul error deep in the graph (TF Serving's session does not check fed shapes).
  With ``limits``, the inputs then pass ``request_checks.check_request`` (bounds, finite
  data, 0/1 masks)."""
  def checked(*args):
    args = [tf.ensure_shape(a, spec.shape) for a, spec in zip(args, signature)]
    if limits is not None:
      named = request_checks.check_request(
          {spec.name: a for a, spec in zip(args, signature)}, limits)
      args = [named[spec.name] for spec in signature]
    return fn(*args)
  return checked


def export_sampler(model, base_dir: str, name: str, version: int = None,
                   origin: dict = None, reuse_existing: bool = False,
                   limits: ServingLimits = None) -> str:
  """Writes ``model``'s serving endpoints as a SavedModel; returns its directory.

  ``limits`` bound every request (default: ``serving_limits(None, model)``; the CLIs pass
  ``serving_limits(config.export, model)``). ``origin`` (``versions.checkpoint_origin``)
  is recorded in the new version. With ``reuse_existing`` and no ``version``, a version
  already exported from the same origin is returned instead and nothing is written
  (re-running a finished run).
  """
  if not re.fullmatch(r"[A-Za-z0-9_.-]+", name or "") or set(name) == {"."}:
    raise ValueError("export name must be letters, digits, '_', '-' or '.' (not only "
                     f"dots), got {name!r}")
  model_dir = os.path.join(base_dir, name)
  versions.remove_stale_tmp(model_dir)
  if version is None and reuse_existing:
    existing = versions.find_version(model_dir, origin)
    if existing:
      return existing
  version = next_version(model_dir) if version is None else int(version)
  if version < 1:
    raise ValueError(f"version must be a positive integer, got {version}")
  final = os.path.join(model_dir, str(version))
  if os.path.exists(final):
    raise FileExistsError(f"{final} exists; pick another version (next free: "
                          f"{next_version(model_dir)}) or remove it")
  limits = serving_limits(None, model) if limits is None else limits
  archive = keras.export.ExportArchive()
  archive.track(model)
  for endpoint, (fn, signature) in model.serving_endpoints().items():
    archive.add_endpoint(endpoint, shape_checked(fn, signature, limits),
                         input_signature=signature)
  try:
    os.makedirs(model_dir, exist_ok=True)
  except OSError as e:
    raise OSError(f"cannot create the export folder {model_dir} ({e.strerror or e}); "
                  "pass a writable base_dir") from e
  tmp = os.path.join(model_dir, f".tmp-{version}-{os.getpid()}")
  try:
    archive.write_out(tmp, verbose=False)
    if origin:
      versions.write_origin(tmp, origin)
    os.rename(tmp, final)
  finally:
    if os.path.exists(tmp):
      shutil.rmtree(tmp, ignore_errors=True)
  return final
