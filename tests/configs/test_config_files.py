"""Every shipped config file loads, passes the trainer's checks and names real parts."""
import glob
import os

import pytest

from tfvae.config_files import base_config, load_config_file
from tfvae.training.config_checks import check_config

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONFIG_FILES = sorted(p for p in glob.glob(os.path.join(REPO_ROOT, "configs", "*.py"))
                      if not os.path.basename(p).startswith("_"))


def test_configs_are_found():
  assert len(CONFIG_FILES) >= 30


@pytest.mark.parametrize("path", CONFIG_FILES, ids=os.path.basename)
def test_config_loads_and_passes_the_checks(path):
  config = load_config_file(path)
  check_config(config)  # registered model and dataset names, valid numbers
  # The export name is the file's own (variants must not export under their base's name).
  if config.get("export") and config.export.get("name"):
    assert config.export.name == os.path.splitext(os.path.basename(path))[0]


def test_variant_differs_from_its_base_only_where_it_says():
  path = os.path.join(REPO_ROOT, "configs", "vae_planar80_binarized_mnist.py")
  variant = load_config_file(path).to_dict()
  base = base_config(path, "vae_planar10_binarized_mnist").to_dict()
  assert variant["model"]["posterior_kwargs"]["num_flows"] == 80
  assert base["model"]["posterior_kwargs"]["num_flows"] == 10
  variant["model"]["posterior_kwargs"]["num_flows"] = 10
  variant["export"]["name"] = base["export"]["name"]
  assert variant == base


# Settings the suites change for their own bookkeeping (logging, sampling, verbosity),
# which do not alter the trained model.
_SUITE_ONLY = {"train": ("validation_every", "sample_every", "verbose")}


@pytest.mark.parametrize("config_file,entry_name", [
    ("vae_planar10_maxout_binarized_mnist.py", "vae_planar10"),
    ("vae_planar80_maxout_binarized_mnist.py", "vae_planar80_scale003"),
])
def test_maxout_planar_config_is_the_benchmarked_entry(config_file, entry_name):
  """The shipped config trains what its ``posteriors_maxout`` entry measured."""
  from tfvae.benchmarks import run_entry, suites  # pylint: disable=g-import-not-at-top
  entry = suites.find_entry("posteriors_maxout", entry_name)
  benchmarked = run_entry.apply_overrides(
      load_config_file(os.path.join(REPO_ROOT, entry.config)), entry.overrides).to_dict()
  shipped = load_config_file(os.path.join(REPO_ROOT, "configs", config_file)).to_dict()
  for section in ("model", "dataset", "train"):
    assert shipped[section] == {**benchmarked[section],
                                **{k: v for k, v in shipped[section].items()
                                   if k in _SUITE_ONLY.get(section, ())}}, section


def test_missing_base_is_named(tmp_path):
  with pytest.raises(FileNotFoundError, match="no_such_base"):
    base_config(str(tmp_path / "variant.py"), "no_such_base")
