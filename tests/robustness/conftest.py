"""One tiny trained run (and its exported sampler) shared by the robustness tests."""
import dataclasses

import keras
import pytest

from tests.robustness.runs import run_config


@dataclasses.dataclass
class TrainedRun:
  workdir: str
  export_base: str
  export_dir: str
  weights: list  # final model weights (numpy), for the kill-and-resume comparison
  model: object


@pytest.fixture(scope="session")
def trained_run(tmp_path_factory):
  """``run_config()`` trained without interruption, and its sampler exported."""
  from tfvae.export.sampler import export_sampler  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import train  # pylint: disable=g-import-not-at-top
  keras.backend.clear_session()
  root = tmp_path_factory.mktemp("trained")
  result = train(run_config(), str(root / "run"), log=lambda *_: None)
  assert result.epochs_done == 2
  export_base = str(root / "saved_models")
  export_dir = export_sampler(result.model, export_base, "tiny_vae")
  return TrainedRun(workdir=str(root / "run"), export_base=export_base,
                    export_dir=export_dir,
                    weights=[v.numpy() for v in result.model.weights], model=result.model)
