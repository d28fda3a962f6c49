"""Export round trip of every posterior family: the SavedModel loads without tfvae and
its endpoints give the model's outputs for the same inputs and seeds."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from tfvae.export.sampler import export_sampler
from tfvae.models.vae.gaussian_vae import GaussianVAE

FAMILIES = {
    "full_cov": ("full_cov", {}),
    "planar": ("planar", dict(num_flows=2, amortized=True)),
    "iaf": ("iaf", dict(num_steps=2, context_size=3, hidden_sizes=(8,))),
}
INPUT = 12

_LOADER = r"""
import json, sys
import numpy as np
import tensorflow as tf
out = {}
x = np.load(sys.argv[2])
for name, path in json.loads(sys.argv[1]).items():
  loaded = tf.saved_model.load(path)
  enc = loaded.signatures["encode"](x=tf.constant(x), seed=tf.constant(7))
  smp = loaded.signatures["serving_default"](num_samples=tf.constant(3), seed=tf.constant(5))
  out[name] = {"z": enc["z"].numpy().tolist(), "probs": smp["probs"].numpy().tolist()}
assert "tfvae" not in sys.modules
print(json.dumps(out))
"""


def _model(posterior, kwargs):
  model = GaussianVAE(input_size=INPUT, latent_dim=3, hidden_sizes=(8,),
                      posterior=posterior, posterior_kwargs=kwargs, seed=2)
  x = (np.random.default_rng(0).random((4, INPUT)) > 0.5).astype(np.float32)
  model(x)
  # Non-trivial flow parameters (the full-cov L* starts at zero).
  for k, weight in enumerate(model.posterior.weights):
    weight.assign(weight + tf.random.stateless_normal(weight.shape, seed=[k, 1]) * 0.3)
  return model, x


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
  base = str(tmp_path_factory.mktemp("saved"))
  models, paths = {}, {}
  x = None
  for name, (posterior, kwargs) in FAMILIES.items():
    model, x = _model(posterior, kwargs)
    models[name] = model
    paths[name] = export_sampler(model, base, f"vae_{name}")
  return models, paths, x


def test_endpoints_match_the_model_in_process(exported):
  models, paths, x = exported
  for name, model in models.items():
    loaded = tf.saved_model.load(paths[name])
    assert {"serving_default", "encode", "reconstruct"} <= set(loaded.signatures), name
    enc = loaded.signatures["encode"](x=tf.constant(x), seed=tf.constant(7))
    q = model.encode(x)
    z, log_q = q.experimental_sample_and_log_prob(seed=tf.constant([7, 0]))
    np.testing.assert_allclose(enc["z"].numpy(), z.numpy(), atol=1e-5, err_msg=name)
    np.testing.assert_allclose(enc["log_q"].numpy(), log_q.numpy(), atol=1e-4, err_msg=name)
    rec = loaded.signatures["reconstruct"](x=tf.constant(x))
    np.testing.assert_allclose(rec["probs"].numpy(), model.reconstruct(x).numpy(),
                               atol=1e-6, err_msg=name)
    if name != "full_cov":  # the exported graph applies the flow to the base draw
      z0 = q.distribution.sample(seed=tf.constant([7, 0])).numpy()
      assert np.max(np.abs(enc["z"].numpy() - z0)) > 1e-3, name


def test_loads_without_tfvae_and_is_deterministic(exported, tmp_path):
  models, paths, x = exported
  x_path = os.path.join(tmp_path, "x.npy")
  np.save(x_path, x)
  env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH="")
  result = subprocess.run([sys.executable, "-c", _LOADER, json.dumps(paths), x_path],
                          capture_output=True, text=True, env=env, cwd=str(tmp_path),
                          timeout=300, check=False)
  assert result.returncode == 0, result.stderr[-2000:]
  out = json.loads(result.stdout.strip().splitlines()[-1])
  for name, model in models.items():
    z = model.encode(x).experimental_sample_and_log_prob(seed=tf.constant([7, 0]))[0]
    np.testing.assert_allclose(np.array(out[name]["z"]), z.numpy(), atol=1e-5)
    probs = model.sample(3, tf.constant([5, 0]))["probs"].numpy()
    np.testing.assert_allclose(np.array(out[name]["probs"]), probs, atol=1e-6)
