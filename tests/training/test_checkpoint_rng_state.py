"""Restoring tolerates renamed RNG state (Keras SeedGenerator) but nothing else."""
import keras
import pytest

from tfvae.training.checkpoints import CheckpointError, Checkpointer


def _model(units=4, extra_generators=0):
  keras.backend.clear_session()  # same layer names in both models (as in a new process)
  for _ in range(extra_generators):  # shifts the global auto-numbering of generators
    keras.random.SeedGenerator(1)
  model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(units),
                            keras.layers.Dropout(0.5), keras.layers.Dense(2)])
  model.compile(optimizer="adam", loss="mse")
  model.optimizer.build(model.trainable_variables)
  return model


def test_renamed_seed_generator_state_is_accepted(tmp_path):
  saved = _model()
  ckpt = Checkpointer(str(tmp_path), saved)
  ckpt.epoch.assign(3)
  ckpt.manager.save()
  saved_rng = sorted(v.path for v in saved.variables if "seed_generator" in v.path)
  restored = _model(extra_generators=2)
  assert saved_rng and saved_rng != sorted(
      v.path for v in restored.variables if "seed_generator" in v.path)
  assert Checkpointer(str(tmp_path), restored).restore_latest() == 3
  for a, b in zip(saved.trainable_variables, restored.trainable_variables):
    assert (a.numpy() == b.numpy()).all()


def test_a_missing_learned_variable_is_still_an_error(tmp_path):
  ckpt = Checkpointer(str(tmp_path), _model())
  ckpt.manager.save()
  with pytest.raises(CheckpointError, match="cannot be restored into this model"):
    Checkpointer(str(tmp_path), _model(units=5)).restore_latest()
