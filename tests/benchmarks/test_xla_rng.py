"""The XLA RNG timer: every draw, shape and algorithm (ThreeFry only under XLA), and the
end-to-end comparison of a config with and without ``random_ops``."""
from tests.conftest import tiny_vae_config
from tfvae import random_ops
from tfvae.benchmarks import xla_rng


def test_every_algorithm_is_timed_per_shape():
  rows = xla_rng.run(shapes=[(1,), (3, 2)], kinds=["uniform"], repeats=2)
  assert [(r["shape"], r["xla"], r["alg"]) for r in rows[:5]] == [
      ([1], True, "auto_select"), ([1], True, "philox"), ([1], True, "threefry"),
      ([1], False, "auto_select"), ([1], False, "philox")]
  assert len(rows) == 10 and all(r["microseconds"] > 0 for r in rows)
  table = xla_rng.format_draws(rows).splitlines()
  assert len(table) == 12 and table[-1].startswith("| uniform | 3x2 | off | philox |")


def test_config_effect_compares_both_algorithms_and_restores_random_ops():
  saved = random_ops.ALGORITHM, random_ops.explicit_algorithm
  rows = xla_rng.config_effect(tiny_vae_config(), train_steps=2, iwae_examples=4,
                               iwae_samples=3, rounds=1, name="tiny")
  assert (random_ops.ALGORITHM, random_ops.explicit_algorithm) == saved
  assert [r["algorithm"] for r in rows] == ["default", "explicit"]
  for row in rows:
    assert row["config"] == "tiny" and row["iwae_samples"] == 3
    assert row["train_examples_per_sec"] > 0 and row["iwae_samples_per_sec"] > 0
  assert xla_rng.format_effect(rows).startswith("tiny: train ex/s and IWAE (k=3)")
