#!/usr/bin/env python
"""Same as the ``tfvae-sample`` console script."""
from tfvae.cli.sample import run

if __name__ == "__main__":
  run()
