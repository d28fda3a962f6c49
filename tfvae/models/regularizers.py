"""KL regularisers of the training objective (flows paper section 2).

* beta (eq. 13): ``model.kl_weight`` multiplies the KL term of the loss; a constant
  is a beta-VAE, a schedule callback (``tfvae.training.schedules``) gives warm-up.
* free bits (eq. 14; Kingma et al. 2016): the latent dimensions are split into
  groups z_1..z_G and each group's KL, averaged over the minibatch, is clamped
  below at lambda:  Σ_j max(lambda, E_x[KL(q(z_j|x) || p(z_j))]).

The logged ELBO never sees either: it is always the true bound.
"""
from typing import Optional, Sequence, Union

import numpy as np
import tensorflow as tf

Groups = Optional[Union[int, Sequence[int]]]


def group_sizes(latent_dim: int, groups: Groups) -> tuple:
  """Sizes of contiguous latent groups: ``None`` = one per dimension, an int G =
  G equal groups (must divide ``latent_dim``), a sequence = explicit sizes."""
  if groups is None:
    return (1,) * latent_dim
  if isinstance(groups, (int, np.integer)):
    groups = int(groups)
    if groups <= 0 or latent_dim % groups:
      raise ValueError(f"free_bits_groups={groups} must divide latent_dim={latent_dim}")
    return (latent_dim // groups,) * groups
  sizes = tuple(int(s) for s in groups)
  if any(s <= 0 for s in sizes) or sum(sizes) != latent_dim:
    raise ValueError(f"free_bits_groups sizes {sizes} must be positive and sum to "
                     f"latent_dim={latent_dim}")
  return sizes


def group_matrix(sizes: Sequence[int]) -> np.ndarray:
  """0/1 matrix ``[D, G]`` that sums per-dimension values into groups."""
  matrix = np.zeros((sum(sizes), len(sizes)), np.float32)
  start = 0
  for j, size in enumerate(sizes):
    matrix[start:start + size, j] = 1.0
    start += size
  return matrix


def free_bits(kl_per_group, threshold: float):
  """Σ_j max(lambda, kl_j) over the last axis of batch-mean group KLs (eq. 14)."""
  kl_per_group = tf.convert_to_tensor(kl_per_group, tf.float32)
  return tf.reduce_sum(tf.maximum(kl_per_group, threshold), axis=-1)
