"""The fused Adam update gives Keras' Adam / AdamW trajectory (eager, tf.function, XLA,
with clipping and weight decay), falls back for sparse gradients, and saves with a model."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tfvae.training.fused_adam import FusedAdam, FusedAdamW

SHAPES = [(7, 5), (5,), (5, 3)]


def _trajectory(optimizer, compile_mode, steps=5):
  rng = np.random.default_rng(0)
  variables = [tf.Variable(rng.normal(0.0, 1.0, s).astype(np.float32), name=f"kernel_{i}")
               for i, s in enumerate(SHAPES)]
  optimizer.build(variables)
  grads = [[tf.constant(rng.normal(0.0, 1.0, s).astype(np.float32)) for s in SHAPES]
           for _ in range(steps)]

  def apply(g):
    optimizer.apply(g, variables)

  if compile_mode != "eager":
    apply = tf.function(apply, jit_compile=compile_mode == "xla")
  for g in grads:
    apply(g)
  return [v.numpy() for v in variables]


@pytest.mark.parametrize("compile_mode", ["eager", "function", "xla"])
@pytest.mark.parametrize("kind", ["adam", "adam_clipvalue", "adamw_clipped"])
def test_fused_update_follows_keras(kind, compile_mode):
  if kind == "adam":
    make = lambda cls: cls(learning_rate=0.05)
    pair = (keras.optimizers.Adam, FusedAdam)
  elif kind == "adam_clipvalue":  # the VRNN report's element-wise clipping
    make = lambda cls: cls(learning_rate=0.05, clipvalue=0.01)
    pair = (keras.optimizers.Adam, FusedAdam)
  else:
    make = lambda cls: cls(learning_rate=0.05, weight_decay=0.3, clipnorm=0.5)
    pair = (keras.optimizers.AdamW, FusedAdamW)
  expected = _trajectory(make(pair[0]), compile_mode)
  got = _trajectory(make(pair[1]), compile_mode)
  start = _trajectory(make(pair[1]), compile_mode, steps=0)
  for e, g, s in zip(expected, got, start):
    assert np.max(np.abs(e - s)) > 0.05  # the steps moved the variables
    np.testing.assert_allclose(g, e, rtol=2e-5, atol=2e-6)


def test_a_wrong_update_would_be_caught():
  """The comparison above can fail: epsilon inside the square root differs."""
  expected = _trajectory(keras.optimizers.Adam(learning_rate=0.05, epsilon=1e-7), "eager")
  got = _trajectory(FusedAdam(learning_rate=0.05, epsilon=1e-1), "eager")
  assert max(np.max(np.abs(e - g)) for e, g in zip(expected, got)) > 1e-3


def test_sparse_gradients_fall_back_to_keras():
  table = tf.Variable(np.ones((6, 2), np.float32))
  optimizer = FusedAdam(learning_rate=0.1)
  optimizer.build([table])
  grad = tf.IndexedSlices(tf.ones([2, 2]), tf.constant([1, 4]), tf.constant([6, 2]))
  optimizer.apply([grad], [table])
  moved = np.any(table.numpy() != 1.0, axis=1)
  np.testing.assert_array_equal(moved, [False, True, False, False, True, False])


def test_a_model_compiled_with_it_saves_and_loads(tmp_path):
  model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
  model.compile(optimizer=FusedAdam(learning_rate=0.01), loss="mse")
  model.fit(np.ones((4, 3)), np.zeros((4, 2)), verbose=0)
  path = str(tmp_path / "m.keras")
  model.save(path)
  loaded = keras.models.load_model(path)
  assert isinstance(loaded.optimizer, FusedAdam)
  assert loaded.optimizer.learning_rate.numpy() == pytest.approx(0.01)


def test_the_trainer_uses_it_unless_turned_off():
  import ml_collections  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import make_optimizer  # pylint: disable=g-import-not-at-top
  config = ml_collections.ConfigDict(dict(learning_rate=1e-3))
  assert isinstance(make_optimizer(config), FusedAdam)
  config.fused_optimizer = False
  assert type(make_optimizer(config)) is keras.optimizers.Adam  # pylint: disable=unidiomatic-typecheck
  config.weight_decay = 0.1
  assert type(make_optimizer(config)) is keras.optimizers.AdamW  # pylint: disable=unidiomatic-typecheck
  config.fused_optimizer = True
  assert isinstance(make_optimizer(config), FusedAdamW)


def test_trainer_optimizer_takes_clipvalue():
  import ml_collections
  from tfvae.training.trainer import make_optimizer
  config = ml_collections.ConfigDict(dict(learning_rate=1e-4, clipvalue=100.0))
  optimizer = make_optimizer(config)
  assert isinstance(optimizer, FusedAdam) and optimizer.clipvalue == 100.0
  assert optimizer.clipnorm is None  # the default 0 means no norm clipping
