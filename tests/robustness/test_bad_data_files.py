"""Data files that would load into wrong numbers are refused at load, with one
``ValueError`` naming the file (and key or element) and what was expected.

Per loader: non-finite values, values out of range, wrong dtypes, wrong shapes,
mismatched lengths and empty splits.
"""
import os
import re

import ml_collections
import numpy as np
import pytest
from scipy import io as sio

from tests.conftest import REPO_ROOT
from tests.data.test_iam_ondb import write_line
from tests.robustness.runs import run_config
from tests.robustness.test_bad_data import _idx_dir, _write_idx
from tfvae.config_files import load_config_file
from tfvae.data import DatasetSplits, load_dataset
from tfvae.data.mnist import IDX_FILES
from tfvae.data.sequences import SequenceSplits


def _raises(where, message):
  """``pytest.raises(ValueError)`` whose message has ``where`` (literal) then ``message``
  (a regex)."""
  return pytest.raises(ValueError, match=re.escape(str(where)) + message)


# ------------------------------------------------------- Caltech-101 Silhouettes
def _caltech_mat(tmp_path, dtype=np.uint8, **changes):
  """A small valid Caltech ``.mat`` (6/2/3 binary images, labels) with ``changes``."""
  rng = np.random.default_rng(0)
  arrays = {"train_data": (rng.random((6, 784)) < 0.5).astype(dtype),
            "val_data": (rng.random((2, 784)) < 0.5).astype(dtype),
            "test_data": (rng.random((3, 784)) < 0.5).astype(dtype),
            "train_labels": np.arange(1, 7)[:, None], "val_labels": np.array([[1], [2]]),
            "test_labels": np.array([[3], [4], [5]])}
  arrays.update(changes)
  path = str(tmp_path / "c.mat")
  sio.savemat(path, arrays)
  return path


def _load_caltech(path):
  return load_dataset({"name": "caltech101_silhouettes", "path": path})


def test_caltech_valid_float_file_loads(tmp_path):
  """0/1 pixels stored as doubles are fine (and equal the uint8 ones)."""
  floats = _load_caltech(_caltech_mat(tmp_path, dtype=np.float64))
  (tmp_path / "b").mkdir()
  ints = _load_caltech(_caltech_mat(tmp_path / "b"))
  np.testing.assert_array_equal(floats.train, ints.train)
  assert floats.train.dtype == np.uint8


def test_caltech_real_values_are_not_binarized_to_ones(tmp_path):
  data = np.full((6, 784), 0.3)
  data[:, ::2] = 0.0
  path = _caltech_mat(tmp_path, train_data=data)
  with _raises(f"{path}:train_data", r" has 2352 values other than 0 and 1 \(e.g. \[0.3\], "
               r"first at index \(0, 1\)\); expected binary pixels 0 or 1"):
    _load_caltech(path)


def test_caltech_nan_is_not_read_as_zero(tmp_path):
  data = np.zeros((2, 784))
  data[1, 5] = np.nan
  path = _caltech_mat(tmp_path, val_data=data)
  with _raises(f"{path}:val_data", r" contains 1 NaN or Inf values \(first at index "
               r"\(1, 5\)\); expected finite numbers"):
    _load_caltech(path)


def test_caltech_value_two_is_reported_as_two_not_255(tmp_path):
  data = np.zeros((3, 784), np.uint8)
  data[2, 0] = 2
  path = _caltech_mat(tmp_path, test_data=data)
  with _raises(f"{path}:test_data", r" has 1 values other than 0 and 1 \(e.g. \[2\]"):
    _load_caltech(path)


def test_caltech_complex_pixels_are_refused(tmp_path):
  path = _caltech_mat(tmp_path, train_data=np.ones((6, 784)) * (1 + 1j))
  with _raises(f"{path}:train_data", r" has dtype complex128, expected 0/1 pixels"):
    _load_caltech(path)


