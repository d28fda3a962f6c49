"""One tiny config per registered model family, for tests that run every family.

``MODELS`` maps a family name (the registry name, or ``gaussian_vae_<posterior>`` for the
four posteriors of the Gaussian VAE) to its ``(model, dataset)`` settings, gathered from
each family's ``tests/models/<family>/tiny_configs.py``; ``family_config(name)`` makes
the ``ml_collections`` config: the keys of the real config in ``configs/`` with the
smallest nets, batch 8 and datasets available offline (embedded binarized MNIST, the shipped architectures, the toy;
the stroke families read ``../shared/data/strokes`` beside the repo).

``build_family(name, precision)`` builds it exactly as the trainer does
(``tfvae.training.trainer.build``); ``endpoint_inputs`` makes valid inputs for any
serving signature of a built model.
"""
import importlib
import json
from unittest import mock

import ml_collections
import numpy as np
import tensorflow as tf

from tests.tiny_datasets import REPO_ROOT, SHEEP  # noqa: F401  (re-exported)

BATCH = 8


def _gather_tiny_configs() -> dict:
  """``TINY`` of every ``tests/models/<family>/tiny_configs.py``, one test package per
  model family of ``tfvae/models``: a new family adds its tiny configs there."""
  import tfvae.models  # pylint: disable=g-import-not-at-top
  models = {}
  for family in tfvae.models.FAMILIES:
    module = importlib.import_module(f"tests.models.{family}.tiny_configs")
    overlap = set(models) & set(module.TINY)
    if overlap:
      raise ValueError(f"tiny config names defined twice: {sorted(overlap)}")
    models.update(module.TINY)
  return models


MODELS = _gather_tiny_configs()
NAMES = tuple(MODELS)


def family_config(name: str, precision: str = "float32") -> ml_collections.ConfigDict:
  """The tiny config of family ``name`` (trainer keys as in ``configs/``)."""
  model, dataset = MODELS[name]
  config = ml_collections.ConfigDict()
  config.model = dict(model)
  config.dataset = dict(dataset)
  config.train = dict(
      batch_size=BATCH, epochs=1, learning_rate=1e-3, clipnorm=0.0, seed=0,
      jit_compile=False, steps_per_execution=1, steps_per_epoch=3, precision=precision,
      early_stopping_patience=0, checkpoint_every=1, sample_every=0, validation_every=1,
      eval_batch_size=BATCH, verbose=0, schedules={}, lr_schedule={})
  config.eval = dict(iwae_samples=2, chunk_size=2, batch_size=BATCH, seed=0)
  config.export = dict(enabled=True, name=name, base_dir="saved_models")
  return config


_SPLITS = {}


def _cached_load_dataset(dataset_config):
  """``load_dataset`` once per dataset config (the splits are only read)."""
  from tfvae.data import load_dataset  # pylint: disable=g-import-not-at-top
  key = json.dumps(dict(dataset_config), sort_keys=True, default=list)
  if key not in _SPLITS:
    _SPLITS[key] = load_dataset(dataset_config)
  return _SPLITS[key]


def build_family(name: str, precision: str = "float32", compile_model: bool = True):
  """``(config, splits, model)`` built and compiled by the trainer's own ``build``
  (policy, seeds, model, likelihood check, compile, first call), each dataset loaded once.
  """
  from tfvae.training import trainer  # pylint: disable=g-import-not-at-top
  config = family_config(name, precision)
  with mock.patch.object(trainer, "load_dataset", _cached_load_dataset):
    splits, model = trainer.build(config, compile_model=compile_model)
  return config, splits, model


_BATCHES = {}


def train_batches(splits, num_batches: int, seed: int = 0):
  """The first ``num_batches`` training batches of epoch 0 (what ``fit`` would see)."""
  key = (id(splits), seed)
  if len(_BATCHES.get(key, ())) < num_batches:
    stream = splits.train_dataset(BATCH, seed, 0)
    _BATCHES[key] = [batch for _, batch in zip(range(num_batches), stream)]
  return _BATCHES[key][:num_batches]


#: Values of the int32 scalar inputs of the serving signatures.
SCALARS = {"num_samples": 2, "seed": 5, "length": 4, "category": 1, "gibbs_steps": 2}


def endpoint_inputs(splits, signature, batch: int = 2) -> dict:
  """``{input name: numpy array}`` valid for a list of named ``tf.TensorSpec``.

  Scalars take ``SCALARS``; data inputs (``x``, ``prefix``, ``prefix_mask``) come from
  the first ``batch`` validation examples (sequences cut to 3 steps for priming).
  """
  data = next(iter(splits.eval_dataset("valid", batch)))
  x = np.asarray(data["x"] if isinstance(data, dict) else data)
  values = {}
  for spec in signature:
    name, dtype = spec.name, spec.dtype.as_numpy_dtype
    if name in SCALARS:
      values[name] = np.array(SCALARS[name], dtype)
    elif name == "x":
      values[name] = x.astype(dtype)
    elif name == "prefix":
      values[name] = x[:, :3].astype(dtype)
    elif name == "prefix_mask":
      values[name] = np.asarray(data["mask"])[:, :3].astype(dtype)
    else:
      raise KeyError(f"no example value for serving input {name!r}")
    if not spec.shape.is_compatible_with(values[name].shape):
      raise ValueError(f"example {name} {values[name].shape} does not fit {spec}")
  return values


def call_endpoint(fn, inputs: dict) -> dict:
  """Runs a serving endpoint eagerly on numpy ``inputs``: ``{output: numpy array}``.

  A ``tf.function`` endpoint runs its Python function (no trace: tracing the recurrent
  samplers costs seconds; the export traces them anyway).
  """
  fn = getattr(fn, "python_function", fn)
  outputs = fn(**{k: tf.constant(v) for k, v in inputs.items()})
  return {k: v.numpy() for k, v in outputs.items()}
