"""Dataset registry: ``load_dataset(config.dataset)`` -> ``DatasetSplits``."""
from tfvae.data import binarized_mnist  # noqa: F401  (registers binarized_mnist)
from tfvae.data import mnist  # noqa: F401  (registers mnist)
from tfvae.data import architectures  # noqa: F401  (registers architectures)
from tfvae.data import padded, svhn  # noqa: F401  (binarized_mnist_32, mnist_32, svhn)
from tfvae.data import caltech_silhouettes  # noqa: F401  (Caltech-101 Silhouettes)
from tfvae.data import toy_two_gaussians  # noqa: F401  (CP-VAE 1-D toy)
from tfvae.data import iam_ondb, sequences  # noqa: F401  (seq_mnist, strokes, iam_ondb)
from tfvae.data import user_arrays  # noqa: F401  (npz, tfds: your own data)
from tfvae.data.pipeline import eval_array, eval_dataset, steps_per_epoch, train_dataset
from tfvae.data.splits import DatasetSplits, check_binary, check_likelihood


def load_dataset(config, **overrides) -> DatasetSplits:
  """Builds the dataset named ``config['name']`` with the other keys (and ``overrides``,
  e.g. a restored run's ``normalization``) as arguments."""
  from tfvae.registry import DATASETS  # pylint: disable=g-import-not-at-top
  settings = dict(config)
  name = settings.pop("name")
  settings.update(overrides)
  return DATASETS.get(name)(**settings)