def test_caltech_wrong_width_and_empty_split(tmp_path):
  path = _caltech_mat(tmp_path, train_data=np.zeros((6, 783), np.uint8))
  with _raises(f"{path}:train_data", r" has shape \(6, 783\), expected \(N, 784\)"):
    _load_caltech(path)
  path = _caltech_mat(tmp_path, val_data=np.zeros((0, 784), np.uint8))
  with _raises(f"{path}:val_data", r" is empty; expected at least one image"):
    _load_caltech(path)


def test_caltech_labels_must_match_the_images(tmp_path):
  path = _caltech_mat(tmp_path, train_labels=np.arange(1, 6)[:, None])
  with _raises(f"{path}:train_labels", r" has 5 entries but .*c.mat:train_data has 6"):
    _load_caltech(path)
  path = _caltech_mat(tmp_path, test_labels=np.array([[1.5], [2.0], [3.0]]))
  with _raises(f"{path}:test_labels", r" has values that are not whole numbers \(e.g. "
               r"\[1.5\]"):
    _load_caltech(path)


def test_caltech_unreadable_file_is_named(tmp_path):
  path = tmp_path / "c.mat"
  path.write_bytes(b"not a MATLAB file at all" * 20)
  with _raises(path, r" is not a readable MATLAB v5 .mat file"):
    _load_caltech(str(path))


# ------------------------------------------------------------- binarized MNIST
def _packed_npz(tmp_path, **changes):
  """A small valid binarized-MNIST ``.npz`` (packed bits 8/4/4 images) with ``changes``."""
  rng = np.random.default_rng(0)
  pixels = {k: (rng.random((n, 784)) < 0.2).astype(np.uint8)
            for k, n in (("train", 8), ("valid", 4), ("test", 4))}
  arrays = {k: np.packbits(v, axis=1) for k, v in pixels.items()}
  arrays.update(changes)
  path = str(tmp_path / "bm.npz")
  np.savez(path, **arrays)
  return path, pixels


def _load_binarized(path, **kwargs):
  return load_dataset({"name": "binarized_mnist", "path": path, **kwargs})


def test_binarized_npz_of_unpacked_pixels_is_refused(tmp_path):
  _, pixels = _packed_npz(tmp_path)
  path, _ = _packed_npz(tmp_path, train=pixels["train"])
  with _raises(f"{path}:train", r" holds unpacked 0/1 pixels \(8, 784\); expected uint8 "
               r"rows of np.packbits\(784 pixels, axis=1\), shape \(N, 98\): store "
               r"np.packbits\(pixels, axis=1\)"):
    _load_binarized(path)


def test_binarized_npz_of_short_rows_is_refused(tmp_path):
  path, _ = _packed_npz(tmp_path, valid=np.zeros((4, 90), np.uint8))
  with _raises(f"{path}:valid", r" has shape \(4, 90\), expected \(N, 98\) \(uint8 rows"):
    _load_binarized(path)


@pytest.mark.parametrize("array", [np.zeros((4, 98), np.int64), np.zeros((4, 98))],
                         ids=["int64", "float64"])
def test_binarized_npz_of_another_dtype_is_refused(tmp_path, array):
  path, _ = _packed_npz(tmp_path, test=array)
  with _raises(f"{path}:test", rf" has dtype {array.dtype}, expected uint8"):
    _load_binarized(path)


def test_binarized_npz_one_dimensional_array_is_refused(tmp_path):
  path, _ = _packed_npz(tmp_path, test=np.zeros(98, np.uint8))
  with _raises(f"{path}:test", r" has shape \(98,\), expected \(N, 98\)"):
    _load_binarized(path)


def test_binarized_npz_with_an_empty_valid_split_fails_at_load(tmp_path):
  """It used to load and end the trainer with a bare ``StopIteration``."""
  from tfvae.training.trainer import train  # pylint: disable=g-import-not-at-top
  path, _ = _packed_npz(tmp_path, valid=np.zeros((0, 98), np.uint8))
  config = run_config(batch_size=4, eval_batch_size=4)
  config.dataset = ml_collections.ConfigDict(dict(name="binarized_mnist", path=path))
  with _raises(f"{path}:valid", r" is empty; expected at least one image"):
    train(config, str(tmp_path / "run"), log=lambda *_: None)
  assert not (tmp_path / "run").exists()


