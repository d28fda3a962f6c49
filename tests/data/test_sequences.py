"""Sequence datasets: padding/masks, deterministic streams, seq-MNIST and stroke-3 files."""
import os

import numpy as np
import pytest
import tensorflow as tf

from tfvae.data.sequences import (SequenceSplits, length_mask, load_seq_mnist, load_strokes,
                                  pad_sequences)

SHEEP = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "..", "shared", "data", "strokes", "aaron_sheep_flat.npz")


def toy_splits(n=10, t=5, d=3):
  rng = np.random.default_rng(0)
  seqs = [rng.normal(size=(rng.integers(1, t + 3), d)).astype(np.float32) for _ in range(n)]
  padded, lengths = pad_sequences(seqs, t)
  return SequenceSplits(name="toy", train=padded, valid=padded[:4], test=padded[:3],
                        lengths={"train": lengths, "valid": lengths[:4], "test": lengths[:3]},
                        kind="real"), seqs


def test_pad_sequences_cuts_pads_and_masks():
  splits, seqs = toy_splits()
  for i, seq in enumerate(seqs):
    n = min(len(seq), 5)
    np.testing.assert_array_equal(splits.train[i, :n], seq[:n])
    assert np.all(splits.train[i, n:] == 0)
    assert splits.lengths["train"][i] == n
  np.testing.assert_array_equal(length_mask([2, 0, 5], 5).sum(1), [2, 0, 5])


def test_train_stream_is_deterministic_per_seed_and_epoch_and_masks_match_lengths():
  splits, _ = toy_splits()
  take = lambda ds, k: [b for b in ds.take(k).as_numpy_iterator()]
  a = take(splits.train_dataset(3, seed=1), 6)  # 3 steps/epoch: epochs 0 and 1
  b = take(splits.train_dataset(3, seed=1, initial_epoch=1), 3)
  for x, y in zip(a[3:], b):
    np.testing.assert_array_equal(x["x"], y["x"])
    np.testing.assert_array_equal(x["mask"], y["mask"])
  c = take(splits.train_dataset(3, seed=2), 3)
  assert any(not np.array_equal(x["x"], y["x"]) for x, y in zip(a, c))
  lengths = {tuple(row.ravel()): n for row, n in zip(splits.train, splits.lengths["train"])}
  for batch in a:
    for x, m in zip(batch["x"], batch["mask"]):
      assert m.sum() == lengths[tuple(x.ravel())]
  assert splits.steps_per_epoch(3) == 3
  arrays = splits.eval_array("valid")
  np.testing.assert_array_equal(arrays["x"], splits.valid)
  np.testing.assert_array_equal(arrays["mask"].sum(1), splits.lengths["valid"])


def _bucket_splits(n=60, t=40, seed=0):
  """Sequences of lengths 1..t, each one's steps all equal to its index (identifiable)."""
  rng = np.random.default_rng(seed)
  lengths = rng.integers(1, t + 1, size=n)
  seqs = [np.full((k, 2), i, np.float32) for i, k in enumerate(lengths)]
  padded, lengths = pad_sequences(seqs, t)
  return SequenceSplits(name="toy", train=padded, valid=padded[:4], test=padded[:3],
                        lengths={"train": lengths, "valid": lengths[:4], "test": lengths[:3]},
                        kind="real")


