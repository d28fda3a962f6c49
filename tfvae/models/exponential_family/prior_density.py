"""PNG of learned prior densities over a grid (CG-BPEF-VAE, Sun & Zhang 2017 sec. 3.3).

Each latent dimension j is drawn as one panel: a filled curve of the density
softmax(alpha_j)_r / (grid spacing) over the grid zeta_r in [-1, 1] (left to right),
all panels on a shared vertical scale, with a grey line at z = 0. Pure numpy +
``tf.io.encode_png``, no plotting dependency.
"""
import math

import numpy as np

from tfvae.images import write_png


def density_panels(density: np.ndarray, height: int = 48, columns: int = None,
                   padding: int = 2) -> np.ndarray:
  """Rasterises ``density [d, R]`` into a uint8 ``[H, W, 1]`` grid of area charts."""
  density = np.asarray(density, np.float64)
  if density.ndim != 2 or not np.all(np.isfinite(density)) or np.any(density < 0):
    raise ValueError("density must be a finite non-negative [d, R] array")
  d, r = density.shape
  columns = columns or int(math.ceil(math.sqrt(d)))
  rows = int(math.ceil(d / columns))
  top_value = float(density.max()) or 1.0
  image = np.full((rows * (height + padding) + padding,
                   columns * (r + padding) + padding), 255, np.uint8)
  levels = np.arange(height)[::-1, None]  # row 0 is the top of a panel
  for j in range(d):
    row, col = divmod(j, columns)
    top, left = padding + row * (height + padding), padding + col * (r + padding)
    heights = np.round(density[j] / top_value * (height - 1)).astype(int)
    panel = np.full((height, r), 255, np.uint8)
    panel[:, r // 2] = 200                       # z = 0
    panel[levels < heights[None, :]] = 60        # filled area under the curve
    panel[levels == heights[None, :]] = 0        # the curve itself
    image[top:top + height, left:left + r] = panel
  return image[..., None]


def write_prior_density_png(model, path: str, height: int = 48) -> str:
  """Writes the prior densities of ``model.prior_grid_density()`` to ``path``."""
  grid = model.prior_grid_density()
  if grid is None:
    raise ValueError(f"{type(model).__name__} has no grid prior (prior_grid_density)")
  _, density = grid
  return write_png(path, density_panels(np.asarray(density), height))