def test_binarized_test_labels_must_match_the_test_split(tmp_path):
  path, _ = _packed_npz(tmp_path)
  labels = str(tmp_path / "labels.npy")
  np.save(labels, np.arange(5) % 10)
  with _raises(labels, r" has shape \(5,\), expected \(4,\) \(one digit label per image "
               r"of .*bm.npz:test\)"):
    _load_binarized(path, labels_path=labels)
  np.save(labels, np.array([0, 1, 2, 12]))
  with _raises(labels, r" has 1 values outside \[0, 9\] \(e.g. \[12\]"):
    _load_binarized(path, labels_path=labels)
  np.save(labels, np.array([0.0, 1.0, np.nan, 3.0]))
  with _raises(labels, r" contains 1 NaN or Inf values"):
    _load_binarized(path, labels_path=labels)


def test_binarized_valid_file_loads_its_own_pixels(tmp_path):
  path, pixels = _packed_npz(tmp_path)
  splits = _load_binarized(path)
  for split in ("train", "valid", "test"):
    np.testing.assert_array_equal(splits.split(split), pixels[split])


def _reads_binarized_mnist(name: str) -> bool:
  dataset = load_config_file(os.path.join(REPO_ROOT, "configs", name)).dataset
  return "binarized_mnist" in (dataset.get("name"), dataset.get("source"))


# The README says binarized_mnist reads dataset.path: the shipped configs must take it.
_BINARIZED_CONFIGS = [name for name in sorted(os.listdir(os.path.join(REPO_ROOT, "configs")))
                      if name.endswith(".py") and not name.startswith("_")
                      and _reads_binarized_mnist(name)]


def test_binarized_configs_are_found():
  assert "vae_binarized_mnist.py" in _BINARIZED_CONFIGS
  assert "lstm_seq_mnist.py" in _BINARIZED_CONFIGS


@pytest.mark.parametrize("name", _BINARIZED_CONFIGS)
def test_config_dataset_path_override_reads_that_file(tmp_path, name):
  from tfvae.cli.common import check_config_overrides  # pylint: disable=g-import-not-at-top
  config_path = os.path.join(REPO_ROOT, "configs", name)
  path, pixels = _packed_npz(tmp_path)
  check_config_overrides(["train", f"--config={config_path}", f"--workdir={tmp_path}/w",
                          f"--config.dataset.path={path}"])  # no SystemExit
  config = load_config_file(config_path)
  assert config.dataset.path == ""  # the default: the embedded copy
  config.dataset.path = path
  splits = load_dataset(config.dataset)
  test = splits.split("test").reshape(len(pixels["test"]), -1)
  np.testing.assert_array_equal(test, pixels["test"])


def test_workdir_from_before_dataset_path_still_resumes(tmp_path):
  """A run saved with ``dataset = {name}`` resumes under a config with ``path=""``."""
  from tfvae.training.config_checks import check_same_run  # pylint: disable=g-import-not-at-top
  config = load_config_file(os.path.join(REPO_ROOT, "configs", "vae_binarized_mnist.py"))
  saved = config.to_dict()
  saved["dataset"] = {"name": "binarized_mnist"}
  (tmp_path / "config.json").write_text(ml_collections.ConfigDict(saved).to_json())
  check_same_run(config, str(tmp_path))
  config.dataset.path = "/data/other.npz"
  with pytest.raises(ValueError, match=r"dataset.path: '<unset>' in the workdir"):
    check_same_run(config, str(tmp_path))


# ------------------------------------------------------------------ MNIST IDX
def _load_idx(folder):
  return load_dataset({"name": "mnist", "idx_dir": str(folder), "binarize": "dynamic"})


