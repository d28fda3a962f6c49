"""The GMVRNN step timer: a train step of each model, on the same tiny shape."""
import pytest

from tfvae.benchmarks import gmvrnn_step


def test_each_model_is_timed():
  lines = []
  rows = gmvrnn_step.run(["vrnn", "gmvrnn_variational"], steps=1, length=3, batch=2,
                         input_size=3, hidden=4, latent_dim=2, components=2, w_dim=2,
                         gm_hidden=4, num_samples=2, log=lines.append)
  assert [r["model"] for r in rows] == ["vrnn", "gmvrnn_variational"]
  for row in rows:
    assert row["wall_ms_per_step"] > 0 and row["cpu_ms_per_step"] > 0
  assert lines[0] == "T=3 B=2 H=4 z=2 K=2 M=2" and lines[2].startswith("gmvrnn_variational")
  with pytest.raises(ValueError, match="unknown models"):
    gmvrnn_step.run(["gmvrnn"], log=None)
