"""A stroke run keeps its data normalisation: in ``data.json`` and in the export.

A tiny VRNN is trained one step on synthetic IAM-OnDB lines; then the data folder is
moved away. Restore, sampling and export must work from the run alone, with the
training statistics; a later restore with changed data keeps them; a client that never
imports tfvae reads them from the SavedModel's ``normalization`` signature and primes
with raw offsets.
"""
import json
import os
import shutil
import subprocess
import sys

import ml_collections
import numpy as np
import pytest

from tests.data.test_iam_ondb import write_line
from tfvae.data import iam_ondb

SPLIT_FORMS = {"train": ["a00", "a01", "a02", "a03"], "valid": ["a04"], "test": ["a05"]}


def _write_data(root, seed=0, scale=20):
  rng = np.random.default_rng(seed)
  for w in range(6):
    for line in range(2):
      strokes = [np.cumsum(rng.integers(-scale, scale, size=(rng.integers(4, 9), 2)), 0) + 1000
                 for _ in range(2)]
      write_line(str(root), f"a{w:02d}-{w:03d}u", line, strokes)


def _config(data, lists):
  config = ml_collections.ConfigDict()
  config.model = dict(name="vrnn", output="pen_gmm", num_components=2, latent_dim=2,
                      rnn_units=8, num_layers=1, phi_x_sizes=(8,), phi_z_sizes=(8,),
                      prior_sizes=(8,), encoder_sizes=(8,), decoder_sizes=(8,),
                      activation="relu", kl_discount=1.0, loop="while")
  config.dataset = dict(name="iam_ondb", path=str(data), max_length=12, clip=300.0,
                        normalize="standard", split_files=lists, cache_dir="none")
  config.train = dict(
      batch_size=4, epochs=1, learning_rate=1e-3, clipnorm=0.0, seed=0, jit_compile=False,
      steps_per_execution=1, steps_per_epoch=1, precision="float32",
      early_stopping_patience=0, checkpoint_every=1, sample_every=0, validation_every=1,
      eval_batch_size=4, verbose=0, schedules={}, lr_schedule={})
  config.eval = dict(iwae_samples=2, chunk_size=2, batch_size=4, seed=0)
  config.export = dict(enabled=True, name="vrnn_iam", base_dir="")
  return config


@pytest.fixture(scope="module")
def run(tmp_path_factory):
  """The trained workdir, its training statistics and log; the data moved away."""
  from tfvae.training.trainer import train  # pylint: disable=g-import-not-at-top
  root = tmp_path_factory.mktemp("stroke_run")
  data = root / "data"
  _write_data(data)
  lists = {}
  for split, forms in SPLIT_FORMS.items():
    lists[split] = str(root / f"{split}.txt")
    with open(lists[split], "w") as f:
      f.write("\n".join(forms) + "\n")
  logged = []
  result = train(_config(data, lists), str(root / "run"), log=logged.append)
  first_line = sorted(iam_ondb.find_line_files(str(data)))[0]  # a00: train
  raw = iam_ondb.to_offsets(iam_ondb.read_line_xml(first_line))
  os.rename(data, root / "moved")
  return dict(workdir=str(root / "run"), root=root, data=data, logged=logged, raw=raw,
              mean=result.splits.data_mean, std=result.splits.data_std)


def test_data_json_keeps_the_normalisation_and_what_was_cut(run):
  with open(os.path.join(run["workdir"], "data.json")) as f:
    record = json.load(f)
  assert record["normalization"] == {"mean": list(run["mean"]), "std": list(run["std"])}
  assert record["model_arguments"]["max_length"] == 12
  assert record["preprocessing"]["splits"]["train"]["sequences"] == 8
  assert any(line.startswith("iam_ondb/train: 8 sequences;") for line in run["logged"])


def test_restore_and_sample_without_the_data_then_with_changed_data(run, tmp_path):
  from tfvae.data.stored_data import StoredSequenceData  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import restore_for_inference  # pylint: disable=g-import-not-at-top
  _, splits, model, epoch = restore_for_inference(run["workdir"])
  assert isinstance(splits, StoredSequenceData) and epoch == 1
  assert model.data_mean == run["mean"] and model.data_std == run["std"]
  png = model.write_samples_png(str(tmp_path / "s.png"), seed=1, num_samples=2)
  assert os.path.getsize(png) > 0
  with pytest.raises(FileNotFoundError, match="needs the examples"):
    splits.eval_dataset("test", 4)
  # The data comes back with larger steps in the training lines: the restored run still
  # normalises as it was trained.
  _write_data(run["data"], seed=1, scale=200)
  try:
    _, splits, model, _ = restore_for_inference(run["workdir"])
  finally:
    shutil.rmtree(run["data"])
  assert not getattr(splits, "data_free", False)
  assert splits.data_mean == run["mean"] and model.data_std == run["std"]
  assert splits.preprocessing["statistics"] == "given"


_CLIENT = r"""
import json, sys
import numpy as np
import tensorflow as tf
m = tf.saved_model.load(sys.argv[1])
norm = m.signatures["normalization"]()
mean, std = norm["mean"].numpy(), norm["std"].numpy()
raw = np.load(sys.argv[2])[None]                    # raw tablet offsets [1, P, 3]
prefix = (raw - mean) / std
out = m.signatures["prime"](prefix=tf.constant(prefix, tf.float32),
                            prefix_mask=tf.ones(raw.shape[:2]),
                            length=tf.constant(raw.shape[1] + 4), seed=tf.constant(3))
print(json.dumps({"tfvae": sorted(k for k in sys.modules if k.startswith("tfvae")),
                  "mean": mean.tolist(), "std": std.tolist(),
                  "data": out["data"].numpy()[0].tolist()}))
"""


def test_export_answers_the_normalisation_to_a_plain_tensorflow_client(run, tmp_path):
  from tfvae.export.sampler import export_sampler  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import restore_for_inference  # pylint: disable=g-import-not-at-top
  _, _, model, _ = restore_for_inference(run["workdir"])  # without the data
  path = export_sampler(model, str(tmp_path), "vrnn_iam")
  raw = run["raw"][:6]
  np.save(tmp_path / "raw.npy", raw)
  out = subprocess.run([sys.executable, "-c", _CLIENT, path, str(tmp_path / "raw.npy")],
                       capture_output=True, text=True, timeout=600, cwd=str(tmp_path),
                       env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=""))
  assert out.returncode == 0, out.stderr[-3000:]
  answer = json.loads(out.stdout.strip().splitlines()[-1])
  assert answer["tfvae"] == []
  np.testing.assert_allclose(answer["mean"], run["mean"], rtol=1e-6)
  np.testing.assert_allclose(answer["std"], run["std"], rtol=1e-6)
  data = np.array(answer["data"])
  assert data.shape == (10, 3)
  np.testing.assert_allclose(data[:6], raw, atol=1e-3)  # the primed steps, in tablet units
