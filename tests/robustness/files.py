"""What a failed call may leave on disk: nothing new, and never a partial file.

``snapshot`` records a folder (paths, sizes, modification times) so a test can check that
a rejected input changed nothing; ``assert_no_partial_files`` looks for the leftovers of
an interrupted write: temporary files and folders, checkpoint files that the state file
does not list (or an index without its data), export versions without a SavedModel.
"""
import os
import re

import tensorflow as tf

TEMPORARY = re.compile(r".*(\.tmp|_temp|\.write-test-).*")


def snapshot(root: str) -> dict:
  """``{relative path: (size, mtime_ns)}`` of every file under ``root`` ({} if absent)."""
  out = {}
  for folder, _, names in os.walk(root):
    for name in names:
      path = os.path.join(folder, name)
      stat = os.stat(path)
      out[os.path.relpath(path, root)] = (stat.st_size, stat.st_mtime_ns)
  return out


def assert_no_partial_files(root: str) -> None:
  """No temporary file or folder under ``root``; checkpoint folders hold only complete,
  committed checkpoints."""
  for folder, dirs, names in os.walk(root):
    for name in dirs + names:
      assert not TEMPORARY.fullmatch(name), f"leftover temporary {os.path.join(folder, name)}"
    if os.path.basename(folder) == "checkpoints":
      assert_complete_checkpoints(folder)


def assert_complete_exports(base_dir: str) -> None:
  """``<base_dir>/<name>/<version>/`` holds only whole SavedModels (no temporary folder)."""
  assert_no_partial_files(base_dir)
  for name in os.listdir(base_dir):
    for version in os.listdir(os.path.join(base_dir, name)):
      path = os.path.join(base_dir, name, version)
      assert re.fullmatch(r"\d+", version), f"not a version folder: {path}"
      assert os.path.exists(os.path.join(path, "saved_model.pb")), path
      assert os.path.isdir(os.path.join(path, "variables")), path


def assert_complete_checkpoints(directory: str) -> None:
  """Every checkpoint file belongs to a checkpoint the state file lists, and each listed
  checkpoint has its index and data and can be read."""
  state = tf.train.get_checkpoint_state(directory)
  listed = {os.path.basename(p) for p in (state.all_model_checkpoint_paths if state else [])}
  for name in os.listdir(directory):
    if name == "checkpoint":
      continue
    match = re.fullmatch(r"(ckpt-\d+)\.(index|data-\d+-of-\d+)", name)
    assert match, f"unexpected file {name} in {directory}"
    assert match.group(1) in listed, f"{name} belongs to no committed checkpoint ({listed})"
  for prefix in listed:
    path = os.path.join(directory, prefix)
    assert os.path.exists(path + ".index"), path
    assert os.path.exists(path + ".data-00000-of-00001"), path
    tf.train.load_checkpoint(path).get_variable_to_shape_map()  # readable
