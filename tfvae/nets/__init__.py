"""Encoder and decoder networks (Keras 3 layers only)."""
from tfvae.nets.mlp import MLP, mlp
