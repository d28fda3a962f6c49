"""Schedule values and the callback that assigns model variables."""
import math

import pytest

from tfvae.training.schedules import VariableSchedule, schedule_value


def test_schedule_values():
  assert schedule_value("linear", 5, 0.0, 1.0, 10) == pytest.approx(0.5)
  assert schedule_value("linear", 50, 0.0, 1.0, 10) == 1.0
  assert schedule_value("exponential", 5, 1.0, 0.25, 10) == pytest.approx(0.5)
  assert schedule_value("exponential", 99, 1.0, 0.25, 10) == pytest.approx(0.25)
  assert schedule_value("exp_rate", 2, 1.0, 0.5, rate=0.1) == pytest.approx(math.exp(-0.2))
  assert schedule_value("exp_rate", 100, 1.0, 0.5, rate=0.1) == 0.5
  assert schedule_value("constant", 7, 0.3) == 0.3
  step = dict(boundaries=(20, 40), values=(3e-5, 3e-6))
  assert [schedule_value("piecewise", t, 1e-4, **step) for t in (0, 19, 20, 39, 40, 99)] == [
      1e-4, 1e-4, 3e-5, 3e-5, 3e-6, 3e-6]


def test_bad_schedules_are_rejected():
  with pytest.raises(ValueError, match="unknown schedule kind"):
    schedule_value("cosine", 0, 1.0)
  with pytest.raises(ValueError, match="positive 'duration'"):
    VariableSchedule("kl_weight", "linear", 0.0, 1.0, duration=0)
  with pytest.raises(ValueError, match="unit must be"):
    VariableSchedule("kl_weight", "linear", 0.0, 1.0, duration=3, unit="batch")
  with pytest.raises(ValueError, match="as many 'values'"):
    VariableSchedule("optimizer.learning_rate", "piecewise", 1e-4, boundaries=(2, 4),
                     values=(1e-5,))
  with pytest.raises(ValueError, match="must increase"):
    schedule_value("piecewise", 0, 1.0, boundaries=(4, 2), values=(0.5, 0.1))


def test_warmup_assigns_model_variable(tmp_path):
  from tests.conftest import tiny_vae_config
  from tfvae.training.trainer import train
  config = tiny_vae_config(epochs=2)
  config.train.schedules = {"kl_weight": {"kind": "linear", "start": 0.0, "end": 1.0,
                                          "duration": 4, "unit": "epoch"}}
  result = train(config, str(tmp_path), log=lambda *_: None)
  assert float(result.model.kl_weight.numpy()) == pytest.approx(0.25)  # epoch index 1
  # loss = -(rec - beta kl) differs from -elbo once beta < 1
  hist = result.history
  assert hist["loss"][-1] < -hist["elbo"][-1]


def test_delayed_learning_rate_decay(tmp_path):
  from tests.conftest import tiny_vae_config
  from tfvae.training.trainer import train
  config = tiny_vae_config(epochs=3)
  config.train.lr_schedule = {"kind": "exponential", "start": 1e-3, "end": 1e-4,
                              "duration": 4, "begin": 1}
  result = train(config, str(tmp_path), log=lambda *_: None)
  # last epoch index 2 -> t = 1 of 4: 1e-3 * 0.1 ** 0.25
  assert float(result.model.optimizer.learning_rate.numpy()) == pytest.approx(
      1e-3 * 0.1**0.25, rel=1e-5)


def test_step_schedule_follows_optimizer_iterations_with_steps_per_execution(tmp_path):
  from tests.conftest import tiny_vae_config
  from tfvae.training.trainer import train
  config = tiny_vae_config(epochs=1, steps_per_execution=5)
  config.train.schedules = {"kl_weight": {"kind": "linear", "start": 0.0, "end": 1.0,
                                          "duration": 100, "unit": "step"}}
  result = train(config, str(tmp_path), log=lambda *_: None)
  # 10 steps in executions of 5: the last assignment happened at iteration 5.
  assert float(result.model.kl_weight.numpy()) == pytest.approx(0.05)


def test_piecewise_learning_rate_by_optimizer_step(tmp_path):
  """The report's step decay: the rate changes at the given optimizer iterations."""
  from tests.conftest import tiny_vae_config
  from tfvae.training.trainer import train
  config = tiny_vae_config(epochs=1, steps_per_execution=1)
  config.train.lr_schedule = {"kind": "piecewise", "start": 1e-3, "boundaries": (4, 8),
                              "values": (3e-4, 3e-5), "unit": "step"}
  result = train(config, str(tmp_path), log=lambda *_: None)
  # 10 steps: the last assignment happened before step index 9 (>= 8).
  assert float(result.model.optimizer.learning_rate.numpy()) == pytest.approx(3e-5)
  assert result.history["schedule_learning_rate"][-1] == pytest.approx(3e-5)
