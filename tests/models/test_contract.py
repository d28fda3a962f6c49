"""The optional capabilities of ``LatentVariableModel`` are methods with defaults: each
family answers them by calling, never by ``hasattr`` (docs/model_contract.md)."""
import numpy as np
import pytest
import tensorflow as tf

from tests import families
from tfvae.models.exponential_family.latent_histograms import LatentHistograms
from tfvae.models.exponential_family.prior_density import write_prior_density_png
from tfvae.training.callbacks import PosteriorStatistics

# Families whose q(z | x) is one Gaussian-based continuous posterior with moments.
WITH_MOMENTS = {"gaussian_vae_diag", "gaussian_vae_full_cov", "gaussian_vae_planar",
                "gaussian_vae_iaf", "sequence_vae", "cp_vae", "mog_prior_vae",
                "vamp_prior_vae", "gated_vae"}


@pytest.mark.parametrize("name", families.NAMES)
def test_posterior_moments_is_declared_or_none(name):
  _, splits, model = families.build_family(name)
  x = next(iter(families.train_batches(splits, 1)))
  moments = model.posterior_moments(x)
  assert model.has_capability("posterior_moments") == (moments is not None)
  assert (moments is not None) == (name in WITH_MOMENTS), name
  if moments is not None:
    mean, scale = (np.asarray(t) for t in moments)
    assert mean.shape == scale.shape and mean.shape[0] == families.BATCH
    assert np.all(scale > 0) and np.all(np.isfinite(mean))


def test_posterior_statistics_logs_only_for_models_with_moments():
  logs = {}
  _, splits, model = families.build_family("gaussian_vae_diag")
  callback = PosteriorStatistics(splits.eval_array("valid")[:64])
  callback.set_model(model)
  callback.on_epoch_end(0, logs)
  assert 0 <= logs["val_active_units"] <= model.latent_dim
  assert logs["val_posterior_scale"] > 0
  logs = {}
  _, splits, model = families.build_family("cat_vae")
  callback = PosteriorStatistics(splits.eval_array("valid")[:64])
  callback.set_model(model)
  callback.on_epoch_end(0, logs)
  assert not logs


def test_a_prior_without_grid_draws_no_density(tmp_path):
  _, splits, model = families.build_family("cat_vae")
  assert model.prior_grid_density() is None
  with pytest.raises(ValueError, match="no grid prior"):
    write_prior_density_png(model, str(tmp_path / "p.png"))
  [callback] = model.diagnostic_callbacks(splits, str(tmp_path))
  assert callback.png_dir is None
  callback.set_model(model)
  callback.on_epoch_end(0)  # histograms only
  callback.on_train_end()
  _, splits, model = families.build_family("cg_bpef_vae")
  [callback] = model.diagnostic_callbacks(splits, str(tmp_path))
  assert callback.png_dir is not None


def test_reconstruct_is_optional_and_refuses_clearly():
  _, splits, model = families.build_family("vrnn")
  assert not model.has_capability("reconstruct")
  with pytest.raises(NotImplementedError, match="has no reconstruct"):
    model.reconstruct(tf.zeros([1, 2]))
  _, splits, model = families.build_family("cat_vae")
  assert model.has_capability("reconstruct")
  assert "reconstruct" in model.serving_endpoints()
  x = splits.eval_array("valid")[:4]
  assert model.predict(x, verbose=0).shape == x.shape


def test_every_family_package_is_imported_and_registers_models():
  """A family registers by being a subpackage of tfvae/models: each one is imported and
  contributes at least one registered model."""
  import importlib  # pylint: disable=g-import-not-at-top
  import pathlib  # pylint: disable=g-import-not-at-top
  import sys  # pylint: disable=g-import-not-at-top
  import tfvae.models  # pylint: disable=g-import-not-at-top
  from tfvae.registry import MODELS  # pylint: disable=g-import-not-at-top
  root = pathlib.Path(tfvae.models.__file__).parent
  packages = sorted(p.name for p in root.iterdir() if (p / "__init__.py").exists())
  assert list(tfvae.models.FAMILIES) == packages and len(packages) == 5
  owners = {importlib.import_module(MODELS.get(n).__module__).__name__.split(".")[2]
            for n in MODELS.names()}
  for family in packages:
    assert f"tfvae.models.{family}" in sys.modules
    assert family in owners, family
