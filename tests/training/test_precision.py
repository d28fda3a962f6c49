"""Mixed precision: finite training, float32 distributions, correct loss scaling."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tests.conftest import tiny_vae_config
from tfvae.training.trainer import build


@pytest.fixture(autouse=True)
def _reset_policy():
  yield
  keras.mixed_precision.set_global_policy("float32")


def _one_sgd_step(policy):
  config = tiny_vae_config(precision=policy)
  keras.backend.clear_session()
  splits, model = build(config, compile_model=False)
  model.compile(optimizer=keras.optimizers.SGD(0.1))
  model.optimizer.build(model.trainable_variables)
  x = tf.constant(splits.train[:50], tf.float32)
  before = [v.numpy().astype(np.float32) for v in model.trainable_variables]
  logs = model.train_step(x)
  after = [v.numpy().astype(np.float32) for v in model.trainable_variables]
  return model, logs, [a - b for a, b in zip(after, before)]


@pytest.mark.parametrize("policy", ["mixed_bfloat16", "mixed_float16"])
def test_mixed_step_is_finite_and_matches_float32_update(policy):
  model, logs, deltas = _one_sgd_step(policy)
  assert np.isfinite(float(logs["loss"]))
  assert model.encoder.layers[0].compute_dtype == policy.split("_")[1]
  q = model.encode(tf.zeros([2, 784]))
  assert q.dtype == tf.float32 and model.decode(q.sample(seed=(1, 2))).dtype == tf.float32
  if policy == "mixed_float16":
    assert isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)
  _, _, reference = _one_sgd_step("float32")
  # Same initial weights (seeded) and noise: the update has the float32 magnitude.
  # Forgetting loss scaling would shrink it ~32768x; low precision changes it by %.
  ratio = np.linalg.norm(deltas[-2]) / np.linalg.norm(reference[-2])
  assert 0.8 < ratio < 1.25, ratio
