"""Shared test fixtures: paths, quiet TensorFlow, tiny configs."""
import os
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
warnings.filterwarnings("ignore", category=DeprecationWarning)

import ml_collections  # noqa: E402
import pytest  # noqa: E402

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED_DATA = os.path.join(os.path.dirname(REPO_ROOT), "shared", "data")


@pytest.fixture(autouse=True, scope="session")
def _parse_cache_in_tmp(tmp_path_factory):
  """Parse caches (``tfvae.data.parse_cache``) of the tests go to a temporary folder."""
  if not os.environ.get("TFVAE_CACHE_DIR"):
    os.environ["TFVAE_CACHE_DIR"] = str(tmp_path_factory.mktemp("parse_cache"))


@pytest.fixture(autouse=True)
def _float32_policy_after_each_test():
  """A test that trains a mixed-precision config leaves Keras' global dtype policy set
  (the trainer sets it for the model it builds); later tests start from float32."""
  yield
  import keras  # pylint: disable=g-import-not-at-top
  if keras.mixed_precision.global_policy().name != "float32":
    keras.mixed_precision.set_global_policy("float32")


@pytest.fixture
def shared_data():
  """``../shared/data`` beside the repo (CI clones the repo with shared/ beside it)."""
  if not os.path.isdir(SHARED_DATA):
    raise FileNotFoundError(f"test data folder missing: {SHARED_DATA}")
  return SHARED_DATA


def tiny_vae_config(**train_overrides) -> ml_collections.ConfigDict:
  """A Gaussian VAE small enough to train a few steps in a test."""
  config = ml_collections.ConfigDict()
  config.model = dict(name="gaussian_vae", latent_dim=4, hidden_sizes=(32,),
                      activation="relu", likelihood="bernoulli", posterior="diag",
                      posterior_kwargs={})
  config.dataset = dict(name="binarized_mnist")
  config.train = dict(
      batch_size=50, epochs=2, learning_rate=1e-3, clipnorm=0.0, seed=0,
      jit_compile=False, steps_per_execution=1, steps_per_epoch=10,
      precision="float32", early_stopping_patience=0, checkpoint_every=1,
      sample_every=1, validation_every=1, eval_batch_size=2000, verbose=0,
      schedules={}, lr_schedule={})
  config.eval = dict(iwae_samples=10, chunk_size=5, batch_size=100, seed=0)
  config.export = dict(enabled=True, name="tiny_vae", base_dir="saved_models")
  config.train.update(train_overrides)
  return config


@pytest.fixture
def tiny_config():
  return tiny_vae_config()
