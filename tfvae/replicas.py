"""Replica arithmetic inside a ``tf.distribute`` step: the pieces that models, networks
and distributions call (all identities with one replica).

The strategies, batches and checkpoint folders are ``tfvae.training.distribute``; this
module sits below the models so that maths need not import training. Gradients: Keras 3's
optimizer *sums* the replicas' gradients, so a train step minimises
``scale_loss_for_replicas(loss)`` (batch-mean loss / R) and hands its gradients through
``gradients_for_apply``. Randomness: ``fold_in_replica``. Non-trainable state:
``add_across_replicas`` (sums stored ONLY_FIRST_REPLICA), ``replica_mean`` (global-batch
statistics), ``shard_rows`` / ``gather_rows`` (a mirrored variable's rows split over the
replicas). See ``docs/distributed.md``.
"""
import tensorflow as tf


def replica_id_and_count():
  """``(replica id tensor or 0, number of replicas in sync)``; ``(0, 1)`` outside any
  replica context (cross-replica code, plain eager calls)."""
  ctx = tf.distribute.get_replica_context()
  if ctx is None or ctx.num_replicas_in_sync == 1:
    return 0, 1
  return ctx.replica_id_in_sync_group, int(ctx.num_replicas_in_sync)


def num_replicas() -> int:
  """Replicas of the current replica context, or of the current strategy outside one."""
  ctx = tf.distribute.get_replica_context()
  if ctx is not None:
    return int(ctx.num_replicas_in_sync)
  return int(tf.distribute.get_strategy().num_replicas_in_sync)


def fold_in_replica(seed):
  """A stateless ``int32[2]`` seed that differs per replica (unchanged with one replica)."""
  replica, count = replica_id_and_count()
  if count == 1:
    return seed
  return tf.random.experimental.stateless_fold_in(
      tf.convert_to_tensor(seed, tf.int32), tf.cast(replica, tf.int32))


def scale_loss_for_replicas(loss):
  """Batch-mean ``loss`` / R: the optimizer sums the replicas' gradients, so this makes
  the applied gradient the global-batch mean (identity with one replica)."""
  _, count = replica_id_and_count()
  if count == 1:
    return loss
  return loss * tf.cast(1.0 / count, loss.dtype)


def _clipping(optimizer):
  inner = getattr(optimizer, "inner_optimizer", optimizer)
  for kind in ("clipnorm", "global_clipnorm", "clipvalue"):
    value = getattr(inner, kind, None)
    if value:
      return kind, float(value)
  return None, None


def gradients_for_apply(grads, optimizer):
  """Replica gradients (of ``scale_loss_for_replicas(loss)``) to hand to
  ``optimizer.apply`` so that the update is the single-replica update.

  Without clipping nor loss scaling they are returned unchanged (the optimizer sums
  them). Otherwise they are all-reduced here, clipped as one replica would clip the
  global gradient (thresholds times the dynamic loss scale, since these gradients are
  still scaled), and divided by R: the optimizer's own clipping is then a no-op and its
  sum gives back the clipped global gradient; a loss-scale optimizer sees the same
  finite/non-finite verdict on every replica.
  """
  _, count = replica_id_and_count()
  if count == 1:
    return grads
  kind, threshold = _clipping(optimizer)
  loss_scaled = hasattr(optimizer, "dynamic_scale")
  if kind is None and not loss_scaled:
    return grads
  present = [g for g in grads if g is not None]
  reduced = iter(tf.distribute.get_replica_context().all_reduce(
      tf.distribute.ReduceOp.SUM, present))
  grads = [None if g is None else next(reduced) for g in grads]
  if kind is not None:
    if loss_scaled:
      threshold = threshold * tf.cast(tf.convert_to_tensor(optimizer.dynamic_scale),
                                      tf.float32)
    if kind == "clipnorm":
      grads = [None if g is None else tf.clip_by_norm(g, tf.cast(threshold, g.dtype))
               for g in grads]
    elif kind == "global_clipnorm":
      clipped = iter(tf.clip_by_global_norm([g for g in grads if g is not None],
                                            threshold)[0])
      grads = [None if g is None else next(clipped) for g in grads]
    else:
      grads = [None if g is None else tf.clip_by_value(
          g, -tf.cast(threshold, g.dtype), tf.cast(threshold, g.dtype)) for g in grads]
  return [None if g is None else g / tf.cast(count, g.dtype) for g in grads]


def add_across_replicas(variable, delta):
  """``variable += sum of delta over the replicas``; returns the update.

  For a variable created with ``aggregation="only_first_replica"``: the deltas are
  all-reduced here, so every replica computes the same new value. (``aggregation="sum"``
  does not work for this: Keras implements ``assign_add`` as ``assign(v + delta)``, and
  summing the replicas' new values gives ``R v + sum delta``.)
  """
  _, count = replica_id_and_count()
  if count > 1:
    delta = tf.distribute.get_replica_context().all_reduce(tf.distribute.ReduceOp.SUM, delta)
  return variable.assign_add(delta)


def replica_mean(value):
  """Mean of ``value`` over the replicas (a differentiable all-reduce); identity with one
  replica. With equal per-replica batches, the mean of per-replica batch means is the
  global batch mean."""
  _, count = replica_id_and_count()
  if count == 1:
    return value
  return tf.distribute.get_replica_context().all_reduce(tf.distribute.ReduceOp.MEAN, value)


def shard_rows(value, what: str = "rows"):
  """This replica's contiguous block of the first axis (all of it with one replica)."""
  replica, count = replica_id_and_count()
  if count == 1:
    return value
  rows = int(value.shape[0])
  if rows % count:
    raise ValueError(f"{rows} {what} cannot be split evenly over {count} replicas; "
                     f"use a multiple of {count}")
  size = rows // count
  return value[tf.cast(replica, tf.int32) * size:][:size]


def gather_rows(value):
  """Concatenates every replica's ``value`` along the first axis, in replica order."""
  _, count = replica_id_and_count()
  if count == 1:
    return value
  return tf.distribute.get_replica_context().all_gather(value, axis=0)


def in_multi_worker_mode(strategy=None) -> bool:
  strategy = strategy or tf.distribute.get_strategy()
  return (isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
          and strategy.extended._in_multi_worker_mode())  # pylint: disable=protected-access


def step_logs(logs: dict) -> dict:
  """Step logs of a ``train_step``/``test_step``, fit for Keras' cross-replica reduction.

  Keras 3 (3.15) averages them across workers with ``strategy.reduce(MEAN, v, axis=0)``,
  which fails on scalars (tensorflow#72388): across workers each value gets a leading
  axis of 1, which that reduction removes. Unchanged otherwise.
  """
  if not in_multi_worker_mode():
    return logs
  return {name: tf.reshape(value, [1]) for name, value in logs.items()}
