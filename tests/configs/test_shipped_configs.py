"""The repository's ``configs/`` ships with the package as ``tfvae.configs``: found by
name from any folder, in an editable install and in the wheel."""
import glob
import os
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import REPO_ROOT
from tfvae.cli.common import check_config_overrides
from tfvae.config_files import shipped_config_names, shipped_config_path

SOURCE_NAMES = sorted(os.path.basename(p)[:-3]
                      for p in glob.glob(os.path.join(REPO_ROOT, "configs", "*.py"))
                      if not os.path.basename(p).startswith("_"))


def test_every_config_of_the_repository_is_shipped():
  assert shipped_config_names() == SOURCE_NAMES
  with pytest.raises(KeyError, match="shipped configs: .*vae_binarized_mnist"):
    shipped_config_path("vae_binarized_mnistt")


def test_the_wheel_holds_the_configs(tmp_path):
  subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                  "--no-build-isolation", "-w", str(tmp_path), REPO_ROOT],
                 check=True, capture_output=True, timeout=300)
  wheel, = glob.glob(str(tmp_path / "tfvae-*.whl"))
  names = set(zipfile.ZipFile(wheel).namelist())
  missing = [n for n in SOURCE_NAMES if f"tfvae/configs/{n}.py" not in names]
  assert not missing


def test_a_variant_config_loads_by_name_outside_the_checkout(tmp_path):
  code = ("import tfvae; c = tfvae.load_config('vp_c10_mnist'); "
          "print(c.model.name, c.model.hidden_sizes)")
  out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                       text=True, timeout=120, check=True)
  assert out.stdout.split()[0] == "vamp_prior_vae"  # a variant of vae_gated_mnist.py


def test_config_flag_takes_a_shipped_name(tmp_path):
  argv = ["train", "--config=vae_binarized_mnist", f"--workdir={tmp_path}"]
  check_config_overrides(argv)
  assert argv[1] == f"--config={shipped_config_path('vae_binarized_mnist')}"
  assert os.path.exists(argv[1].split("=", 1)[1])
  with pytest.raises(SystemExit, match="nor a shipped config: .*vae_binarized_mnist"):
    check_config_overrides(["train", "--config=vae_binarized_mnistt"])
