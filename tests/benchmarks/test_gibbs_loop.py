"""The Gibbs-loop timer runs every variant on the same chains and reports each median."""
from tfvae.benchmarks.gibbs_loop import VARIANTS, time_gibbs


def test_every_variant_is_timed():
  rows = time_gibbs(sides=(3, 4), chains=16, sweeps=3, rounds=2)
  assert [r["variant"] for r in rows] == [v[0] for v in VARIANTS]
  for row in rows:
    assert len(row["seconds"]) == 2 and row["median_seconds"] > 0
  assert rows[0]["ratio_to_first"] == 1.0
