"""Bad requests to exported samplers and bad export/evaluation arguments.

A serving request with a bad scalar (``num_samples`` <= 0, ``category`` out of range,
``length`` <= 0) or an input of the wrong shape or dtype fails with a message naming the
input and what it must be (checked in the graph, so TF Serving reports the same), and
the export folder never holds a partial version.
"""
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.families import build_family
from tests.robustness.files import assert_complete_exports, snapshot
from tfvae.evaluation.iwae import iwae_log_likelihood
from tfvae.export.sampler import export_sampler, shape_checked

BAD = tf.errors.InvalidArgumentError


@pytest.fixture(scope="module")
def signatures(trained_run):
  return tf.saved_model.load(trained_run.export_dir).signatures


def _ints(**values):
  return {k: tf.constant(v, tf.int32) for k, v in values.items()}


@pytest.mark.parametrize("endpoint", ["sample", "serving_default"])
@pytest.mark.parametrize("num_samples", [0, -3])
def test_non_positive_num_samples(signatures, trained_run, endpoint, num_samples):
  before = snapshot(trained_run.export_base)
  with pytest.raises(BAD, match=r"num_samples must be a positive integer"):
    signatures[endpoint](**_ints(num_samples=num_samples, seed=1))
  assert snapshot(trained_run.export_base) == before


@pytest.mark.parametrize("shape, shown", [([2, 10], r"\[2,10\]"), ([784], r"\[784\]"),
                                          ([2, 28, 28], r"\[2,28,28\]")],
                         ids=["features", "rank1", "images"])
def test_wrong_input_shape(signatures, shape, shown):
  with pytest.raises(BAD, match=(r"Shape of tensor x " + shown +
                                 r" is not compatible with expected shape \[\?,784\]")):
    signatures["reconstruct"](x=tf.zeros(shape))
  with pytest.raises(BAD, match=r"Shape of tensor x .* expected shape \[\?,784\]"):
    signatures["encode"](x=tf.zeros(shape), seed=tf.constant(0))


def test_wrong_input_dtype(signatures):
  with pytest.raises(BAD, match=r"input #1\(zero-based\) was expected to be a int32 tensor "
                                r"but is a float tensor"):
    signatures["sample"](num_samples=tf.constant(2), seed=tf.constant(1.5))


def test_wrong_shape_into_the_keras_model(trained_run):
  with pytest.raises(ValueError, match=r"expected axis -1 of input shape to have value 784, "
                                       r"but received input with shape \(2, 10\)"):
    trained_run.model.reconstruct(np.zeros((2, 10), np.float32))


def test_export_version_that_exists(trained_run):
  before = snapshot(trained_run.export_base)
  with pytest.raises(FileExistsError, match=r"tiny_vae/1 exists; pick another version "
                                            r"\(next free: 2\) or remove it"):
    export_sampler(trained_run.model, trained_run.export_base, "tiny_vae", version=1)
  assert snapshot(trained_run.export_base) == before
  assert_complete_exports(trained_run.export_base)


@pytest.mark.parametrize("name", ["..", "../evil", "a b", ""])
def test_export_name_that_is_not_a_folder_name(trained_run, tmp_path, name):
  with pytest.raises(ValueError, match=r"export name must be letters, digits, '_', '-' or "
                                       r"'.' \(not only dots\), got"):
    export_sampler(trained_run.model, str(tmp_path / "exports"), name)
  assert not os.listdir(tmp_path)


@pytest.mark.parametrize("version", [0, -1])
def test_export_version_that_is_not_positive(trained_run, tmp_path, version):
  with pytest.raises(ValueError, match=rf"version must be a positive integer, got {version}"):
    export_sampler(trained_run.model, str(tmp_path / "exports"), "m", version=version)
  assert not os.listdir(tmp_path)


def test_export_into_an_unwritable_folder(trained_run, tmp_path):
  blocker = tmp_path / "a_file"
  blocker.write_text("not a folder")
  with pytest.raises(OSError, match=r"cannot create the export folder .*a_file/m "
                                    r"\(Not a directory\); pass a writable base_dir"):
    export_sampler(trained_run.model, str(blocker), "m")
  assert snapshot(str(tmp_path)).keys() == {"a_file"}


@pytest.mark.parametrize("k", [0, -5])
def test_iwae_with_no_samples(trained_run, k):
  data = tf.data.Dataset.from_tensor_slices(np.zeros((4, 784), np.float32)).batch(2)
  with pytest.raises(ValueError, match=rf"num_samples must be >= 1, got {k}"):
    iwae_log_likelihood(trained_run.model, data, k, 1, log=None)


@pytest.fixture(scope="module")
def exported_family(tmp_path_factory):
  """Loads the export of a tiny family model: ``load(name) -> signatures``."""
  def load(name):
    keras.backend.clear_session()
    _, _, model = build_family(name)
    path = export_sampler(model, str(tmp_path_factory.mktemp(name)), name)
    return tf.saved_model.load(path).signatures
  return load


def test_category_out_of_range(exported_family):
  """A mixture prior's ``sample_category`` takes 0 <= category < num_components (3)."""
  sample_category = exported_family("mog_prior_vae")["sample_category"]
  assert sample_category(**_ints(category=2, num_samples=1, seed=0))["samples"].shape[0] == 1
  with pytest.raises(BAD, match=r"category must be >= 0"):
    sample_category(**_ints(category=-1, num_samples=2, seed=0))
  with pytest.raises(BAD, match=r"category must be < 3"):
    sample_category(**_ints(category=3, num_samples=2, seed=0))


def test_non_positive_sequence_length():
  """Sequence samplers take ``length`` > 0. The endpoint is traced with its serving
  signature and the exporter's shape checks, as ``export_sampler`` does, without the
  (slow, for recurrent models) SavedModel round trip."""
  keras.backend.clear_session()
  _, _, model = build_family("lstm_baseline")
  fn, signature = model.serving_endpoints()["sample"]
  sample = tf.function(shape_checked(fn, signature), input_signature=signature)
  for length in (0, -4):
    inputs = _ints(num_samples=2, length=length, seed=0)
    with pytest.raises(BAD, match=r"length must be a positive integer"):
      sample(*[inputs[spec.name] for spec in signature])
