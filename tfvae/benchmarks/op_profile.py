"""Where a train step's time goes: the top TensorFlow / XLA ops of a profiled window.

``profile_ops`` trains a config's model under one ``throughput`` variant (one warm-up
window compiles and traces it, outside the trace), traces ``steps`` more steps with
``tf.profiler.experimental`` and reads the trace's ``*.xplane.pb`` back (``summarize``).

What is counted, from the ``/host:CPU`` plane (one line per thread):

* TF ops: events named ``"<op name>:<op type>"`` (the executor's per-op trace events, on
  the ``tf_Compute`` inter-op threads and the Python thread for ops run inline). Those
  on ``tf_data`` threads (the input pipeline, prefetched in parallel; under ``fit`` also
  each window's shuffle of the whole training set) are totalled apart. Async kernels
  (``IteratorGetNext``, the call that launches an XLA program) have only
  ``ExecutorState::ProcessAsync`` events and are not counted: their time is waiting, or
  is counted as the ops they run.
* XLA ops: events carrying an ``hlo_op`` stat (the CPU thunks of a ``jit_compile``
  program, on ``tf_Compute`` / Eigen threads). Their type is the HLO opcode (``dot``,
  ``fusion``, ``copy``...) from the HLO proto the trace stores in ``/host:metadata``,
  with the TF op the instruction came from (``tf_op``, ``tf_op_type``).

No time is counted twice: each event counts its *self* time, its duration minus the
counted events nested in it on the same thread (a while loop's body, a function run
inline). Shares are of the total self time of all counted ops (threads run in parallel,
so it can exceed the wall time); the wall time per step is measured around the traced
window (it includes the profiler's overhead and, under ``fit``, one epoch's set-up).
Only host planes are read: on a GPU the host events time the launches, not the kernels.
"""
import collections
import glob
import os
import re
import shutil
import tempfile
from typing import Dict, Optional

_TF_OP = re.compile(r"^([^:\s]+):([A-Za-z_]\w*)$")
_HLO_SUFFIX = re.compile(r"\.\d+$")


def _stat_values(plane, stats) -> Dict[str, object]:
  """{stat name: value} of an event's or a metadata's stats."""
  out = {}
  for s in stats:
    kind = s.WhichOneof("value")
    value = getattr(s, kind) if kind else None
    if kind == "ref_value":
      value = plane.stat_metadata[value].name
    out[plane.stat_metadata[s.metadata_id].name] = value
  return out


def _hlo_instructions(space) -> Dict[int, Dict[str, tuple]]:
  """{program_id: {instruction name: (opcode, tf op type, tf op name)}} of the trace."""
  from tensorflow.compiler.xla.service import hlo_pb2  # pylint: disable=g-import-not-at-top
  out = {}
  for plane in space.planes:
    if plane.name != "/host:metadata":
      continue
    for program_id, meta in plane.event_metadata.items():
      for value in _stat_values(plane, meta.stats).values():
        if not isinstance(value, bytes):
          continue
        proto = hlo_pb2.HloProto()
        try:
          proto.ParseFromString(value)
        except Exception:  # pylint: disable=broad-except
          continue
        out[program_id] = {
            i.name: (i.opcode, i.metadata.op_type, i.metadata.op_name)
            for c in proto.hlo_module.computations for i in c.instructions}
  return out


def _op_events(plane, hlo):
  """Yields (thread group, [(start_ps, end_ps, key)]) per line of ``plane``.

  key: (name, type, tf op type, tf op name, "tf" or "xla").
  """
  tf_ops = {}  # event metadata id -> key, or None for events that are no TF op
  for meta_id, meta in plane.event_metadata.items():
    match = _TF_OP.match(meta.name)
    tf_ops[meta_id] = (match.group(1), match.group(2), "", "", "tf") if match else None
  hlo_op_stat = {i for i, m in plane.stat_metadata.items() if m.name == "hlo_op"}
  for line in plane.lines:
    events = []
    for event in line.events:
      key = tf_ops.get(event.metadata_id)
      if key is None:
        if not any(s.metadata_id in hlo_op_stat for s in event.stats):
          continue
        stats = _stat_values(plane, event.stats)
        name = str(stats["hlo_op"])
        known = hlo.get(int(stats.get("program_id", -1)), {}).get(name)
        opcode, tf_type, tf_name = known or (_HLO_SUFFIX.sub("", name), "", "")
        key = (name, opcode, tf_type, tf_name, "xla")
      events.append((event.offset_ps, event.offset_ps + event.duration_ps, key))
    if events:
      yield line.name.split("/")[0], events