@pytest.mark.parametrize("key, length", [("train_labels", 10000), ("test_labels", 12)])
def test_idx_labels_of_another_length_are_refused(tmp_path, key, length):
  folder = _idx_dir(tmp_path)
  _write_idx(str(folder / IDX_FILES[key]), np.zeros(length))
  images = IDX_FILES[key.replace("labels", "images")]
  with _raises(folder / IDX_FILES[key], rf" has {length} entries but .*{images} has "
               rf"{10001 if key == 'train_labels' else 10}; expected one per entry"):
    _load_idx(folder)


def test_idx_labels_outside_the_digits_are_refused(tmp_path):
  folder = _idx_dir(tmp_path)
  labels = np.zeros(10)
  labels[3] = 12
  _write_idx(str(folder / IDX_FILES["test_labels"]), labels)
  with _raises(folder / IDX_FILES["test_labels"], r" has 1 values outside \[0, 9\] \(e.g. "
               r"\[12\], first at index 3\); expected digit labels 0..9"):
    _load_idx(folder)


def test_idx_images_of_another_size_are_refused(tmp_path):
  folder = _idx_dir(tmp_path)
  _write_idx(str(folder / IDX_FILES["test_images"]), np.zeros((10, 28, 27)))
  with _raises(folder / IDX_FILES["test_images"], r" has shape \(10, 28, 27\), expected "
               r"\(N, 28, 28\) \(28x28 images\)"):
    _load_idx(folder)


def test_idx_empty_test_split_is_refused(tmp_path):
  folder = _idx_dir(tmp_path, num_test=0)
  with _raises(folder / IDX_FILES["test_images"], r" is empty; expected at least one "
               r"image"):
    _load_idx(folder)


# -------------------------------------------------------------------- strokes
def _strokes_npz(tmp_path, **changes):
  """A flat stroke-3 file of 3 drawings per split, with ``changes``."""
  strokes = np.tile(np.array([[1.0, 2.0, 0.0], [3.0, -1.0, 1.0]], np.float32), (3, 1))
  arrays = {}
  for split in ("train", "valid", "test"):
    arrays[f"{split}_strokes"] = strokes.copy()
    arrays[f"{split}_offsets"] = np.array([0, 2, 4, 6])
  arrays.update(changes)
  path = str(tmp_path / "drawings.npz")
  np.savez(path, **arrays)
  return path


def _load_strokes(path):
  return load_dataset({"name": "strokes", "path": path, "max_length": 4})


@pytest.mark.parametrize("pen", [0.5, 2.0, -1.0])
def test_stroke_pen_values_other_than_0_and_1_are_refused(tmp_path, pen):
  strokes = np.tile(np.array([[1.0, 2.0, 0.0], [3.0, -1.0, 1.0]]), (3, 1))
  strokes[4, 2] = pen
  path = _strokes_npz(tmp_path, valid_strokes=strokes)
  with _raises(f"{path}:valid_strokes (pen column)", rf" has 1 values other than 0 and 1 "
               rf"\(e.g. \[{pen}\], first at index 4\); expected pen_lifted values 0 or 1"):
    _load_strokes(path)


def test_stroke_offsets_too_large_for_float32_are_refused(tmp_path):
  strokes = np.tile(np.array([[1.0, 2.0, 0.0], [3.0, -1.0, 1.0]]), (3, 1))
  strokes[1, 0] = 1e39
  path = _strokes_npz(tmp_path, train_strokes=strokes)
  with _raises(f"{path}:train_strokes (dx, dy)", r" has 1 values outside .*expected finite "
               r"values that fit in float32"):
    _load_strokes(path)


@pytest.mark.parametrize("array, dtype", [
    (np.full((6, 3), "a"), "<U1"), (np.ones((6, 3), np.complex64), "complex64")],
    ids=["strings", "complex"])
