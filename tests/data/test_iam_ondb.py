"""IAM-OnDB reader on XML files written here in the official lineStrokes format."""
import os

import numpy as np
import pytest

from tfvae.data import iam_ondb
from tfvae.data.iam_ondb_files import OFFICIAL_SPLIT_MAP
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


def _forms(root, n_forms=6, lines=2, seed=0, points=(3, 9)):
  """``{path: form}`` of small random lines in forms a00-000u, a01-001u, ..."""
  rng = np.random.default_rng(seed)
  out = {}
  for w in range(n_forms):
    form = f"a{w:02d}-{w:03d}u"
    for line in range(lines):
      strokes = [np.cumsum(rng.integers(-20, 20, size=(rng.integers(*points), 2)), 0) + 1000
                 for _ in range(rng.integers(1, 4))]
      out[write_line(str(root), form, line, strokes)] = form
  return out


def _write_list(path, ids):
  os.makedirs(os.path.dirname(str(path)), exist_ok=True)
  with open(path, "w") as f:
    f.write("\n".join(ids) + "\n")
  return str(path)


def test_official_four_lists_and_split_settings(tmp_path):
  data, lists = tmp_path / "data", tmp_path / "lists"
  lines = _forms(data, n_forms=6)
  for name, forms in (("trainset", ["a00-000u", "a01-001u"]), ("testset_v", ["a02-002u"]),
                      ("testset_t", ["a03-003u"]), ("testset_f", ["a04-004u"])):
    _write_list(lists / f"{name}.txt", forms)
  splits = iam_ondb.load_iam_ondb(str(data), split_dir=str(lists), cache_dir="none")
  # trainset -> train, testset_v + testset_t -> valid, testset_f -> test; a05 is unlisted.
  assert [len(splits.split(s)) for s in ("train", "valid", "test")] == [4, 4, 2]
  assert splits.preprocessing["files"]["unlisted"] == 2
  moved = iam_ondb.load_iam_ondb(str(data), split_dir=str(lists), cache_dir="none",
                                 split_map={"testset_t": "train"})
  assert [len(moved.split(s)) for s in ("train", "valid", "test")] == [6, 2, 2]
  files = iam_ondb.find_line_files(str(data))
  dropped = iam_ondb.assign_splits(files, split_dir=str(lists), split_map={"testset_t": "none"})
  assert [len(dropped[s]) for s in ("train", "valid", "test")] == [4, 2, 2]
  # Lists given one by one, under official or split names, mix with split_dir.
  own = iam_ondb.assign_splits(files, split_files={
      "trainset": str(lists / "trainset.txt"), "valid": _write_list(lists / "v.txt", ["a05"]),
      "test": "", "testset_f": str(lists / "testset_f.txt")})
  assert [len(own[s]) for s in ("train", "valid", "test")] == [4, 2, 2]
  with pytest.raises(ValueError, match=r"split_map\['testset_t'\] must be one of"):
    iam_ondb.assign_splits(files, split_dir=str(lists), split_map={"testset_t": "dev"})
  with pytest.raises(ValueError, match=r"split_map keys must be official lists"):
    iam_ondb.assign_splits(files, split_dir=str(lists), split_map={"testset_x": "train"})
  with pytest.raises(ValueError, match=r"split_files keys must be"):
    iam_ondb.assign_splits(files, split_files={"dev": str(lists / "trainset.txt")})
  with pytest.raises(FileNotFoundError, match=r"has no trainset.txt"):
    iam_ondb.assign_splits(files, split_dir=str(tmp_path))
  with pytest.raises(ValueError, match=r"is listed for splits \['train', 'test'\]"):
    iam_ondb.assign_splits(files, split_files={"train": str(lists / "trainset.txt"),
                                               "test": _write_list(lists / "t.txt", ["a01"])})
  with pytest.raises(ValueError, match=r"split 'test' is empty"):
    iam_ondb.load_iam_ondb(str(data), split_dir=str(lists), cache_dir="none",
                           split_map={"testset_f": "none"})


