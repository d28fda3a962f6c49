"""Encoder/decoder pairs selected by name (``network: mlp | conv32``).

* ``mlp``:    Dense stack ``hidden_sizes`` (e.g. 784-400-400-d-400-400-784, table 1a of
              Sun & Zhang 2017); the decoder mirrors the hidden sizes.
* ``conv32``: the appendix-E convolutional nets for 32x32 grayscale (input size 1024).

The encoder maps flat data ``[..., D]`` to features; the decoder maps a latent
``[..., d]`` to ``[..., output_size]`` linear outputs (likelihood parameters).
"""
from typing import Sequence

from tfvae.nets.conv32 import SIDE, Conv32Decoder, Conv32Encoder
from tfvae.nets.mlp import mlp

NETWORKS = ("mlp", "conv32")


def _check(network: str, input_size: int):
  if network not in NETWORKS:
    raise ValueError(f"network must be one of {NETWORKS}, got {network!r}")
  if network == "conv32" and input_size != SIDE * SIDE:
    raise ValueError(
        f"network 'conv32' needs 32x32 grayscale inputs (input_size 1024), got "
        f"input_size {input_size}: use a 32x32 dataset (e.g. 'binarized_mnist_32', "
        "'mnist_32', 'svhn')")


def make_encoder(network: str, input_size: int, hidden_sizes: Sequence[int] = (400, 400),
                 activation: str = "relu", name: str = "encoder"):
  _check(network, input_size)
  if network == "mlp":
    return mlp(hidden_sizes, activation, name=name)
  return Conv32Encoder(activation, name=name)


def make_decoder(network: str, input_size: int, output_size: int,
                 hidden_sizes: Sequence[int] = (400, 400), activation: str = "relu",
                 name: str = "decoder"):
  """Decoder to ``output_size`` linear outputs (a multiple of ``input_size``)."""
  _check(network, input_size)
  if network == "mlp":
    return mlp(tuple(reversed(tuple(hidden_sizes))), activation, output_size=output_size,
               name=name)
  if output_size % input_size:
    raise ValueError(f"conv32 decoder outputs whole channels of {input_size} values, "
                     f"got output_size {output_size}")
  return Conv32Decoder(output_size // input_size, activation, name=name)