def test_stroke_arrays_of_another_type_name_the_key(tmp_path, array, dtype):
  path = _strokes_npz(tmp_path, test_strokes=array)
  with _raises(f"{path}:test_strokes", rf" has dtype {dtype}, expected real numbers"):
    _load_strokes(path)


def test_stroke_object_arrays_name_the_key(tmp_path):
  path = str(tmp_path / "drawings.npz")
  good = _strokes_npz(tmp_path)
  with np.load(good) as data:
    arrays = dict(data)
  arrays["train_strokes"] = np.array([[1, 2, 0], [3, "x", 1]], dtype=object)
  np.savez(path, **arrays)
  with _raises(f"{path}:train_strokes", r" is not a readable numeric array"):
    _load_strokes(path)


def test_stroke_offsets_must_be_integers(tmp_path):
  path = _strokes_npz(tmp_path, train_offsets=np.array([0.0, 2.0, 4.0, 6.0]))
  with _raises(f"{path}:train_offsets", r" has dtype float64, expected integer offsets"):
    _load_strokes(path)
  path = _strokes_npz(tmp_path, train_offsets=np.array([[0, 2], [4, 6]]))
  with _raises(f"{path}:train_offsets", r" has shape \(2, 2\), expected \(N \+ 1,\)"):
    _load_strokes(path)


def test_stroke_split_without_drawings_names_the_key(tmp_path):
  path = _strokes_npz(tmp_path, valid_strokes=np.zeros((0, 3), np.float32),
                      valid_offsets=np.array([0]))
  with _raises(f"{path}:valid_offsets", r" holds no drawing \(\[0\]\); expected N \+ 1 "
               r"offsets for N >= 1 drawings of split 'valid'"):
    _load_strokes(path)


def test_stroke_max_length_must_be_positive(tmp_path):
  path = _strokes_npz(tmp_path)
  with pytest.raises(ValueError, match=r"drawings max_length must be an integer >= 1, "
                                       r"got 0"):
    load_dataset({"name": "strokes", "path": path, "max_length": 0})


# ------------------------------------------------------------------- IAM-OnDB
def _iam_folder(tmp_path, bad=None):
  """Six forms of two lines; ``bad = (x, y)`` replaces the second point of one line."""
  rng = np.random.default_rng(0)
  paths = []
  for w in range(6):
    for line in range(2):
      stroke = [tuple(p) for p in (np.cumsum(rng.integers(-20, 20, (5, 2)), 0) + 1000)]
      if bad and (w, line) == (3, 1):
        stroke[1] = bad
      paths.append(write_line(str(tmp_path), f"a0{w}-00{w}u", line, [stroke]))
  return paths


def _load_iam(tmp_path, **kwargs):
  """Forms a00..a03 train, a04 valid, a05 test (``kwargs`` override)."""
  lists = {}
  for split, forms in (("train", "a00\na01\na02\na03"), ("valid", "a04"), ("test", "a05")):
    lists[split] = str(tmp_path / f"{split}.txt")
    with open(lists[split], "w") as f:
      f.write(forms + "\n")
  settings = {"name": "iam_ondb", "path": str(tmp_path), "max_length": 12,
              "split_files": lists}
  settings.update(kwargs)
  return load_dataset(settings)


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "1e39"])
def test_iam_non_finite_coordinates_are_refused(tmp_path, text):
  paths = _iam_folder(tmp_path, bad=(text, 1000))
  with _raises(f"{paths[7]}: <Point> 1 of <Stroke> 0", rf" has x='{text}', expected a "
               r"finite coordinate that fits float32"):
    _load_iam(tmp_path)


def test_iam_missing_or_non_numeric_coordinates_name_the_point(tmp_path):
  paths = _iam_folder(tmp_path, bad=(1000, "abc"))
  with _raises(f"{paths[7]}: <Point> 1 of <Stroke> 0", r" has y='abc', expected a number"):
    _load_iam(tmp_path)
  text = open(paths[7], encoding="ISO-8859-1").read().replace('y="abc" ', "")
  with open(paths[7], "w", encoding="ISO-8859-1") as f:
    f.write(text)
  with _raises(f"{paths[7]}: <Point> 1 of <Stroke> 0", r" has no 'y' attribute"):
    _load_iam(tmp_path)


