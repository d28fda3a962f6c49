"""Per-category sample grids as PNG (CP-VAE paper, figure 7).

Row k holds ``num_per_category`` generations with the category / mixture component fixed to
k (``model.sample_category``); images are decoder means (pixel probabilities) by default.
"""
from typing import Optional, Sequence

import numpy as np
import tensorflow as tf


def tile_images(images: np.ndarray, pad: int = 1) -> np.ndarray:
  """``[rows, cols, H, W]`` values in [0, 1] -> one ``uint8 [rows*(H+pad)+pad, ..., 1]``."""
  images = np.clip(np.asarray(images, np.float32), 0.0, 1.0)
  rows, cols, h, w = images.shape
  canvas = np.ones([rows * (h + pad) + pad, cols * (w + pad) + pad], np.float32)
  for r in range(rows):
    for c in range(cols):
      top, left = pad + r * (h + pad), pad + c * (w + pad)
      canvas[top:top + h, left:left + w] = images[r, c]
  return (canvas * 255.0 + 0.5).astype(np.uint8)[:, :, None]


def write_png(path: str, image: np.ndarray) -> str:
  """Writes a ``uint8 [H, W, C]`` array with ``tf.io.encode_png``; returns ``path``."""
  tf.io.write_file(path, tf.io.encode_png(tf.convert_to_tensor(image, tf.uint8)))
  return path


def category_sample_grid(model, num_per_category: int = 10,
                         categories: Optional[Sequence[int]] = None, seed: int = 0,
                         image_shape: Sequence[int] = (28, 28), use_probs: bool = True,
                         max_categories: int = 20) -> np.ndarray:
  """The grid image (uint8) of generations per category; see the module docstring.

  With many categories only the ``max_categories`` most probable under the model's
  generation weights (q(c) for CP-VAE) are shown, unless ``categories`` is given.
  """
  if getattr(model, "num_categories", None) is None:
    raise ValueError(f"{type(model).__name__} has no categories to condition on")
  if categories is None:
    weights = model.generation_log_weights().numpy()
    categories = np.argsort(-weights, kind="stable")[:max_categories]
  key = "probs" if use_probs else "samples"
  rows = []
  for i, k in enumerate(categories):
    out = model.sample_category(int(k), num_per_category, tf.constant([seed, i], tf.int32))
    rows.append(out[key].numpy().reshape([num_per_category] + list(image_shape)))
  return tile_images(np.stack(rows))


def write_category_grid(model, path: str, **kwargs) -> str:
  return write_png(path, category_sample_grid(model, **kwargs))
