"""Model families; importing this package registers them in ``tfvae.registry.MODELS`` (and
the posterior heads in ``tfvae.registry.POSTERIORS``)."""
from tfvae.models import posteriors, posteriors_flows  # noqa: F401  (posterior heads)
from tfvae.models import gaussian_vae  # noqa: F401
from tfvae.models import sequence_vae  # noqa: F401  (Bowman et al.: LSTM sequence VAE)
# Sun & Zhang: Cat-VAE, CG-BPEF-VAE, Gauss-VAE
from tfvae.models import cat_vae, cg_bpef_vae, gauss_vae_baseline  # noqa: F401
from tfvae.models import discrete_vae  # noqa: F401  (Rolfe: Discrete VAE with an RBM prior)
# Lavda et al.: CP-VAE, MG, VampPrior, HVAE
from tfvae.models import cp_vae, hvae, mog_prior_vae, prior_vae, vamp_prior  # noqa: F401
from tfvae.models import lstm_baseline, vrnn  # noqa: F401  (VRNN report: VRNN, LSTM baseline)
# VRNN report: Gaussian-mixture VRNNs
from tfvae.models import gmvrnn_gumbel, gmvrnn_variational  # noqa: F401
from tfvae.models.base import LatentVariableModel


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
