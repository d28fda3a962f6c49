"""Pictures of sequences as PNG, without matplotlib: numpy canvases + ``tf.io.encode_png``.

* ``render_rows``: a sequence of image rows (sequential MNIST) as an image, primed rows
  tinted blue;
* ``render_strokes``: a stroke-3 drawing ``[dx, dy, pen_lifted_after_point]`` rasterised
  into a cell of its own aspect ratio (a line of handwriting is wide, not a thin band in
  a square; y grows downwards as on a tablet), primed segments in blue, generated ones
  in black;
* ``grid`` and ``write_png`` assemble and save.
"""
import os
from typing import Optional, Sequence

import numpy as np
import tensorflow as tf

INK = np.array([0, 0, 0], np.uint8)
PRIMED_INK = np.array([30, 90, 220], np.uint8)
PRIMED_TINT = np.array([0.45, 0.65, 1.0], np.float32)


def render_rows(rows: np.ndarray, given: Optional[np.ndarray] = None,
                scale: int = 2) -> np.ndarray:
  """``[T, D]`` values in [0, 1] -> ``uint8 [T*scale, D*scale, 3]`` (white on black)."""
  rows = np.clip(np.nan_to_num(np.asarray(rows, np.float32)), 0.0, 1.0)
  rgb = np.repeat(rows[..., None], 3, -1)
  if given is not None:
    given = np.asarray(given, bool)[: len(rows)]
    rgb[: len(given)][given] *= PRIMED_TINT
  img = (rgb * 255.0 + 0.5).astype(np.uint8)
  return np.repeat(np.repeat(img, scale, 0), scale, 1)


def stroke_segments(strokes: np.ndarray):
  """Absolute points and the pen-down segments ``(start index, end index)`` of a drawing.

  Point i is the cumulative sum of offsets 0..i; a segment joins i-1 -> i unless the pen
  was lifted after point i-1 (the walk starts lifted at the origin).
  """
  strokes = np.asarray(strokes, np.float64)
  points = np.cumsum(strokes[:, :2], axis=0)
  lifted_before = np.concatenate([[1.0], strokes[:-1, 2]]) > 0.5
  ends = np.nonzero(~lifted_before)[0]
  return points, np.stack([ends - 1, ends], -1)


def cell_shape(extent, size: int, margin: int, max_stretch: float) -> tuple:
  """``(height, width)`` of the cell of a drawing ``extent = (width, height)`` wide: the
  drawing's own aspect ratio (clamped to ``1/max_stretch .. max_stretch``) at the area of
  a ``size`` x ``size`` square."""
  inner = size - 1 - 2 * margin
  w, h = (max(float(e), 1e-6) for e in extent)
  stretch = float(np.clip(w / h, 1.0 / max_stretch, max_stretch)) ** 0.5
  return (int(round(inner / stretch)) + 1 + 2 * margin,
          int(round(inner * stretch)) + 1 + 2 * margin)


def render_strokes(strokes: np.ndarray, given: Optional[np.ndarray] = None,
                   size: int = 128, margin: int = 6, max_stretch: float = 16.0) -> np.ndarray:
  """Stroke-3 ``[L, 3]`` -> ``uint8 [H, W, 3]`` on white, at the drawing's aspect ratio
  (``cell_shape``: a square drawing gets ``size`` x ``size``, a line of handwriting a wide
  cell of about the same area)."""
  strokes = np.nan_to_num(np.asarray(strokes, np.float64))
  if len(strokes) < 2:
    return np.full((size, size, 3), 255, np.uint8)
  points, segments = stroke_segments(strokes)
  lo, hi = points.min(0), points.max(0)
  height, width = cell_shape(hi - lo, size, margin, max_stretch)
  canvas = np.full((height, width, 3), 255, np.uint8)
  box = np.array([width, height], np.float64) - 1 - 2 * margin  # (x, y) room for ink
  scale = float(np.min(box / np.maximum(hi - lo, 1e-6)))
  pixels = (points - lo) * scale + margin + (box - (hi - lo) * scale) / 2
  primed = (np.zeros(len(strokes), bool) if given is None
            else np.pad(np.asarray(given, bool), (0, max(0, len(strokes) - len(given))))
            [: len(strokes)])
  for start, end in segments:
    a, b = pixels[start], pixels[end]
    n = int(np.ceil(np.abs(b - a).max())) + 1
    t = np.linspace(0.0, 1.0, n)[:, None]
    cols, rows = np.rint(a + t * (b - a)).astype(int).T
    colour = PRIMED_INK if primed[end] else INK
    for dr, dc in ((0, 0), (1, 0), (0, 1)):  # 2-pixel pen
      canvas[np.clip(rows + dr, 0, height - 1), np.clip(cols + dc, 0, width - 1)] = colour
  return canvas


def grid(rows: Sequence[Sequence[np.ndarray]], pad: int = 2,
         background: int = 128) -> np.ndarray:
  """Tiles ``rows`` of ``[H, W, 3]`` images (cells padded to the largest) with gaps."""
  cells = [c for row in rows for c in row]
  if not cells:
    raise ValueError("nothing to draw")
  h = max(c.shape[0] for c in cells)
  w = max(c.shape[1] for c in cells)
  ncols = max(len(r) for r in rows)
  out = np.full((len(rows) * (h + pad) + pad, ncols * (w + pad) + pad, 3), background,
                np.uint8)
  for i, row in enumerate(rows):
    for j, cell in enumerate(row):
      y, x = pad + i * (h + pad), pad + j * (w + pad)
      out[y: y + cell.shape[0], x: x + cell.shape[1]] = cell
  return out


def write_png(path: str, image: np.ndarray) -> str:
  """Writes ``uint8 [H, W, C]`` to ``path`` (parent folders created)."""
  directory = os.path.dirname(path)
  if directory and "://" not in path:
    os.makedirs(directory, exist_ok=True)
  tf.io.write_file(path, tf.io.encode_png(tf.constant(np.asarray(image, np.uint8))))
  return path
