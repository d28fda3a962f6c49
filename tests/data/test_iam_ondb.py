"""IAM-OnDB reader on XML files written here in the official lineStrokes format."""
import os

import numpy as np
import pytest

from tfvae.data import iam_ondb
from tfvae.data.sequences import length_mask

XML = """<?xml version="1.0" encoding="ISO-8859-1"?>
<WhiteboardCaptureSession>
  <WhiteboardDescription><SensorLocation corner="top_left"/></WhiteboardDescription>
  <StrokeSet>
{strokes}
  </StrokeSet>
</WhiteboardCaptureSession>
"""


def write_line(root, form, line, strokes):
  writer = form.split("-")[0]
  folder = os.path.join(root, "lineStrokes", writer, form[:7])
  os.makedirs(folder, exist_ok=True)
  body = []
  for stroke in strokes:
    points = "".join(f'<Point x="{x}" y="{y}" time="0.{i}"/>' for i, (x, y) in enumerate(stroke))
    body.append(f'    <Stroke colour="black" start_time="0" end_time="1">{points}</Stroke>')
  path = os.path.join(folder, f"{form}-{line:02d}.xml")
  with open(path, "w", encoding="ISO-8859-1") as f:
    f.write(XML.format(strokes="\n".join(body)))
  return path


def test_reader_offsets_pen_lifts_and_clipping(tmp_path):
  path = write_line(str(tmp_path), "a01-000u", 1,
                    [[(1000, 2000), (1010, 1990), (1500, 1995)], [(1600, 2100), (1601, 2102)]])
  points = iam_ondb.read_line_xml(path)
  np.testing.assert_array_equal(points[:, 2], [0, 0, 1, 0, 1])
  offsets = iam_ondb.to_offsets(points)
  np.testing.assert_array_equal(offsets[:, :2],
                                [[0, 0], [10, -10], [300, 5], [100, 105], [1, 2]])
  np.testing.assert_array_equal(offsets[:, 2], points[:, 2])
  assert iam_ondb.form_id(path) == "a01-000u"


def test_loader_normalises_with_train_statistics_and_masks(tmp_path):
  rng = np.random.default_rng(0)
  lines = {}
  for w in range(6):
    form = f"a0{w}-00{w}u"
    for line in range(2):
      strokes = [np.cumsum(rng.integers(-20, 20, size=(rng.integers(3, 9), 2)), 0) + 1000
                 for _ in range(rng.integers(1, 4))]
      lines[write_line(str(tmp_path), form, line, strokes)] = form
  lists = {}
  for split, forms in (("train", ["a00", "a01", "a02", "a03"]), ("valid", ["a04"]),
                       ("test", ["a05"])):
    lists[split] = str(tmp_path / f"{split}.txt")
    with open(lists[split], "w") as f:
      f.write("\n".join(forms) + "\n")
  splits = iam_ondb.load_iam_ondb(str(tmp_path), max_length=12, split_files=lists)
  assert [len(splits.split(s)) for s in ("train", "valid", "test")] == [8, 2, 2]
  mask = length_mask(splits.lengths["train"], 12)
  xy = splits.train[..., :2][mask > 0]
  np.testing.assert_allclose(xy.mean(0), 0.0, atol=1e-5)
  np.testing.assert_allclose(xy.std(0), 1.0, atol=1e-5)
  assert np.all(splits.train[mask == 0] == 0)
  # Un-normalising gives back the clipped offsets of the first training line.
  first = sorted(p for p, f in lines.items() if f.startswith("a00"))[0]
  raw = iam_ondb.to_offsets(iam_ondb.read_line_xml(first))[:12]
  n = splits.lengths["train"][0]
  restored = splits.train[0, :n] * np.float32(splits.data_std) + np.float32(splits.data_mean)
  np.testing.assert_allclose(restored, raw[:n], atol=1e-3)
  hashed = iam_ondb.assign_splits(sorted(lines), valid_fraction=0.3, test_fraction=0.3)
  assert sorted(sum(hashed.values(), [])) == sorted(lines)
  for split, files in hashed.items():  # both lines of a form land in the same split
    others = [f for s, fs in hashed.items() if s != split for f in fs]
    assert not {lines[f] for f in files} & {lines[f] for f in others}
  with pytest.raises(FileNotFoundError):
    iam_ondb.load_iam_ondb(str(tmp_path / "missing"))
