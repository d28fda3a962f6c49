"""The Python API: a family by name, trained with Keras' own ``compile`` / ``fit``.

``import tfvae`` stays light (TensorFlow is imported on first use of these names)::

  model = tfvae.make_model("gaussian_vae", input_size=784, latent_dim=16)
  model.compile(optimizer=keras.optimizers.Adam(1e-3))
  model.fit(x_train, batch_size=100, epochs=10)      # numpy or tf.data of x
  tfvae.iwae_nll(model, x_test, num_samples=5000)    # -log p(x), IWAE bound
  tfvae.export_sampler(model, "saved_models", "my_vae")
  model.save("my_vae.keras"); model = tfvae.load_model("my_vae.keras")
"""
import math
from typing import Dict, List

import numpy as np


def list_models() -> List[str]:
  """Names accepted by ``make_model`` (the registry of the configs' ``model.name``)."""
  from tfvae.registry import MODELS  # pylint: disable=g-import-not-at-top
  return MODELS.names()


def make_model(name: str, seed: int = 0, **settings):
  """The model family ``name`` built with ``settings`` (its constructor arguments, the
  keys of a config's ``model`` section, plus what the data imposes, e.g.
  ``input_size=784``). Unknown names or settings raise an error listing the valid ones.
  """
  from tfvae.models import model_settings  # pylint: disable=g-import-not-at-top
  from tfvae.registry import MODELS  # pylint: disable=g-import-not-at-top
  cls = MODELS.get(name)
  try:
    return cls(seed=seed, **settings)
  except (TypeError, ValueError) as e:
    message = f"bad settings for model {name!r}: {e}"
    if "keyword argument" in str(e):  # an unknown setting (Python's or Keras' message)
      message += f"; valid settings: {', '.join(sorted(model_settings(cls) - {'seed'}))}"
    raise TypeError(message) from e


def load_model(path: str, compile: bool = True):  # pylint: disable=redefined-builtin
  """``keras.models.load_model`` of a ``model.save("m.keras")`` file of any family (the
  families are registered with Keras by importing them first; a plain
  ``keras.models.load_model`` works too once ``tfvae.models`` is imported)."""
  import keras  # pylint: disable=g-import-not-at-top
  import tfvae.models  # noqa: F401  pylint: disable=g-import-not-at-top,unused-import
  return keras.models.load_model(path, compile=compile)


def iwae_nll(model, x, num_samples: int = 5000, batch_size: int = 100,
             chunk_size: int = 500, seed: int = 0) -> Dict[str, object]:
  """IWAE estimate of ``-log p(x)`` (Burda et al. 2016, eq. 8 with k = ``num_samples``)
  of the examples ``x`` (numpy array or ``tf.data`` of batches): ``{"nll": mean,
  "stderr": standard error over examples, "per_example": -L_k of each example}``."""
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  from tfvae.evaluation.iwae import iwae_log_likelihood  # pylint: disable=g-import-not-at-top
  if isinstance(x, tf.data.Dataset):
    dataset = x
  else:
    dataset = tf.data.Dataset.from_tensor_slices(np.asarray(x, np.float32)).batch(batch_size)
  values = iwae_log_likelihood(model, dataset, int(num_samples), int(chunk_size),
                               seed=seed, log=lambda *_: None)
  nll = -np.asarray(values, np.float64)
  stderr = float(nll.std(ddof=1) / math.sqrt(len(nll))) if len(nll) > 1 else float("nan")
  return {"nll": float(nll.mean()), "stderr": stderr, "per_example": nll}


def export_sampler(model, base_dir: str, name: str, version: int = None) -> str:
  """Writes ``model``'s sampler signatures as a SavedModel for TF Serving (next free
  version under ``base_dir/name``); returns its folder. Load it with plain
  ``tf.saved_model.load`` (no tfvae needed)."""
  from tfvae.export.sampler import export_sampler as _export  # pylint: disable=g-import-not-at-top
  if not model.built:
    if not model.weights:
      raise ValueError(f"{type(model).__name__} has no weights yet: fit it, or call it "
                       "on a batch, before exporting")
    # ``fit`` with a custom train_step creates every variable but leaves Keras' flag
    # unset, which ExportArchive checks.
    model.built = True
  return _export(model, base_dir, name, version)


def load_dataset(config):
  """The dataset named ``config["name"]`` (e.g. ``{"name": "binarized_mnist"}``, the
  copy embedded in the package) as train / valid / test splits."""
  from tfvae.data import load_dataset as _load  # pylint: disable=g-import-not-at-top
  return _load(config)


def train(config, workdir: str):
  """``tfvae-train`` from Python: ``config`` is an ml_collections config (see
  ``load_config``); checkpoints, logs and samples go to ``workdir`` (resumable)."""
  from tfvae.training.trainer import train as _train  # pylint: disable=g-import-not-at-top
  return _train(config, workdir)


def load_config(path: str):
  """``get_config()`` of a config file, or of a shipped config by name
  (``load_config("vae_binarized_mnist")``, the repository's ``configs/*.py``)."""
  from tfvae.config_files import load_config_file, resolve_config  # pylint: disable=g-import-not-at-top
  return load_config_file(resolve_config(path))
