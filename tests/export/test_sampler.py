"""Exported samplers load without tfvae, reproduce seeds and pass saved_model_cli."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from tests.conftest import tiny_vae_config
from tfvae.export.sampler import export_sampler, next_version
from tfvae.training.trainer import build

# Runs in a fresh interpreter that never imports tfvae.
_PLAIN_LOADER = r"""
import json, sys
import tensorflow as tf
m = tf.saved_model.load(sys.argv[1])
out = m.signatures["serving_default"](num_samples=tf.constant(4), seed=tf.constant(11))
rec = m.signatures["reconstruct"](x=tf.zeros([2, 784]))
print(json.dumps({"tfvae_imported": any(k.startswith("tfvae") for k in sys.modules),
                  "signatures": sorted(m.signatures.keys()),
                  "probs": out["probs"].numpy().tolist(),
                  "samples": out["samples"].numpy().tolist(),
                  "rec_shape": list(rec["probs"].shape)}))
"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
  _, model = build(tiny_vae_config())
  base = str(tmp_path_factory.mktemp("saved_models"))
  return model, export_sampler(model, base, "tiny_vae"), base


def test_layout_is_tf_serving(exported):
  _, path, base = exported
  assert path == os.path.join(base, "tiny_vae", "1")
  assert os.path.exists(os.path.join(path, "saved_model.pb"))
  assert next_version(os.path.join(base, "tiny_vae")) == 2
  assert not [d for d in os.listdir(os.path.join(base, "tiny_vae")) if d.startswith(".tmp")]


def test_loads_without_tfvae_and_reproduces_seed(exported):
  model, path, _ = exported
  out = subprocess.run([sys.executable, "-c", _PLAIN_LOADER, path], check=True,
                       capture_output=True, text=True, env={**os.environ,
                                                            "TF_CPP_MIN_LOG_LEVEL": "3"})
  result = json.loads(out.stdout.strip().splitlines()[-1])
  assert not result["tfvae_imported"]
  assert {"serving_default", "sample", "reconstruct"} <= set(result["signatures"])
  expected = model.sample(4, tf.constant([11, 0], tf.int32))
  np.testing.assert_allclose(result["probs"], expected["probs"].numpy(), atol=1e-6)
  np.testing.assert_array_equal(result["samples"], expected["samples"].numpy())
  assert result["rec_shape"] == [2, 784]


def test_saved_model_cli_runs(exported):
  _, path, _ = exported
  cli = os.path.join(os.path.dirname(sys.executable), "saved_model_cli")
  out = subprocess.run([cli, "run", "--dir", path, "--tag_set", "serve",
                        "--signature_def", "sample", "--input_exprs",
                        "num_samples=3;seed=5"], capture_output=True, text=True)
  assert out.returncode == 0, out.stderr[-2000:]
  assert "Result for output key samples" in out.stdout
  assert "Result for output key probs" in out.stdout


def test_negative_sample_count_is_rejected(exported):
  _, path, _ = exported
  loaded = tf.saved_model.load(path)
  with pytest.raises(tf.errors.InvalidArgumentError, match="num_samples must be a positive"):
    loaded.signatures["sample"](num_samples=tf.constant(-2), seed=tf.constant(0))


def test_existing_version_and_bad_name_are_rejected(exported):
  model, _, base = exported
  with pytest.raises(FileExistsError):
    export_sampler(model, base, "tiny_vae", version=1)
  with pytest.raises(ValueError, match="export name"):
    export_sampler(model, base, "../evil")
