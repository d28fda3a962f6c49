"""Model families; importing this package registers them in ``tfvae.registry.MODELS``."""
from tfvae.models import gaussian_vae  # noqa: F401
from tfvae.models import sequence_vae  # noqa: F401  (issue 3: LSTM sequence VAE)
from tfvae.models import cat_vae, cg_bpef_vae, gauss_vae_baseline  # noqa: F401  (issue 7)
from tfvae.models import discrete_vae  # noqa: F401  (issue 5: DVAE with an RBM prior)
from tfvae.models import cp_vae, hvae, mog_prior_vae, prior_vae, vamp_prior  # noqa: F401 (issue 6)
from tfvae.models import lstm_baseline, vrnn  # noqa: F401  (issue 4: VRNN, LSTM baseline)
from tfvae.models import gmvrnn_gumbel, gmvrnn_variational  # noqa: F401  (issue 4: GMVRNNs)
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
  try:
    return cls(seed=seed, **splits.model_arguments(), **settings)
  except TypeError as e:
    raise TypeError(f"bad settings for model {name!r}: {e}") from e
