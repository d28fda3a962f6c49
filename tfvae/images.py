"""Sample grids as PNG files (``tf.io.encode_png``; no plotting dependency)."""
import math
import os

import numpy as np
import tensorflow as tf


def image_grid(images: np.ndarray, image_shape, columns: int = None,
               padding: int = 1) -> np.ndarray:
  """Tiles ``images`` (``[N, prod(image_shape)]`` in [0, 1]) into a uint8 ``[H, W, C]``."""
  images = np.asarray(images, np.float32)
  n = images.shape[0]
  h, w = int(image_shape[0]), int(image_shape[1])
  c = int(image_shape[2]) if len(image_shape) > 2 else 1
  images = np.clip(images.reshape(n, h, w, c), 0.0, 1.0)
  columns = columns or int(math.ceil(math.sqrt(n)))
  rows = int(math.ceil(n / columns))
  grid = np.ones((rows * (h + padding) + padding, columns * (w + padding) + padding, c),
                 np.float32)
  for i in range(n):
    r, col = divmod(i, columns)
    top, left = padding + r * (h + padding), padding + col * (w + padding)
    grid[top:top + h, left:left + w] = images[i]
  return (grid * 255.0 + 0.5).astype(np.uint8)


def write_png(path: str, pixels: np.ndarray) -> str:
  """Writes a uint8 ``[H, W, C]`` array as PNG atomically (temp file + rename)."""
  os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
  data = tf.io.encode_png(tf.convert_to_tensor(pixels, tf.uint8)).numpy()
  tmp = path + ".tmp"
  with open(tmp, "wb") as f:
    f.write(data)
  os.replace(tmp, path)
  return path


def write_image_grid(path: str, images, image_shape, columns: int = None) -> str:
  return write_png(path, image_grid(images, image_shape, columns))
