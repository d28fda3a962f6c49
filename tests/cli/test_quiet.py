"""Commands print no TensorFlow start-up chatter on a CPU-only machine (the cuInit error
line, oneDNN and CUDA-driver notices)."""
import os
import subprocess
import sys

from tests.conftest import REPO_ROOT

_SNIPPET = """
from tfvae.cli.common import quiet_tensorflow
quiet_tensorflow()
import tensorflow as tf
import tensorflow_probability as tfp
print(int(tf.constant(1) + 1))
"""


def test_no_start_up_chatter():
  env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
  out = subprocess.run([sys.executable, "-c", _SNIPPET], capture_output=True, text=True,
                       env=env, cwd=REPO_ROOT, timeout=300)
  assert out.returncode == 0, out.stderr
  assert out.stdout.strip() == "2"
  for noise in ("cuInit", "oneDNN", "cuda drivers", "absl::InitializeLog"):
    assert noise not in out.stderr, out.stderr


def test_a_failing_import_still_shows_what_tensorflow_printed(tmp_path):
  """The captured output is replayed when the import fails, so errors are not hidden."""
  fake = tmp_path / "tensorflow"
  fake.mkdir()
  (fake / "__init__.py").write_text(
      "import os\nos.write(2, b'native loader says: libfoo.so missing\\n')\n"
      "raise ImportError('broken tensorflow')\n")
  snippet = "from tfvae.cli.common import quiet_tensorflow\nquiet_tensorflow()\n"
  env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{REPO_ROOT}"}
  out = subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True,
                       env=env, cwd=REPO_ROOT, timeout=300)
  assert out.returncode != 0
  assert "native loader says: libfoo.so missing" in out.stderr
  assert "ImportError: broken tensorflow" in out.stderr
