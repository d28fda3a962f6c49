"""Every shipped config resolves to the values recorded in ``data/configs_resolved.json``.

The snapshot was written from the configs as they resolved at commit fa8a854 (before the
suites moved out of the package and the configs' defaults were gathered in
``tfvae/training/train_settings.py``), which equal today's for every config that existed
then; the section-4.2 VRNN report configs were added after. Refactoring the configs
(shared bases, defaults left to the trainer) must keep this test green; a deliberate
change of a config's value updates the snapshot in the same commit.
"""
import glob
import json
import os

import pytest

from tests.conftest import REPO_ROOT
from tfvae.config_files import load_config_file

SNAPSHOT = os.path.join(os.path.dirname(__file__), "data", "configs_resolved.json")
CONFIGS = sorted(os.path.basename(p)[:-3]
                 for p in glob.glob(os.path.join(REPO_ROOT, "configs", "*.py"))
                 if not os.path.basename(p).startswith("_"))


def _snapshot():
  with open(SNAPSHOT) as f:
    return json.load(f)


def test_every_config_is_in_the_snapshot():
  assert sorted(_snapshot()) == CONFIGS


@pytest.mark.parametrize("name", CONFIGS)
def test_config_resolves_to_its_recorded_values(name):
  config = load_config_file(os.path.join(REPO_ROOT, "configs", f"{name}.py"))
  assert json.loads(config.to_json_best_effort()) == _snapshot()[name]
