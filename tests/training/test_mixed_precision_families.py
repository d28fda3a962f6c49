"""Every model family trains under ``mixed_bfloat16`` and ``mixed_float16``.

Built and compiled as the trainer does (``trainer.build``: the global policy is set
before the model, ``compile`` wraps the optimizer in a dynamic ``LossScaleOptimizer``
for float16), then ``train_step`` runs on real batches. Checks: the networks compute in
the low-precision dtype; every loss term is a finite float32 scalar; every TFP
distribution built during training (and DVAE smoothing, and the parameters of the
recurrent families' closed-form output densities) has float32 parameters; all
variables stay float32 and an update was applied (under float16, dynamic loss scaling
may skip the first steps on overflow: the scale then halves until a step applies); the
sampler (``serving_default``) returns float32.
"""
import keras
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp

from tests import families
from tfvae.distributions import smoothing
from tfvae.models.recurrent.sequence_outputs import SequenceOutput

LOW = {"mixed_bfloat16": "bfloat16", "mixed_float16": "float16"}
MIN_STEPS = 2
MAX_STEPS = 12  # float16: the loss scale may need several halvings from 2**15


@pytest.fixture(autouse=True)
def _float32_afterwards():
  yield
  keras.mixed_precision.set_global_policy("float32")


@pytest.fixture
def recorded(monkeypatch):
  """Every TFP distribution, DVAE smoothing and sequence-output parameter tensor (the
  recurrent families evaluate those densities in closed form) made while the test runs."""
  made = {"distributions": [], "smoothings": [], "sequence_params": []}
  dist_init = tfp.distributions.Distribution.__init__
  smooth_init = smoothing.Smoothing.__init__
  output_call = SequenceOutput.call

  def record_distribution(self, *args, **kwargs):
    made["distributions"].append((type(self).__name__, kwargs.get("parameters") or {},
                                  kwargs.get("dtype")))
    return dist_init(self, *args, **kwargs)

  def record_smoothing(self, *args, **kwargs):
    made["smoothings"].append(self)
    return smooth_init(self, *args, **kwargs)

  def record_params(self, features):
    made["sequence_params"].append(output_call(self, features))
    return made["sequence_params"][-1]

  monkeypatch.setattr(tfp.distributions.Distribution, "__init__", record_distribution)
  monkeypatch.setattr(SequenceOutput, "call", record_params)
  monkeypatch.setattr(smoothing.Smoothing, "__init__", record_smoothing)
  return made


def _low_precision_tensors(named_values):
  """``[(name, dtype)]`` of float16/bfloat16 tensors among ``(name, value)`` pairs."""
  bad = []
  for name, value in named_values:
    for v in tf.nest.flatten(value):
      dtype = getattr(v, "dtype", None)
      if isinstance(v, (tf.Tensor, tf.Variable, np.ndarray)) and dtype in (
          tf.float16, tf.bfloat16, np.float16):
        bad.append((name, str(dtype)))
  return bad


@pytest.mark.parametrize("policy", sorted(LOW))
@pytest.mark.parametrize("name", families.NAMES)
def test_family_trains_with_float32_distributions(name, policy, recorded):
  _, splits, model = families.build_family(name, policy)
  low = LOW[policy]
  assert any(layer.compute_dtype == low for layer in model._flatten_layers()), (  # pylint: disable=protected-access
      f"{name}: no network computes in {low}")
  if policy == "mixed_float16":
    assert isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)
  terms_seen = []
  loss_terms = model.loss_terms
  model.loss_terms = lambda x, training=False: terms_seen.append(
      loss_terms(x, training=training)) or terms_seen[-1]
  before = [v.numpy().copy() for v in model.trainable_variables]
  for made in recorded.values():
    made.clear()

  for step, batch in enumerate(families.train_batches(splits, MAX_STEPS)):
    model.train_step(batch)
    terms = terms_seen[-1]
    for key, value in terms.items():
      assert value.dtype == tf.float32 and value.shape == (), (name, key, value.dtype)
      assert np.isfinite(value.numpy()), (name, step, key, float(value))
    if step + 1 >= MIN_STEPS and int(model.optimizer.iterations) >= 1:
      break
  assert int(model.optimizer.iterations) >= 1, f"{name}: no step applied in {MAX_STEPS}"

  dists = recorded["distributions"]
  assert any(recorded.values()), f"{name} built no distribution"
  bad = [(cls, key, dtype) for cls, params, _ in dists
         for key, dtype in _low_precision_tensors(params.items())]
  bad += [(cls, "dtype", str(d)) for cls, _, d in dists
          if d is not None and tf.as_dtype(d) in (tf.float16, tf.bfloat16)]
  bad += [(type(s).__name__, key, dtype) for s in recorded["smoothings"]
          for key, dtype in _low_precision_tensors(vars(s).items())]
  bad += [("SequenceOutput", "params", dtype)
          for _, dtype in _low_precision_tensors(enumerate(recorded["sequence_params"]))]
  assert not bad, f"{name}: low-precision distribution parameters {sorted(set(bad))[:5]}"

  assert all(v.dtype == "float32" for v in model.weights if "float" in str(v.dtype)), name
  moved = [not np.array_equal(b, v.numpy()) for b, v in zip(before, model.trainable_variables)]
  assert sum(moved) >= len(moved) // 2, f"{name}: only {sum(moved)}/{len(moved)} updated"

  endpoint, (fn, signature) = next(iter(model.serving_endpoints().items()))
  inputs = families.endpoint_inputs(splits, signature)
  for key, value in families.call_endpoint(fn, inputs).items():
    assert value.dtype in (np.float32, np.int32), (name, endpoint, key, value.dtype)
    assert np.all(np.isfinite(value)), (name, endpoint, key)