def test_iam_malformed_xml_among_many_names_the_file(tmp_path):
  paths = _iam_folder(tmp_path)
  with open(paths[5], "a", encoding="ISO-8859-1") as f:
    f.write("<unclosed>")
  with _raises(paths[5], r" is not well-formed XML \(.*\); expected an IAM-OnDB "
               r"lineStrokes file"):
    _load_iam(tmp_path)


def test_iam_split_settings_are_checked(tmp_path):
  _iam_folder(tmp_path)
  with pytest.raises(ValueError, match=r"valid_fraction \+ test_fraction must be < 1"):
    _load_iam(tmp_path, split_files=None, valid_fraction=0.6, test_fraction=0.5)
  with pytest.raises(FileNotFoundError, match=r"split_files\['valid'\] not found: .*nope"):
    _load_iam(tmp_path, split_files={"valid": str(tmp_path / "nope.txt")})
  with pytest.raises(ValueError, match=r"IAM-OnDB max_length must be an integer >= 1"):
    _load_iam(tmp_path, max_length=0)
  with pytest.raises(ValueError, match=r"IAM-OnDB clip must be in \(0.0, inf\], got 0.0"):
    _load_iam(tmp_path, clip=0.0)
  with pytest.raises(ValueError, match=r"IAM-OnDB clip must be a finite number, got nan"):
    _load_iam(tmp_path, clip=float("nan"))


# ------------------------------------------------------------------------ SVHN
def test_svhn_images_of_another_shape_are_refused():
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  from tfvae.data.svhn import _grayscale  # pylint: disable=g-import-not-at-top
  ds = tf.data.Dataset.from_tensor_slices(
      {"image": np.zeros((4, 28, 28, 3), np.uint8), "label": np.zeros(4, np.int64)})
  with _raises("TFDS svhn_cropped train", r" images are uint8 \[28, 28, 3\], expected "
               r"uint8 \[32, 32, 3\]"):
    _grayscale(ds, where="TFDS svhn_cropped train")
  ds = tf.data.Dataset.from_tensor_slices(
      {"image": np.zeros((4, 32, 32, 3), np.uint8), "label": np.array([0, 1, 10, 2])})
  with _raises("TFDS svhn_cropped test labels", r" has 1 values outside \[0, 9\]"):
    _grayscale(ds, where="TFDS svhn_cropped test")


def test_svhn_num_valid_must_be_an_integer():
  import tensorflow_datasets as tfds  # pylint: disable=g-import-not-at-top
  with tfds.testing.mock_data(num_examples=33, policy=tfds.testing.MockPolicy.USE_CODE):
    with pytest.raises(ValueError, match=r"num_valid must be an integer in \[1, 32\]"):
      load_dataset({"name": "svhn", "num_valid": 3.5})


# ------------------------------------------------------------------------ toy
@pytest.mark.parametrize("settings, message", [
    (dict(stddev=0.0), r"toy_two_gaussians stddev must be in \(0.0, inf\], got 0.0"),
    (dict(stddev=float("nan")), r"toy_two_gaussians stddev must be a finite number"),
    (dict(means=(0.3, float("nan"))), r"toy_two_gaussians means contains 1 NaN or Inf"),
    (dict(means=(0.3, 1e39)), r"toy_two_gaussians means has 1 values outside"),
    (dict(num_train=10.5), r"toy_two_gaussians num_train must be an integer >= 1, got "
                           r"10.5 \(float\)"),
], ids=["zero_stddev", "nan_stddev", "nan_mean", "huge_mean", "float_size"])
def test_toy_settings_that_give_bad_numbers_are_refused(settings, message):
  with pytest.raises(ValueError, match=message):
    load_dataset({"name": "toy_two_gaussians", "num_train": 10, "num_valid": 10,
                  "num_test": 10, **settings})