def test_length_buckets_see_every_sequence_once_cut_to_the_batch_longest():
  splits = _bucket_splits()
  batch, steps = 5, 60 // 5
  plain = list(splits.train_dataset(batch, seed=3).take(steps).as_numpy_iterator())
  pooled = list(splits.train_dataset(batch, seed=3, length_bucket_pool=4)
                .take(steps).as_numpy_iterator())
  lengths = splits.lengths["train"]
  seen = []
  for b in pooled:
    ids = b["x"][:, 0, 0].astype(int)
    seen.extend(ids)
    # cut to the longest sequence of the batch, and each sequence intact under its mask
    assert b["x"].shape[1] == lengths[ids].max() == b["mask"].shape[1]
    np.testing.assert_array_equal(b["mask"].sum(1), lengths[ids])
    for row, mask, i in zip(b["x"], b["mask"], ids):
      np.testing.assert_array_equal(row[mask > 0], splits.train[i, :lengths[i]])
      assert np.all(row[mask == 0] == 0)
  assert sorted(seen) == list(range(60))  # one epoch: every sequence exactly once
  # The same epoch's sequences as the plain stream, in pools of 4 batches sorted by length,
  # so the padded steps drop (the plain batches are all cut at T = 40).
  plain_ids = np.concatenate([b["x"][:, 0, 0] for b in plain]).astype(int)
  for p in range(0, 60, 20):
    pool_ids = plain_ids[p:p + 20]
    in_pool = [b for b in pooled if set(b["x"][:, 0, 0].astype(int)) <= set(pool_ids)]
    assert len(in_pool) == 4
  assert sum(b["x"].shape[1] for b in pooled) < 0.8 * steps * 40


def test_length_buckets_are_deterministic_per_seed_and_epoch():
  splits = _bucket_splits()
  take = lambda ds, k: [b["x"][:, 0, 0].tolist() for b in ds.take(k).as_numpy_iterator()]
  a = take(splits.train_dataset(5, seed=1, length_bucket_pool=3), 24)  # epochs 0 and 1
  b = take(splits.train_dataset(5, seed=1, initial_epoch=1, length_bucket_pool=3), 12)
  assert a[12:] == b
  assert a[:12] != a[12:]
  with pytest.raises(ValueError, match="length_bucket_pool"):
    splits.train_dataset(5, length_bucket_pool=-1)


def test_seq_mnist_rows_and_likelihood_checks():
  splits = load_seq_mnist("binarized_mnist")
  assert splits.train.shape == (50000, 28, 28) and splits.model_kind == "binary"
  args = splits.model_arguments()
  assert args["input_size"] == 28 and args["max_length"] == 28
  batch = next(iter(splits.eval_dataset("test", 4)))
  assert batch["x"].dtype == tf.float32 and float(tf.reduce_min(batch["mask"])) == 1.0
  splits.check_likelihood("bernoulli")
  with pytest.raises(ValueError, match="does not fit"):
    splits.check_likelihood("gaussian")


def test_sheep_stroke_loader_matches_the_file():
  if not os.path.exists(SHEEP):
    raise FileNotFoundError(SHEEP)
  splits = load_strokes(SHEEP, max_length=250)
  with np.load(SHEEP) as raw:
    offsets, strokes = raw["test_offsets"], raw["test_strokes"]
    train_xy = raw["train_strokes"][:, :2].astype(np.float64)
  assert [len(splits.split(s)) for s in ("train", "valid", "test")] == [7400, 300, 300]
  scale = train_xy.std()
  assert splits.data_std[0] == pytest.approx(scale, rel=1e-6)
  first = strokes[offsets[0]:offsets[1]]
  n = len(first)
  assert splits.lengths["test"][0] == n
  np.testing.assert_allclose(splits.test[0, :n, :2] * scale, first[:, :2], atol=1e-3)
  np.testing.assert_array_equal(splits.test[0, :n, 2], first[:, 2])
  assert np.all(splits.test[0, n:] == 0)
  mask = length_mask(splits.lengths["train"], 250)
  xy = splits.train[..., :2][mask > 0]
  assert xy.std() == pytest.approx(1.0, rel=1e-3)
  splits.check_likelihood("pen_gmm")
  with pytest.raises(ValueError, match="section 4.1"):
    splits.check_likelihood("gaussian")
  short = load_strokes(SHEEP, max_length=40, long="drop")
  assert short.lengths["train"].max() <= 40 and len(short.train) < 7400