def test_the_shipped_config_names_every_loader_setting():
  import inspect  # pylint: disable=g-import-not-at-top
  from tfvae.config_files import shipped_config_path, load_config_file  # pylint: disable=g-import-not-at-top
  config = load_config_file(shipped_config_path("vrnn_iam_ondb"))
  settings = set(inspect.signature(iam_ondb.load_iam_ondb).parameters) - {
      "unused", "normalization"}  # normalization: a restored run's, not a user setting
  assert settings == set(config.dataset) - {"name"}
  assert dict(config.dataset.split_map) == OFFICIAL_SPLIT_MAP


def test_symlinked_folders_are_walked_once_and_files_counted_once(tmp_path):
  data = tmp_path / "data"
  lines = _forms(data, n_forms=2)
  strokes = data / "lineStrokes"
  os.symlink(str(strokes), str(strokes / "a00" / "loop"))  # a loop back to the root
  os.symlink(str(strokes / "a01"), str(strokes / "also_a01"))  # a second path to a01
  first = sorted(lines)[0]
  os.symlink(first, os.path.join(os.path.dirname(first), "copy-of-line.xml"))
  outside = tmp_path / "elsewhere"
  extra = write_line(str(outside), "b07-007u", 1, [[(1, 2), (3, 4)]])
  os.symlink(os.path.dirname(extra), str(strokes / "linked"))  # data living elsewhere
  files, duplicates = iam_ondb.scan_line_files(str(data))
  assert len(files) == len(lines) + 1 and duplicates == 3
  assert {os.path.realpath(f) for f in files} == {os.path.realpath(f)
                                                  for f in list(lines) + [extra]}
  assert set(lines) <= set(files)  # the link-free path of each file is the one kept


def test_parsed_lines_are_cached_until_a_file_changes(tmp_path, monkeypatch):
  data, cache = tmp_path / "data", tmp_path / "cache"
  lines = _forms(data, n_forms=6)
  calls = []
  reader = iam_ondb.read_line_xml
  monkeypatch.setattr(iam_ondb, "read_line_xml", lambda p: calls.append(p) or reader(p))
  settings = dict(path=str(data), max_length=12, cache_dir=str(cache), valid_fraction=0.2,
                  test_fraction=0.2)  # by the hash of the form id: a02 valid, a04 + a05 train
  first = iam_ondb.load_iam_ondb(**settings)
  assert len(calls) == len(lines) and first.preprocessing["files"]["parsed"] == len(lines)
  calls.clear()
  second = iam_ondb.load_iam_ondb(**settings)
  assert calls == [] and second.preprocessing["files"]["cached"] == len(lines)
  for split in ("train", "valid", "test"):
    np.testing.assert_array_equal(second.split(split), first.split(split))
  changed = sorted(lines)[0]
  write_line(str(data), lines[changed], int(changed[-6:-4]), [[(0, 0), (7, 9), (8, 9)]])
  stamp = os.stat(changed).st_mtime_ns + 10**9  # a new time even on coarse clocks
  os.utime(changed, ns=(stamp, stamp))
  third = iam_ondb.load_iam_ondb(**settings)
  assert calls == [changed]
  assert lines[changed] == "a00-000u" and third.lengths["test"][0] == 3  # the new line
  np.testing.assert_allclose(third.test[0, :3] * np.float32(third.data_std)
                             + np.float32(third.data_mean),
                             [[0, 0, 0], [7, 9, 0], [1, 0, 1]], atol=1e-4)
  assert third.preprocessing["files"] == dict(first.preprocessing["files"], parsed=1,
                                              cached=len(lines) - 1)
  calls.clear()
  iam_ondb.load_iam_ondb(**dict(settings, cache_dir="none"))
  assert len(calls) == len(lines)
  with pytest.raises(ValueError, match="cache_dir must be a folder path"):
    iam_ondb.load_iam_ondb(**dict(settings, cache_dir=3))


