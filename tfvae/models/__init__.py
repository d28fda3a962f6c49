"""Model families; importing this package registers them in ``tfvae.registry.MODELS`` (and
the posterior heads in ``tfvae.registry.POSTERIORS``)."""
import importlib
import pkgutil

from tfvae.models.base import LatentVariableModel

# One package per family (and the paper it reproduces): vae (Gaussian VAE, flows, LSTM
# sequence VAE), recurrent (VRNN, LSTM baseline, GMVRNNs), discrete (Discrete VAE),
# learned_priors (CP-VAE, MoG, VampPrior, HVAE), exponential_family (CG-BPEF, Cat-VAE,
# Gauss-VAE). Every subpackage is imported, so a new family registers itself by being
# a package here: nothing else to edit.
FAMILIES = tuple(sorted(info.name for info in pkgutil.iter_modules(__path__)
                        if info.ispkg))
for _family in FAMILIES:
  importlib.import_module(f"{__name__}.{_family}")


def build_model(model_config, splits, seed: int = 0):
  """Builds the model named ``model_config['name']`` for the data in ``splits``.

  Every model receives ``splits.model_arguments()`` (e.g. ``input_size``) and
  ``seed``; the other keys of ``model_config`` are its constructor arguments.
  """
  from tfvae.registry import MODELS  # pylint: disable=g-import-not-at-top
  settings = dict(model_config)
  name = settings.pop("name")
  cls = MODELS.get(name)
  arguments = splits.model_arguments()
  try:
    return cls(seed=seed, **arguments, **settings)
  except (TypeError, ValueError) as e:
    message = f"bad settings for model {name!r} (config.model): {e}"
    if "keyword argument" in str(e):  # an unknown key (Python's or Keras' message)
      valid = sorted(model_settings(cls) - set(arguments) - {"seed"})
      message += f"; valid settings: {', '.join(valid)}"
    raise (TypeError if isinstance(e, TypeError) else ValueError)(message) from e


def model_settings(cls) -> set:
  """Constructor argument names of ``cls`` and its bases up to ``keras.Model``."""
  import inspect  # pylint: disable=g-import-not-at-top
  import keras  # pylint: disable=g-import-not-at-top
  names = set()
  for klass in cls.__mro__:
    if klass is keras.Model or not issubclass(klass, keras.Model):
      break
    for p in inspect.signature(klass.__init__).parameters.values():
      if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
        names.add(p.name)
  return names
