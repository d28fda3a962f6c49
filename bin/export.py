#!/usr/bin/env python
"""Same as the ``tfvae-export`` console script."""
from tfvae.cli.export import run

if __name__ == "__main__":
  run()