def test_unreadable_cache_is_rebuilt(tmp_path):
  from tfvae.data import parse_cache  # pylint: disable=g-import-not-at-top
  data, cache = tmp_path / "data", tmp_path / "cache"
  _forms(data, n_forms=3)
  settings = dict(path=str(data), max_length=12, cache_dir=str(cache), valid_fraction=0.3,
                  test_fraction=0.3, split_files={
                      "train": _write_list(tmp_path / "tr.txt", ["a00"]),
                      "valid": _write_list(tmp_path / "va.txt", ["a01"]),
                      "test": _write_list(tmp_path / "te.txt", ["a02"])})
  iam_ondb.load_iam_ondb(**settings)
  path, = [str(p) for p in cache.iterdir()]
  with open(path, "wb") as f:
    f.write(b"not an npz")
  with pytest.warns(UserWarning, match="unreadable"):
    again = iam_ondb.load_iam_ondb(**settings)
  assert again.preprocessing["files"]["parsed"] == 6
  assert parse_cache.cache_folder("none") is None


def test_clip_and_truncation_are_counted_and_described(tmp_path):
  data = tmp_path / "data"
  # Line 0 of each form: 10 points with one jump of 500 (a pen-up move between words);
  # line 1: 4 points, short steps.
  for w, split in enumerate(("train", "valid", "test")):
    form = f"a{w:02d}-{w:03d}u"
    write_line(str(data), form, 0, [[(i, 0) for i in range(5)],
                                    [(500 + i, 10) for i in range(5)]])
    write_line(str(data), form, 1, [[(0, 0), (1, 1), (2, 2), (3, 3)]])
    _write_list(tmp_path / f"{split}.txt", [form])
  lists = {s: str(tmp_path / f"{s}.txt") for s in ("train", "valid", "test")}
  splits = iam_ondb.load_iam_ondb(str(data), max_length=6, clip=300.0, split_files=lists,
                                  cache_dir="none")
  counts = splits.preprocessing["splits"]["train"]
  assert counts == {"sequences": 2, "longer": 1, "steps": 14, "steps_over": 4,
                    "clipped_steps": 1}
  assert splits.lengths["train"].tolist() == [6, 4]
  lines = splits.describe_preprocessing()
  assert lines[0] == ("iam_ondb/train: 2 sequences; 1 (50.0 %) longer than max_length=6, "
                      "truncated (4 of 14 steps lost); 1 steps (7.1 %) with dx or dy "
                      "clipped to +-300")
  assert lines[-1].startswith("iam_ondb: 6 files (0 duplicate paths skipped, 0 in no split")
  dropped = iam_ondb.load_iam_ondb(str(data), max_length=6, clip=1000.0, long="drop",
                                   split_files=lists, cache_dir="none")
  assert dropped.lengths["train"].tolist() == [4]
  assert dropped.preprocessing["splits"]["train"]["clipped_steps"] == 0
  assert "dropped" in dropped.describe_preprocessing()[0]


def test_given_normalization_replaces_the_training_statistics(tmp_path):
  _forms(tmp_path / "data", n_forms=6)
  settings = dict(path=str(tmp_path / "data"), max_length=12, cache_dir="none",
                  valid_fraction=0.2, test_fraction=0.2)  # a02 valid, a04 + a05 train
  own = iam_ondb.load_iam_ondb(**settings)
  given = {"mean": [1.0, -2.0, 0.0], "std": [4.0, 5.0, 1.0]}
  stored = iam_ondb.load_iam_ondb(**settings, normalization=given)
  assert stored.data_mean == (1.0, -2.0, 0.0) and stored.data_std == (4.0, 5.0, 1.0)
  n = own.lengths["train"][0]
  raw = own.train[0, :n] * np.float32(own.data_std) + np.float32(own.data_mean)
  np.testing.assert_allclose(stored.train[0, :n] * np.float32(given["std"])
                             + np.float32(given["mean"]), raw, atol=1e-3)
  with pytest.raises(ValueError, match="needs 3 finite means and 3 finite stds > 0"):
    iam_ondb.load_iam_ondb(**settings, normalization={"mean": [0, 0, 0], "std": [1, 0, 1]})
