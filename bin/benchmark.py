#!/usr/bin/env python
"""Same as the ``tfvae-benchmark`` console script."""
from tfvae.cli.benchmark import run

if __name__ == "__main__":
  run()
