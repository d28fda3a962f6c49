"""Commands are the console scripts of ``tfvae/cli`` (``tfvae-benchmark --micro=...``,
``--collect_histories``, ...): no other module under ``tfvae/`` is a script of its own."""
import os
import re

from tests.conftest import REPO_ROOT

MAIN = re.compile(r"""^if\s+__name__\s*==\s*["']__main__["']\s*:""", re.MULTILINE)

SCRIPTS = {
    # Run by run_suite as ``python -m tfvae.benchmarks.run_entry``, one process per suite
    # entry, so that each entry's peak memory and time are its own.
    "tfvae/benchmarks/run_entry.py",
    # The maintainers' one-off build of the shipped assets/keras_architectures.npz.
    "tfvae/data/build_architectures.py",
}


def _modules_with_main():
  found = set()
  for folder, _, names in os.walk(os.path.join(REPO_ROOT, "tfvae")):
    for name in names:
      path = os.path.join(folder, name)
      rel = os.path.relpath(path, REPO_ROOT).replace(os.sep, "/")
      if not name.endswith(".py") or rel.startswith("tfvae/cli/"):
        continue
      with open(path, encoding="utf-8") as f:
        if MAIN.search(f.read()):
          found.add(rel)
  return found


def test_no_library_module_has_a_main_block():
  found = _modules_with_main()
  assert found - SCRIPTS == set(), "put the command in tfvae/cli (tfvae-benchmark ...)"
  assert SCRIPTS - found == set(), "no longer a script: drop it from SCRIPTS"
