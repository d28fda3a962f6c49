"""Imports run one way through the package's layers, and no two modules import each other.

Layers, bottom to top (a module may import its own layer and those below):

0. data, maths and plumbing: ``data``, ``distributions``, ``bijectors``, ``nets``,
   ``random_ops``, ``replicas``, ``request_checks``, ``images``, ``registry``,
   ``config_files``, ``configs``;
1. ``models``;
2. ``export`` (a model's sampler signatures, limits and versions);
3. ``training`` and ``evaluation``;
4. ``benchmarks`` and ``cli``;
5. ``api`` and the package ``__init__``.

Every import statement counts, including those inside functions. ``KNOWN`` lists the
upward imports that remain, each with its reason; the test fails on any other, and on an
entry of ``KNOWN`` that no longer occurs (so the list cannot go stale).
"""
import ast
import os

from tests.conftest import REPO_ROOT

LAYERS = {
    "data": 0, "distributions": 0, "bijectors": 0, "nets": 0, "random_ops": 0,
    "replicas": 0, "request_checks": 0, "images": 0, "registry": 0, "config_files": 0,
    "configs": 0, "models": 1, "export": 2, "training": 3, "evaluation": 3,
    "benchmarks": 4, "cli": 4, "api": 5, "__init__": 5,
}

KNOWN = {
    # The registries import the built-in families on the first lookup (plugin loading).
    ("tfvae.registry", "tfvae.models"),
}


# The registries import the packages whose decorators fill them, on the first lookup.
REGISTRY_LOADING = {("tfvae.data", "tfvae.registry"), ("tfvae.models", "tfvae.registry")}


def _module_name(path):
  rel = os.path.relpath(path, REPO_ROOT)[:-3].replace(os.sep, ".")
  return rel[:-len(".__init__")] if rel.endswith(".__init__") else rel


def _layer(module):
  parts = module.split(".")
  return LAYERS[parts[1] if len(parts) > 1 else "__init__"]


def _imports():
  """``{module: set of tfvae modules it imports}`` (``from a import b`` counts as ``a.b``
  when ``a.b`` is a module, else ``a``)."""
  modules = set()
  files = []
  for folder, _, names in os.walk(os.path.join(REPO_ROOT, "tfvae")):
    for name in names:
      if name.endswith(".py"):
        files.append(os.path.join(folder, name))
        modules.add(_module_name(files[-1]))
  graph = {}
  for path in files:
    found = set()
    for node in ast.walk(ast.parse(open(path, encoding="utf-8").read())):
      if isinstance(node, ast.Import):
        found.update(a.name for a in node.names)
      elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        for a in node.names:
          full = f"{node.module}.{a.name}"
          found.add(full if full in modules else node.module)
    graph[_module_name(path)] = {m for m in found if m.split(".")[0] == "tfvae"}
  return graph


def test_no_import_runs_up_a_layer():
  upward = set()
  for module, targets in _imports().items():
    for target in targets:
      if target != "tfvae" and _layer(target) > _layer(module):
        upward.add((module, target))
  assert sorted(upward - KNOWN) == []
  assert sorted(KNOWN - upward) == []  # fixed: take it off the list


def test_no_two_modules_import_each_other():
  graph = _imports()
  pairs = sorted({tuple(sorted((a, b))) for a, targets in graph.items() for b in targets
                  if a != b and a in graph.get(b, ())
                  and not (a == "tfvae" or b == "tfvae")})
  # A package's __init__ importing its own modules, which import a sibling through the
  # package, is not a cycle between two files.
  pairs = [(a, b) for a, b in pairs if not (b.startswith(a + ".") or a.startswith(b + "."))]
  assert sorted(set(pairs) - REGISTRY_LOADING) == []