def _self_times(events):
  """(key, self ps) of each event: its duration less its direct children's (one line)."""
  events = sorted(events, key=lambda e: (e[0], -e[1]))
  own = [end - start for start, end, _ in events]
  stack = []
  for i, (start, end, _) in enumerate(events):
    while stack and events[stack[-1]][1] <= start:
      stack.pop()
    if stack:
      parent = stack[-1]
      own[parent] -= min(end, events[parent][1]) - start
    stack.append(i)
  return [(key, max(t, 0)) for (_, _, key), t in zip(events, own)]


#: Name-scope prefixes of the function call itself, skipped by ``op_scope``.
_CALL_SCOPES = ("StatefulPartitionedCall", "PartitionedCall")


def op_scope(name: str) -> str:
  """The outermost name scope of an op below the function call: ``while`` (a loop such
  as the DVAE's Gibbs sweeps), ``gradient_tape`` (the backward pass), the optimizer's
  scope (``adam``, ``fused_adam``), or a layer of the forward pass."""
  parts = [p for p in name.split(":")[0].split("/") if p]
  while len(parts) > 1 and parts[0].startswith(_CALL_SCOPES):
    parts = parts[1:]
  return parts[0] if len(parts) > 1 else "(top level)"


def summarize(space, steps: int, top: int = 15) -> dict:
  """Top ops (by name and by type) of an ``XSpace``, or of an ``.xplane.pb`` path.

  Ops on ``tf_data`` threads (the input pipeline, prefetched while the step runs) are
  left out of the tables and shares; their total is ``input_op_ms_per_step``.
  """
  from tensorflow.tsl.profiler.protobuf import xplane_pb2  # pylint: disable=g-import-not-at-top
  if isinstance(space, str):
    with open(space, "rb") as f:
      space = xplane_pb2.XSpace.FromString(f.read())
  hlo = _hlo_instructions(space)
  by_name = collections.defaultdict(lambda: [0, 0, set()])
  by_thread = collections.defaultdict(int)
  input_ps = 0
  for plane in space.planes:
    if not plane.name.startswith("/host:CPU"):
      continue
    for group, events in _op_events(plane, hlo):
      if group.startswith("tf_data"):
        input_ps += sum(ps for _, ps in _self_times(events))
        continue
      for key, ps in _self_times(events):
        row = by_name[key]
        row[0] += ps
        row[1] += 1
        row[2].add(group)
        by_thread[group] += ps
  total_ps = sum(by_thread.values())
  by_type = collections.defaultdict(lambda: [0, 0])
  for key, (ps, calls, _) in by_name.items():
    by_type[key[1]][0] += ps
    by_type[key[1]][1] += calls

  def share(ps):
    return ps / total_ps if total_ps else 0.0

  ops = [dict(name=k[0], type=k[1], tf_op_type=k[2], tf_op=k[3], engine=k[4], ms=ps / 1e9,
              calls=calls, share=share(ps), threads=sorted(groups))
         for k, (ps, calls, groups) in by_name.items()]
  ops.sort(key=lambda r: -r["ms"])
  types = [dict(type=t, ms=ps / 1e9, calls=calls, share=share(ps))
           for t, (ps, calls) in by_type.items()]
  types.sort(key=lambda r: -r["ms"])
  by_scope = collections.defaultdict(int)
  for key, (ps, _, _) in by_name.items():
    by_scope[op_scope(key[3] or key[0])] += ps
  scopes = [dict(scope=k, ms=ps / 1e9, share=share(ps)) for k, ps in by_scope.items()]
  scopes.sort(key=lambda r: -r["ms"])
  xla_ps = sum(r[0] for k, r in by_name.items() if k[4] == "xla")
  return dict(steps=steps, total_op_ms=total_ps / 1e9, xla_share=share(xla_ps),
              op_ms_per_step=total_ps / 1e9 / steps if steps else 0.0,
              input_op_ms_per_step=input_ps / 1e9 / steps if steps else 0.0,
              thread_shares={g: share(ps) for g, ps in sorted(by_thread.items())},
              distinct_ops=len(ops), top_ops=ops[:top], top_types=types[:top],
              top_scopes=scopes[:top])


