"""MLP whose hidden layers are Dense -> batch norm -> activation (DVAE paper, section 5).

``norm``: ``"laplacian"`` (appendix H.2), ``"batch"`` (Ioffe & Szegedy) or ``"none"``.
The optional output layer is linear. ``call(x, training)`` accepts any rank >= 2.
"""
from typing import Optional, Sequence

import keras

from tfvae.nets.laplacian_batch_norm import LaplacianBatchNorm
from tfvae.nets.maxout import elementwise_activation

NORMS = ("laplacian", "batch", "none")


def track_as_attributes(owner, prefix: str, layers) -> None:
  """Also sets each layer of a list as an attribute ``<prefix>_<i>``.

  ``tf.train.Checkpoint`` does not follow Keras' tracked lists, so non-trainable state of
  layers held only in a list (batch-norm statistics) would be missing from checkpoints
  (trainable weights survive through the optimizer's slots). Attributes are followed.
  """
  for i, layer in enumerate(layers):
    if layer is not None:
      setattr(owner, f"{prefix}_{i}", layer)


def make_norm(kind: str, name: str, **kwargs):
  if kind == "laplacian":
    return LaplacianBatchNorm(name=name, **kwargs)
  if kind == "batch":
    # Global-batch statistics under tf.distribute, so replicas (and their moving
    # averages) stay identical; plain statistics with one replica.
    from tfvae.replicas import num_replicas  # pylint: disable=g-import-not-at-top
    return keras.layers.BatchNormalization(name=name, synchronized=num_replicas() > 1)
  if kind == "none":
    return None
  raise ValueError(f"norm must be one of {NORMS}, got {kind!r}")


class NormalizedMLP(keras.layers.Layer):
  """``hidden_sizes`` x (Dense, norm, activation), then an optional linear output."""

  def __init__(self, hidden_sizes: Sequence[int], output_size: Optional[int] = None,
               activation: str = "relu", norm: str = "laplacian", **kwargs):
    super().__init__(**kwargs)
    self.hidden_sizes = tuple(int(h) for h in hidden_sizes)
    self.dense = [keras.layers.Dense(h, name=f"dense_{i}")
                  for i, h in enumerate(self.hidden_sizes)]
    self.norms = [make_norm(norm, f"norm_{i}") for i in range(len(self.hidden_sizes))]
    track_as_attributes(self, "dense_layer", self.dense)
    track_as_attributes(self, "norm_layer", self.norms)
    self.activation = keras.activations.get(elementwise_activation(activation,
                                                                   "NormalizedMLP"))
    self.output_layer = (keras.layers.Dense(int(output_size), name="output")
                         if output_size is not None else None)

  def call(self, x, training=False):
    for dense, norm in zip(self.dense, self.norms):
      x = dense(x)
      if norm is not None:
        x = norm(x, training=training)
      x = self.activation(x)
    if self.output_layer is not None:
      x = self.output_layer(x)
    return x
