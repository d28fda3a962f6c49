#!/usr/bin/env python
"""Same as the ``tfvae-evaluate`` console script."""
from tfvae.cli.evaluate import run

if __name__ == "__main__":
  run()
