"""The README's Python-API block runs as written (in a fresh process, in a temporary
folder) and prints what it promises."""
import os
import re
import subprocess
import sys

from tests.conftest import REPO_ROOT


def readme_api_block() -> str:
  with open(os.path.join(REPO_ROOT, "README.md")) as f:
    text = f.read()
  start = text.index("**Python API.**")
  match = re.compile(r"```python\n(.*?)```", re.S).search(text, start)
  return match.group(1)


def test_readme_python_api_block_runs(tmp_path):
  code = readme_api_block()
  assert "tfvae.make_model(" in code and "tf.saved_model.load" in code
  env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3",
         "PYTHONPATH": REPO_ROOT + os.pathsep + os.environ.get("PYTHONPATH", "")}
  out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=tmp_path, env=env, timeout=600)
  assert out.returncode == 0, out.stderr[-3000:]
  elbo, nll, shape, served = out.stdout.strip().splitlines()[-4:]
  assert -400 < float(elbo) < -60
  assert 60 < float(nll) <= -float(elbo) + 5  # the IWAE bound is at least the ELBO
  assert shape == served == "(4, 784)"
  assert os.path.exists(tmp_path / "exports" / "my_vae" / "1" / "saved_model.pb")


def test_import_tfvae_is_light_and_lists_its_api():
  """``import tfvae`` imports no TensorFlow; the API names resolve on use."""
  code = ("import sys, tfvae\nassert 'tensorflow' not in sys.modules\n"
          "print(sorted(tfvae.__all__))\nprint(len(tfvae.list_models()) > 10)")
  out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=REPO_ROOT, timeout=300)
  assert out.returncode == 0, out.stderr[-3000:]
  assert "make_model" in out.stdout and out.stdout.strip().endswith("True")
