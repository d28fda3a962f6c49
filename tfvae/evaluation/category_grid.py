"""Per-category sample grids as PNG (CP-VAE paper, figure 7).

Row k holds ``num_per_category`` generations with the category / mixture component fixed to
k (``model.sample_category``); images are decoder means (pixel probabilities) by default.
"""
from typing import Optional, Sequence

import numpy as np
import tensorflow as tf

from tfvae.images import image_grid, write_png


def category_sample_grid(model, num_per_category: int = 10,
                         categories: Optional[Sequence[int]] = None, seed: int = 0,
                         image_shape: Sequence[int] = (28, 28), use_probs: bool = True,
                         max_categories: int = 20) -> np.ndarray:
  """The grid image (``uint8 [H, W, C]``): one row of generations per category.

  Without ``categories``, the ``max_categories`` most probable under the model's
  generation weights (q(c) for CP-VAE, uniform otherwise) are shown, most probable first.
  """
  if model.num_categories is None:
    raise ValueError(f"{type(model).__name__} has no categories to condition on")
  if categories is None:
    weights = model.generation_log_weights().numpy()
    categories = np.argsort(-weights, kind="stable")[:max_categories]
  key = "probs" if use_probs else "samples"
  rows = [model.sample_category(int(k), num_per_category,
                                tf.constant([seed, i], tf.int32))[key].numpy()
          for i, k in enumerate(categories)]
  return image_grid(np.concatenate(rows), image_shape, columns=num_per_category)


def write_category_grid(model, path: str, **kwargs) -> str:
  """Writes ``category_sample_grid(model, **kwargs)`` to ``path`` (PNG); returns it."""
  return write_png(path, category_sample_grid(model, **kwargs))
