"""``tf.distribute`` strategies from config, and the replica-aware pieces of a train step.

``config.train.distribute`` (absent = the default strategy, i.e. whatever strategy scope
is current, normally one device)::

  distribute = dict(strategy="default" | "mirrored" | "multi_worker",
                    devices=(),         # mirrored only: e.g. ("/gpu:0", "/gpu:1")
                    logical_cpus=0,     # split the CPU into n logical devices first
                    communication="auto")  # multi_worker: "auto" | "ring" | "nccl"

``mirrored`` with no ``devices`` uses every GPU, or the ``logical_cpus`` CPU devices, or
the one CPU. ``multi_worker`` reads the cluster from ``TF_CONFIG`` and must be created
before TensorFlow runs any op (the trainer makes it first thing).

Batches. ``config.train.batch_size`` is the GLOBAL batch: Keras splits every batch of the
dataset over the R replicas (``per_replica_batch`` = global / R, an error when R does not
divide it), so 1 and R replicas at equal global batch see the same examples per step.

Gradients. In a custom ``train_step`` Keras 3's optimizer *sums* the gradients of the
replicas (``optimizer.apply`` all-reduces with SUM). ``LatentVariableModel.train_step``
therefore minimises ``scale_loss_for_replicas(loss)`` = batch-mean loss / R, so the applied
gradient is the mean over the global batch, the single-replica update. Gradient clipping
in the optimizer acts on each replica's share before that sum;
``gradients_for_apply`` all-reduces and clips the global gradient first when clipping (or
a loss-scale optimizer's finiteness check) is configured, so clipping is that of one
replica too.

Randomness. ``fold_in_replica(seed)`` makes each replica draw different noise from the
same checkpointed step counter (replica 0 of 1 keeps the seed unchanged).

Non-trainable state (see ``docs/distributed.md``): the seed counter is ONLY_FIRST_REPLICA
(identical on every replica); sums accumulated in a step are all-reduced first and stored
ONLY_FIRST_REPLICA (``add_across_replicas``: CP-VAE q(c) running sums; Keras' ``assign_add``
breaks SUM aggregation); batch-norm statistics are computed over the global batch
(``replica_mean``); the DVAE's persistent chains are one mirrored variable whose rows are
sharded over the replicas for the Gibbs sweeps and gathered back (``shard_rows`` /
``gather_rows``). ``replica_divergence`` lists variables whose replica copies differ.
"""
import os
import shutil
import tempfile

import keras
import tensorflow as tf

from tfvae.replicas import (  # noqa: F401  the replica arithmetic, re-exported
    replica_id_and_count, num_replicas, fold_in_replica, scale_loss_for_replicas, gradients_for_apply, add_across_replicas, replica_mean, shard_rows, gather_rows, in_multi_worker_mode, step_logs)

STRATEGIES = ("default", "mirrored", "multi_worker")
COMMUNICATION = {"auto": "AUTO", "ring": "RING", "nccl": "NCCL"}
_KEYS = ("strategy", "devices", "logical_cpus", "communication")
# One strategy per device set and process: two MirroredStrategy objects over the same
# devices reuse collective group/instance keys, and a later run's all-reduce then
# collides with the earlier one ("Shape mismatch in the collective instance 100").
_STRATEGIES = {}


# -------------------------------------------------------------- from config
def distribute_settings(train_config) -> dict:
  """``config.train.distribute`` as a dict with every key (a string = the strategy)."""
  raw = train_config.get("distribute") if hasattr(train_config, "get") else None
  if raw is None:
    raw = {}
  elif isinstance(raw, str):
    raw = {"strategy": raw}
  settings = dict(raw)
  unknown = sorted(set(settings) - set(_KEYS))
  if unknown:
    raise ValueError(f"unknown train.distribute key(s) {unknown}; valid: {list(_KEYS)}")
  settings.setdefault("strategy", "default")
  settings["devices"] = tuple(settings.get("devices") or ())
  settings["logical_cpus"] = int(settings.get("logical_cpus") or 0)
  settings.setdefault("communication", "auto")
  if settings["strategy"] not in STRATEGIES:
    raise ValueError(f"train.distribute.strategy must be one of {STRATEGIES}, "
                     f"got {settings['strategy']!r}")
  if settings["communication"] not in COMMUNICATION:
    raise ValueError(f"train.distribute.communication must be one of "
                     f"{tuple(COMMUNICATION)}, got {settings['communication']!r}")
  if settings["devices"] and settings["strategy"] != "mirrored":
    raise ValueError("train.distribute.devices applies to strategy='mirrored' only "
                     "(multi_worker uses every local device of each worker)")
  if settings["logical_cpus"] < 0:
    raise ValueError(f"train.distribute.logical_cpus must be >= 0, "
                     f"got {settings['logical_cpus']}")
  return settings


