"""Stroke and row pictures: what is drawn, what is not, and the PNG round trip."""
import numpy as np
import tensorflow as tf

from tfvae.models.recurrent import stroke_plots as strokes


def test_pen_lift_leaves_a_gap_and_pen_down_draws():
  # Square path: right 10, (lift) down 10, left 10.
  drawing = np.array([[0, 0, 0], [10, 0, 1], [0, 10, 0], [-10, 0, 0]], np.float32)
  img = strokes.render_strokes(drawing, size=64, margin=4)
  ink = img.min(-1) < 128
  top_row, bottom_row = ink[4:7].any(0), ink[57:60].any(0)
  assert top_row[10:50].all() and bottom_row[10:50].all()  # both horizontal strokes drawn
  right_column = ink[15:50, 55:60].any(1)
  assert not right_column.any()  # the lifted move down is not drawn


def test_primed_part_is_blue_and_rows_are_tinted(tmp_path):
  drawing = np.array([[0, 0, 0], [10, 0, 0], [0, 10, 0]], np.float32)
  img = strokes.render_strokes(drawing, given=[1, 1, 0], size=32)
  colours = {tuple(c) for c in img.reshape(-1, 3)}
  assert tuple(strokes.PRIMED_INK) in colours and tuple(strokes.INK) in colours
  rows = strokes.render_rows(np.ones((4, 3)), given=[1, 0, 0, 0], scale=1)
  assert rows[0, 0, 0] < rows[0, 0, 2] and rows[1, 0, 0] == 255
  path = strokes.write_png(str(tmp_path / "a" / "g.png"), strokes.grid([[img, img], [img]]))
  back = tf.io.decode_png(tf.io.read_file(path)).numpy()
  assert back.shape == (2 * 34 + 2, 2 * 34 + 2, 3)


def test_a_line_of_handwriting_gets_a_wide_cell_of_its_own_aspect():
  # A 400 x 40 zigzag (a "line" ten times wider than tall), pen down throughout.
  xs = np.linspace(0, 400, 41)
  ys = np.where(np.arange(41) % 2, 40.0, 0.0)
  drawing = np.stack([np.diff(xs, prepend=0), np.diff(ys, prepend=0), np.zeros(41)], -1)
  img = strokes.render_strokes(drawing, size=128, margin=6)
  height, width = img.shape[:2]
  assert width > 3 * height  # not a square with a thin band of ink
  assert abs(height * width - 128 * 128) < 0.15 * 128 * 128  # about the square's area
  ink = np.argwhere(img.min(-1) < 128)
  (top, left), (bottom, right) = ink.min(0), ink.max(0)
  assert abs((bottom - top) / (right - left) - 0.1) < 0.01  # the ink keeps the aspect
  assert abs((height - 13) / (width - 13) - 0.1) < 0.01  # the cell, margins aside
  tall = strokes.render_strokes(drawing[:, [1, 0, 2]], size=128, margin=6)
  assert tall.shape[:2] == (width, height)  # the same drawing turned: a tall cell
  square = strokes.render_strokes(np.array([[0, 0, 0], [10, 10, 0]], np.float32), size=64)
  assert square.shape == (64, 64, 3)