def find_xplane(logdir: str) -> str:
  """The newest ``logdir/plugins/profile/*/*.xplane.pb``."""
  paths = glob.glob(os.path.join(logdir, "plugins", "profile", "*", "*.xplane.pb"))
  if not paths:
    raise FileNotFoundError(f"no *.xplane.pb under {logdir}/plugins/profile/")
  return max(paths, key=os.path.getmtime)


def profile_ops(config, variant: str = "fit", steps: int = 10, top: int = 15,
                logdir: Optional[str] = None, seed: int = 0,
                settings: Optional[Dict[str, object]] = None) -> dict:
  """Profiles ``steps`` train steps of ``config`` under ``variant`` (see ``summarize``).

  A warm-up window of ``steps`` steps runs first, untraced. The trace stays in
  ``logdir`` (TensorBoard's profile plugin reads it) if one is given, else it is deleted.
  """
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  from tfvae.benchmarks.throughput import TrainLoop  # pylint: disable=g-import-not-at-top
  own_dir = logdir is None
  logdir = logdir or tempfile.mkdtemp(prefix="tfvae_op_profile_")
  loop = TrainLoop(config, variant, steps, seed, settings)
  try:
    warm_up = loop.run(steps)[0]
    tf.profiler.experimental.start(logdir)
    try:
      seconds = loop.run(steps)[0]
    finally:
      tf.profiler.experimental.stop()
    result = summarize(find_xplane(logdir), steps, top)
  finally:
    loop.close()
    if own_dir:
      shutil.rmtree(logdir, ignore_errors=True)
  result.update(variant=variant, settings=dict(loop.settings), batch_size=loop.batch_size,
                wall_ms_per_step=seconds * 1e3 / steps,
                warm_up_ms_per_step=warm_up * 1e3 / steps,
                logdir=None if own_dir else logdir)
  return result


def format_table(profile: dict) -> str:
  """The top-op and top-type tables of a ``profile_ops`` result, as plain text."""
  steps = profile["steps"] or 1
  threads = ", ".join(f"{g} {v:.0%}" for g, v in profile["thread_shares"].items())
  lines = [f"op profile: {profile.get('variant', '')}, {profile['steps']} steps, "
           f"wall {profile.get('wall_ms_per_step', float('nan')):.1f} ms/step, "
           f"op time {profile['op_ms_per_step']:.1f} ms/step over "
           f"{profile['distinct_ops']} distinct ops, {profile['xla_share']:.0%} in XLA",
           f"op time by thread: {threads}; input pipeline (tf.data threads, not in "
           f"the shares): {profile['input_op_ms_per_step']:.1f} ms/step",
           f"{'share':>7s} {'ms/step':>9s} {'calls':>6s}  {'type':22s} name"]
  for op in profile["top_ops"]:
    origin = f"  [{op['tf_op_type']} {op['tf_op']}]" if op["tf_op"] else ""
    lines.append(f"{op['share']:7.1%} {op['ms'] / steps:9.2f} {op['calls']:6d}  "
                 f"{op['type'][:22]:22s} {op['name']}{origin}")
  lines.append(f"\n{'share':>7s} {'ms/step':>9s} {'calls':>6s}  type")
  for t in profile["top_types"]:
    lines.append(f"{t['share']:7.1%} {t['ms'] / steps:9.2f} {t['calls']:6d}  {t['type']}")
  if profile.get("top_scopes"):
    lines.append(f"\n{'share':>7s} {'ms/step':>9s}  outermost name scope")
    for t in profile["top_scopes"]:
      lines.append(f"{t['share']:7.1%} {t['ms'] / steps:9.2f}  {t['scope']}")
  return "\n".join(lines) + "\n"