# ------------------------------------------------------- padded, splits, pipeline
def test_pad_images_of_the_wrong_width_are_refused():
  from tfvae.data.padded import pad_images  # pylint: disable=g-import-not-at-top
  with pytest.raises(ValueError, match=r"images to pad has shape \(2, 700\), expected "
                                       r"\(N, 784\) \(flat 28x28x1 images\)"):
    pad_images(np.zeros((2, 700)), (28, 28, 1), 32)


def _splits(**changes):
  x = np.full((4, 6), 0.5, np.float32)
  settings = dict(name="toy", train=x, valid=x, test=x, kind="real", image_shape=(6,))
  settings.update(changes)
  return DatasetSplits(**settings)


@pytest.mark.parametrize("changes, message", [
    (dict(valid=np.zeros((0, 6), np.float32)),
     r"toy/valid is empty; expected at least one example"),
    (dict(test=np.zeros((4, 5), np.float32)),
     r"toy/test has shape \(4, 5\), expected \(N, 6\) examples of image_shape \(6,\)"),
    (dict(train=np.full((4, 6), "a")), r"toy/train has dtype <U1, expected"),
    (dict(labels={"train": np.zeros(3)}),
     r"toy train labels has 3 entries but toy/train has 4"),
    (dict(image_shape=(6, 0)), r"toy: image_shape must be positive integers"),
], ids=["empty", "shape", "dtype", "labels", "image_shape"])
def test_dataset_splits_refuse_bad_arrays(changes, message):
  with pytest.raises(ValueError, match=message):
    _splits(**changes)


@pytest.mark.parametrize("call, message", [
    (lambda s: s.eval_dataset("test", 0), r"eval batch_size must be an integer >= 1, got 0"),
    (lambda s: s.train_dataset(2.5), r"batch_size must be an integer >= 1, got 2.5"),
    (lambda s: s.train_dataset(2, steps_per_epoch=-1),
     r"steps_per_epoch must be an integer >= 0, got -1"),
    (lambda s: s.train_dataset(2, initial_epoch=-2),
     r"initial_epoch must be an integer >= 0, got -2"),
], ids=["eval_batch", "float_batch", "steps", "epoch"])
def test_pipeline_refuses_bad_stream_settings(call, message):
  with pytest.raises(ValueError, match=message):
    call(_splits())


def _sequences(**changes):
  x = np.zeros((3, 5, 2), np.float32)
  lengths = np.array([1, 5, 3], np.int32)
  settings = dict(name="seq", train=x, valid=x, test=x, kind="real",
                  lengths={"train": lengths, "valid": lengths, "test": lengths})
  settings.update(changes)
  return SequenceSplits(**settings)


@pytest.mark.parametrize("changes, message", [
    (dict(valid=np.zeros((0, 5, 2), np.float32)),
     r"seq/valid is empty; expected at least one sequence"),
    (dict(lengths={"train": np.array([1, 6, 3]), "valid": np.array([1, 5, 3]),
                   "test": np.array([0, 5, 3])}),
     r"seq/train lengths has 1 values outside \[1, 5\] \(e.g. \[6\], first at index 1\)"),
    (dict(lengths={"train": np.array([1.0, 5.0, 3.0]), "valid": np.array([1, 5, 3]),
                   "test": np.array([1, 5, 3])}),
     r"seq/train lengths has dtype float64, expected integers"),
], ids=["empty", "length_range", "length_dtype"])
def test_sequence_splits_refuse_bad_arrays(changes, message):
  with pytest.raises(ValueError, match=message):
    _sequences(**changes)


def test_sequence_streams_refuse_bad_settings():
  with pytest.raises(ValueError, match=r"eval batch_size must be an integer >= 1, got 0"):
    _sequences().eval_dataset("test", 0)
  with pytest.raises(ValueError, match=r"steps_per_epoch must be an integer >= 0"):
    _sequences().train_dataset(2, steps_per_epoch=-1)
