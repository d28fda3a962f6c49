"""Schedules of non-trainable model variables (beta warm-up, temperatures, ...).

A ``VariableSchedule`` callback assigns ``model.<variable>`` from a schedule of training
progress t (epochs or optimizer steps). Kinds, with ``start``, ``end`` and ``duration``:

* ``constant``:    start
* ``linear``:      start + (end - start) * min(t / duration, 1)       (beta warm-up)
* ``exponential``: start * (end / start) ** min(t / duration, 1)       (T_max -> T_min)
* ``exp_rate``:    max(end, start * exp(-rate * t))                   (tau = max(0.5, e^{-rt}))
* ``piecewise``:   start before ``boundaries[0]``, then ``values[i]`` from ``boundaries[i]``
                   (step decay: the VRNN report's 1e-4, 3e-5, 3e-6 every 20k iterations)

``begin`` delays a schedule: t is counted from ``begin`` (the value is ``start`` before).
A variable name ``optimizer.<name>`` targets the optimizer (e.g. its learning rate).

Each epoch's last value is logged as ``schedule_<name>`` (history.json, TensorBoard), so
a warm-up is visible beside the loss terms.

Config form (``config.train.schedules``): ``{"kl_weight": {"kind": "linear", "start": 0.,
"end": 1., "duration": 10, "unit": "epoch"}, ...}``. Progress is read from the epoch index
and ``optimizer.iterations``, so a resumed run continues the same schedule.
"""
import math

import keras

KINDS = ("constant", "linear", "exponential", "exp_rate", "piecewise")
UNITS = ("epoch", "step")


def schedule_value(kind: str, t: float, start: float, end: float = None,
                   duration: float = None, rate: float = None, boundaries=None,
                   values=None) -> float:
  """Value of the schedule ``kind`` at progress ``t`` (see module docstring)."""
  if kind == "constant":
    return float(start)
  if kind == "piecewise":
    boundaries, values = list(boundaries or ()), list(values or ())
    if not boundaries or len(boundaries) != len(values):
      raise ValueError("piecewise schedule needs 'boundaries' and as many 'values'")
    if any(b1 <= b0 for b0, b1 in zip(boundaries, boundaries[1:])):
      raise ValueError(f"piecewise boundaries must increase, got {boundaries}")
    value = start
    for boundary, next_value in zip(boundaries, values):
      if t >= boundary:
        value = next_value
    return float(value)
  if kind in ("linear", "exponential"):
    if end is None or not duration or duration <= 0:
      raise ValueError(f"{kind} schedule needs 'end' and a positive 'duration'")
    frac = min(max(t / float(duration), 0.0), 1.0)
    if kind == "linear":
      return float(start + (end - start) * frac)
    if start <= 0 or end <= 0:
      raise ValueError("exponential schedule needs positive start and end")
    return float(start * (end / start) ** frac)
  if kind == "exp_rate":
    if rate is None or end is None:
      raise ValueError("exp_rate schedule needs 'rate' and 'end' (the floor)")
    return float(max(end, start * math.exp(-rate * t)))
  raise ValueError(f"unknown schedule kind {kind!r}; known kinds: {', '.join(KINDS)}")


class VariableSchedule(keras.callbacks.Callback):
  """Assigns ``model.<variable>`` = schedule(t) each epoch or each step."""

  def __init__(self, variable: str, kind: str, start: float, end: float = None,
               duration: float = None, rate: float = None, unit: str = "epoch",
               begin: float = 0.0, boundaries=None, values=None):
    super().__init__()
    if unit not in UNITS:
      raise ValueError(f"schedule unit must be one of {UNITS}, got {unit!r}")
    schedule_value(kind, 0.0, start, end, duration, rate, boundaries, values)  # validate
    self.variable = variable
    self.unit = unit
    self.begin = float(begin)
    self.schedule = dict(kind=kind, start=start, end=end, duration=duration, rate=rate,
                         boundaries=boundaries, values=values)

  def _assign(self, t):
    owner, name = self.model, self.variable
    if name.startswith("optimizer."):
      owner, name = self.model.optimizer, name[len("optimizer."):]
    target = getattr(owner, name, None)
    if target is None or not hasattr(target, "assign"):
      raise AttributeError(f"model {type(self.model).__name__} has no variable "
                           f"{self.variable!r} to schedule")
    target.assign(schedule_value(t=max(float(t) - self.begin, 0.0), **self.schedule))

  def on_train_begin(self, logs=None):
    if self.unit == "step":
      self._assign(int(self.model.optimizer.iterations.numpy()))

  def on_epoch_begin(self, epoch, logs=None):
    if self.unit == "epoch":
      self._assign(epoch)

  @property
  def log_name(self) -> str:
    """Key of the epoch logs (and TensorBoard) holding the value: ``schedule_<name>``."""
    return "schedule_" + self.variable.replace("optimizer.", "")

  def on_epoch_end(self, epoch, logs=None):
    """Logs the value the epoch ended with (TensorBoard ``epoch_schedule_<name>``)."""
    if logs is None:
      return
    owner, name = self.model, self.variable
    if name.startswith("optimizer."):
      owner, name = self.model.optimizer, name[len("optimizer."):]
    target = getattr(owner, name, None)
    if target is not None and hasattr(target, "numpy"):
      logs[self.log_name] = float(target.numpy())

  def on_train_batch_begin(self, batch, logs=None):
    # Keras calls this once per ``steps_per_execution`` steps: read the true step
    # count (the value is held for the steps of one execution).
    if self.unit == "step":
      self._assign(int(self.model.optimizer.iterations.numpy()))


def schedules_from_config(schedules, lr_schedule=None) -> list:
  """``VariableSchedule`` callbacks from ``{variable: {kind, start, ...}}`` and an
  optional learning-rate schedule ``{kind, start, ...}`` (config ``train.lr_schedule``)."""
  callbacks = []
  for variable, spec in dict(schedules or {}).items():
    callbacks.append(VariableSchedule(variable, **dict(spec)))
  if lr_schedule:
    callbacks.append(VariableSchedule("optimizer.learning_rate", **dict(lr_schedule)))
  return callbacks


def check_schedules(schedules, lr_schedule=None) -> None:
  """Raises ``ValueError`` naming the config entry of a malformed schedule spec (unknown
  kind or unit, missing ``end``/``duration``/``rate``, unknown argument); run before
  training starts so nothing is written for a config that cannot run."""
  specs = [(f"train.schedules.{name}", spec) for name, spec in dict(schedules or {}).items()]
  if lr_schedule:
    specs.append(("train.lr_schedule", lr_schedule))
  for where, spec in specs:
    try:
      VariableSchedule(where, **dict(spec))
    except TypeError as e:  # unknown or missing argument
      raise ValueError(f"config.{where}: {e}; a schedule takes kind, start, end, "
                       "duration, rate, unit, begin, boundaries, values") from e
    except ValueError as e:
      raise ValueError(f"config.{where}: {e}") from e
