"""Matmul FLOPs of one training example, counted from the traced train step.

``train_flops_per_example`` traces ``model.train_step`` on one batch (a ``tf.function``
graph: the forward pass, the gradient ops the tape adds, the optimizer update) and sums
``2 M N K`` over its ``MatMul`` / ``BatchMatMul`` ops (batch dimensions multiplied in),
divided by the batch size. Element-wise work is not counted: the figure is the one a
matmul peak is compared with. Whatever runs once per step rather than per example (a
VampPrior's pseudo-inputs through the encoder) is counted too, shared by the batch.

Functions called from the graph (nested ``tf.function`` calls) are followed. A loop body
has no static trip count and only one branch of a ``cond`` runs: a loop or cond holding a
matmul raises rather than be miscounted (the MLP, flow and VampPrior steps have none; the
recurrent models' loops do).
"""
import tensorflow as tf

_MATMULS = ("MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3")
_CALLS = ("StatefulPartitionedCall", "PartitionedCall")
# Ops whose function attributes run a number of times the graph does not fix.
_CONTROL = {"While": ("cond", "body"), "StatelessWhile": ("cond", "body"),
            "If": ("then_branch", "else_branch"),
            "StatelessIf": ("then_branch", "else_branch")}


def _static(shape, op) -> list:
  dims = shape.as_list() if shape.rank is not None else None
  if dims is None or any(d is None for d in dims):
    raise ValueError(f"{op.type} {op.name} has a dynamic input shape {shape}: trace with "
                     "a fixed batch")
  return dims


def matmul_flops(op) -> int:
  """``2 M N K`` (times the broadcast batch size) of one matmul op."""
  a = _static(op.inputs[0].shape, op)
  b = _static(op.inputs[1].shape, op)
  if op.type == "MatMul":
    m, k = (a[1], a[0]) if op.get_attr("transpose_a") else (a[0], a[1])
    n = b[0] if op.get_attr("transpose_b") else b[1]
    return 2 * m * n * k
  m, k = (a[-1], a[-2]) if op.get_attr("adj_x") else (a[-2], a[-1])
  n = b[-2] if op.get_attr("adj_y") else b[-1]
  batch = 1
  for d in tf.broadcast_static_shape(tf.TensorShape(a[:-2]), tf.TensorShape(b[:-2])):
    batch *= d
  return 2 * batch * m * n * k


def _function_graph(graph, name: str):
  while graph is not None:
    fn = graph._get_function(name)  # pylint: disable=protected-access
    if fn is not None:
      return fn.graph
    graph = getattr(graph, "outer_graph", None)
  raise ValueError(f"function {name} not found in the graph's library")


def graph_flops(graph) -> int:
  """Sum of matmul FLOPs over ``graph`` and the functions it calls."""
  total = 0
  for op in graph.get_operations():
    if op.type in _MATMULS:
      total += matmul_flops(op)
    elif op.type in _CALLS:
      total += graph_flops(_function_graph(graph, op.get_attr("f").name))
    elif op.type in _CONTROL:
      for attr in _CONTROL[op.type]:
        if _count_matmuls(_function_graph(graph, op.get_attr(attr).name)):
          raise ValueError(f"{op.type} {op.name} has matmuls in its {attr}: how often "
                           "it runs is not fixed by the graph, so its FLOPs are not "
                           "counted")
  return total


def _count_matmuls(graph) -> int:
  """Matmul ops in ``graph`` and everything it calls, loops and conds included."""
  n = 0
  for op in graph.get_operations():
    n += op.type in _MATMULS
    attrs = ("f",) if op.type in _CALLS else _CONTROL.get(op.type, ())
    for attr in attrs:
      n += _count_matmuls(_function_graph(graph, op.get_attr(attr).name))
  return n


def train_flops_per_example(model, batch) -> float:
  """Matmul FLOPs of ``model.train_step(batch)`` divided by the batch size."""
  size = int(tf.nest.flatten(batch)[0].shape[0])
  step = tf.function(lambda b: model.train_step(b), autograph=False)
  graph = step.get_concrete_function(batch).graph
  return graph_flops(graph) / size