def configure_logical_cpus(num: int) -> None:
  """Splits the first physical CPU into ``num`` logical devices (``/cpu:0..num-1``).

  Must run before TensorFlow initialises its devices (before the first op).
  """
  cpu = tf.config.list_physical_devices("CPU")[0]
  current = tf.config.get_logical_device_configuration(cpu)
  if current is not None and len(current) == num:
    return
  try:
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(num)])
  except RuntimeError as e:
    have = len(tf.config.list_logical_devices("CPU"))
    if have == num:
      return
    raise RuntimeError(
        f"cannot split the CPU into {num} logical devices: TensorFlow already "
        f"initialised {have} (train.distribute.logical_cpus must take effect before "
        "any TensorFlow op runs; start a fresh process)") from e


def make_strategy(train_config) -> tf.distribute.Strategy:
  """The ``tf.distribute.Strategy`` named by ``train_config.distribute``.

  ``default`` returns the current strategy (the one of an enclosing ``scope()``, else
  the single-device default), so existing configs keep their behaviour. The others are
  created once per process and device set, then reused (see ``_STRATEGIES``).
  """
  settings = distribute_settings(train_config)
  if settings["logical_cpus"]:
    configure_logical_cpus(settings["logical_cpus"])
  name = settings["strategy"]
  if name == "default":
    return tf.distribute.get_strategy()
  if name == "mirrored":
    devices = list(settings["devices"])
    if not devices and settings["logical_cpus"] and not tf.config.list_logical_devices("GPU"):
      devices = [f"/cpu:{i}" for i in range(settings["logical_cpus"])]
    key = ("mirrored", tuple(devices))
    if key not in _STRATEGIES:
      _STRATEGIES[key] = tf.distribute.MirroredStrategy(devices or None)
    return _STRATEGIES[key]
  key = ("multi_worker", settings["communication"])
  if key not in _STRATEGIES:
    options = tf.distribute.experimental.CommunicationOptions(
        implementation=getattr(tf.distribute.experimental.CommunicationImplementation,
                               COMMUNICATION[settings["communication"]]))
    _STRATEGIES[key] = tf.distribute.MultiWorkerMirroredStrategy(
        communication_options=options)
  return _STRATEGIES[key]


def per_replica_batch(global_batch: int, strategy=None, what: str = "train.batch_size") -> int:
  """``global_batch / R``; a clear error when the R replicas do not divide it."""
  replicas = (strategy or tf.distribute.get_strategy()).num_replicas_in_sync
  global_batch = int(global_batch)
  if global_batch % replicas:
    raise ValueError(
        f"{what}={global_batch} is the global batch and must be divisible by the "
        f"{replicas} replicas of the distribution strategy (e.g. "
        f"{what}={max(replicas, global_batch - global_batch % replicas)})")
  return global_batch // replicas


def check_eval_batches(num_examples: int, batch_size: int, strategy=None,
                       what: str = "train.eval_batch_size") -> None:
  """Evaluation batches are split over the replicas too: a last batch with fewer examples
  than replicas leaves a replica an empty batch, whose mean is NaN (measured: NaN
  ``val_*`` metrics). Raises a clear error for that case."""
  replicas = (strategy or tf.distribute.get_strategy()).num_replicas_in_sync
  last = int(num_examples) % int(batch_size)
  if replicas > 1 and 0 < last < replicas:
    raise ValueError(
        f"{what}={batch_size} leaves a last batch of {last} of the {num_examples} "
        f"validation examples, fewer than the {replicas} replicas (one would get an "
        "empty batch and NaN metrics); pick a batch size that divides the split or "
        f"leaves at least {replicas}")


def jit_compile(requested, strategy=None) -> bool:
  """``train.jit_compile`` under ``strategy``: XLA is kept for one replica only (a
  compiled step cannot reach the other replicas' variables, as Keras' "auto" knows)."""
  replicas = (strategy or tf.distribute.get_strategy()).num_replicas_in_sync
  return bool(requested) and replicas == 1


