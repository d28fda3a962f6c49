#!/usr/bin/env python
"""Train a tfvae model (same as the ``tfvae-train`` console script)."""
from tfvae.cli.train import run

if __name__ == "__main__":
  run()