def steps_per_execution(requested, strategy=None, steps_per_epoch: int = 0) -> int:
  """``train.steps_per_execution`` under ``strategy``: 1 with several replicas.

  Keras 3.15's multi-step loop fails under MirroredStrategy even for a plain model
  ("You must feed a value for placeholder tensor 'while/cond/Placeholder'", measured).

  With ``steps_per_epoch`` > 0 the result is the largest divisor of it that is at most
  ``requested``: on an endless stream Keras runs whole executions, ceil(steps / spe) *
  spe optimizer steps an epoch (measured: 30 for 25 steps at spe 10), which would run
  the schedules ahead and misalign the epochs' data.
  """
  replicas = (strategy or tf.distribute.get_strategy()).num_replicas_in_sync
  if replicas > 1:
    return 1
  requested = max(1, int(requested))
  if steps_per_epoch > 0:
    return max(d for d in range(1, min(requested, steps_per_epoch) + 1)
               if steps_per_epoch % d == 0)
  return requested


def shard_by_data(dataset: tf.data.Dataset) -> tf.data.Dataset:
  """Auto-sharding by data (each worker keeps its slice of every global batch).

  The in-memory pipelines have no files to shard, so this only makes TF's fallback
  explicit (and silent).
  """
  options = tf.data.Options()
  options.experimental_distribute.auto_shard_policy = (
      tf.data.experimental.AutoShardPolicy.DATA)
  return dataset.with_options(options)


# ---------------------------------------------------------------- workers
def task(strategy=None):
  """``(task_type, task_id)`` of this process in a multi-worker cluster, else (None, 0)."""
  strategy = strategy or tf.distribute.get_strategy()
  resolver = getattr(strategy, "cluster_resolver", None)
  if resolver is None or not resolver.cluster_spec().as_dict():
    return None, 0
  return resolver.task_type, int(resolver.task_id or 0)


def is_chief(strategy=None) -> bool:
  """True for the process that writes checkpoints, logs and exports.

  That is the ``chief`` task if the cluster has one, else worker 0; a single-process
  strategy is always its own chief.
  """
  strategy = strategy or tf.distribute.get_strategy()
  task_type, task_id = task(strategy)
  if task_type is None:
    return True
  cluster = strategy.cluster_resolver.cluster_spec().as_dict()
  if "chief" in cluster:
    return task_type == "chief"
  return task_type == "worker" and task_id == 0


def write_dir(workdir: str, strategy=None) -> str:
  """Where this process writes: ``workdir`` for the chief, a fresh temporary folder for
  the other workers (they must still save checkpoints, since saving distributed
  variables takes part in collectives; ``remove_worker_dir`` deletes it afterwards)."""
  if is_chief(strategy):
    return workdir
  task_type, task_id = task(strategy)
  return tempfile.mkdtemp(prefix=f"tfvae-{task_type}{task_id}-")


def remove_worker_dir(path: str, workdir: str) -> None:
  """Deletes a non-chief's temporary write folder (never the shared ``workdir``)."""
  if os.path.abspath(path) != os.path.abspath(workdir):
    shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------- checking
def replica_divergence(model, strategy=None, atol: float = 0.0) -> list:
  """Paths of ``model``'s variables whose local replica copies differ (mirrored variables
  only; per-replica metric accumulators are skipped). Empty when the state is in sync."""
  strategy = strategy or tf.distribute.get_strategy()
  diverged = []
  for variable in model.variables:
    value = getattr(variable, "value", variable)
    if not isinstance(value, tf.distribute.DistributedValues):
      continue
    if getattr(value, "synchronization", None) == tf.VariableSynchronization.ON_READ:
      continue
    copies = [c.numpy() for c in strategy.experimental_local_results(value)]
    first = copies[0]
    for other in copies[1:]:
      if first.dtype.kind in "fc":
        same = bool((abs(first - other) <= atol).all())
      else:
        same = bool((first == other).all())
      if not same:
        diverged.append(getattr(variable, "path", variable.name))
        break
  return diverged


class ReplicaConsistency(keras.callbacks.Callback):
  """Raises at the end of an epoch if some model state differs between local replicas
  (a variable updated in ``train_step`` without a deliberate aggregation)."""

  def __init__(self, strategy):
    super().__init__()
    self.strategy = strategy

  def on_epoch_end(self, epoch, logs=None):
    diverged = replica_divergence(self.model, self.strategy)
    if diverged:
      raise RuntimeError(
          f"model state differs between replicas after epoch {epoch + 1}: {diverged}. "
          "Give these variables an aggregation (see docs/distributed.md)")
