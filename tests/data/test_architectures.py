"""Architecture sequences: encoding, windows and masks, random grammar, held-out splits."""
import keras
import numpy as np
import pytest

from tfvae.data import architectures as arch
from tfvae.data import load_dataset

NUM_TYPES = len(arch.LAYER_TYPES)


def _assert_valid_steps(x, max_length):
  """One-hot valid, features in [0, 1], padding zero and only after the real steps."""
  assert x.dtype == np.float32 and x.shape[1:] == (max_length, NUM_TYPES + 1)
  onehot = x[..., :NUM_TYPES]
  assert set(np.unique(onehot)) <= {0.0, 1.0}
  assert set(np.unique(onehot.sum(-1))) <= {0.0, 1.0}
  mask = arch.sequence_mask(x)
  assert np.all(mask[:, 0]), "a window never starts with padding"
  # Mask is a prefix: once padding starts, it never stops.
  assert np.all(np.diff(mask.astype(int), axis=1) <= 0)
  features = x[..., NUM_TYPES]
  assert np.all((features >= 0) & (features <= 1))
  assert np.all(features[~mask] == 0) and np.all(onehot[~mask] == 0)


def test_layer_tokens_of_a_small_keras_model():
  inputs = keras.Input((16, 16, 3))
  h = keras.layers.Conv2D(8, 3, activation="relu")(inputs)
  h = keras.layers.BatchNormalization()(h)
  h = keras.layers.Activation("swish")(h)
  h = keras.layers.DepthwiseConv2D(3)(h)
  h = keras.layers.GlobalAveragePooling2D()(h)
  outputs = keras.layers.Dense(10, activation="softmax")(h)
  tokens = arch.model_tokens(keras.Model(inputs, outputs))
  assert tokens == [("Input", 3), ("Conv2D", 8), ("ReLU", 8), ("BatchNormalization", 8),
                    ("Swish", 8), ("DepthwiseConv2D", 8), ("GlobalPooling", 8),
                    ("Dense", 10), ("Softmax", 10), ("<end>", 0)]


def test_feature_encoding_round_trip_and_description():
  channels = np.array([1, 3, 16, 64, 1000, 2048, 8192])
  f = arch.encode_feature(channels)
  assert np.all((f >= 0) & (f <= 1)) and f[-1] == pytest.approx(1.0)
  np.testing.assert_array_equal(arch.decode_feature(f), channels)
  types, chans = arch.tokens_to_arrays(
      [("Input", 3), ("Conv2D", 64), ("BatchNormalization", 64), ("ReLU", 64),
       ("Dense", 1000), ("<end>", 0), ("Conv2D", 8)])
  text = arch.describe_layers(types, arch.encode_feature(chans))
  assert text == "Input(3) -> Conv2D(64) -> BatchNormalization -> ReLU -> Dense(1000) -> <end>"


def test_windows_tile_the_sequence_and_pad_with_zeros():
  rng = np.random.default_rng(3)
  types, channels = arch.tokens_to_arrays(arch.random_architecture(rng))
  n, length = len(types), 16
  tiles = arch.windows(types, channels, length, stride=length)
  assert len(tiles) == -(-n // length)
  _assert_valid_steps(tiles, length)
  mask = arch.sequence_mask(tiles)
  assert mask.sum() == n
  flat = tiles[mask]  # row-major: windows in order, steps in order
  np.testing.assert_array_equal(np.argmax(flat[:, :NUM_TYPES], -1), types)
  np.testing.assert_allclose(flat[:, NUM_TYPES], arch.encode_feature(channels))
  overlapping = arch.windows(types, channels, length, stride=length // 2)
  assert len(overlapping) >= 2 * len(tiles) - 2
  np.testing.assert_array_equal(overlapping[1, :length // 2], tiles[0, length // 2:])


def test_random_grammar_is_seeded_and_well_formed():
  a = [arch.random_architecture(np.random.default_rng(7)) for _ in range(2)]
  assert a[0] == a[1]
  rng = np.random.default_rng(0)
  seqs = [arch.random_architecture(rng) for _ in range(50)]
  assert len({tuple(s) for s in seqs}) > 40
  for s in seqs:
    assert s[0] == ("Input", 3) and s[-1] == ("<end>", 0)
    assert [t for t, _ in s].count("<end>") == 1
    assert all(t in arch.TYPE_INDEX for t, _ in s)
    assert all(c >= 1 for _, c in s[:-1])


def test_embedded_keras_applications_file():
  archs = arch.read_embedded()
  assert len(archs) == 40
  assert set(arch.TEST_ARCHITECTURES) | set(arch.VALID_ARCHITECTURES) <= set(archs)
  types, channels = archs["ResNet50"]
  head = arch.describe_layers(types[:6], arch.encode_feature(channels[:6]))
  assert head == ("Input(3) -> Padding -> Conv2D(64) -> BatchNormalization -> ReLU -> "
                  "Padding")
  assert arch.LAYER_TYPES[types[-1]] == "<end>" and list(types).count(arch.END) == 1
  tail = [arch.LAYER_TYPES[t] for t in archs["VGG16"][0][-5:]]
  assert tail == ["Dense", "ReLU", "Dense", "Softmax", "<end>"]
  # Every keras model ends in a classifier: Dense(1000) -> Softmax.
  for name, (t, c) in archs.items():
    assert arch.LAYER_TYPES[t[0]] == "Input", name
    assert arch.LAYER_TYPES[t[-2]] == "Softmax" and c[-2] == 1000, name


def test_dataset_shapes_mask_and_held_out_architectures():
  splits = load_dataset({"name": "architectures", "max_length": 24, "num_random": 20})
  assert splits.model_arguments() == {
      "num_types": NUM_TYPES, "max_length": 24, "type_names": arch.LAYER_TYPES,
      "feature_log2_max": arch.FEATURE_LOG2_MAX}
  archs = arch.read_embedded()
  for split in ("train", "valid", "test"):
    x = splits.split(split)
    _assert_valid_steps(x, 24)
    assert len(splits.sources[split]) == len(x)
    np.testing.assert_array_equal(splits.mask(split), arch.sequence_mask(x))
  names = {s: set(splits.sources[s]) for s in ("train", "valid", "test")}
  assert names["test"] == set(arch.TEST_ARCHITECTURES)
  assert names["valid"] == set(arch.VALID_ARCHITECTURES)
  assert not names["train"] & (names["test"] | names["valid"])
  assert sum(n.startswith("random/") for n in names["train"]) == 20
  # Held-out windows tile each model exactly (no overlap, nothing lost).
  x = splits.test[splits.sources["test"] == "VGG19"]
  types = np.argmax(x[arch.sequence_mask(x)][:, :NUM_TYPES], -1)
  np.testing.assert_array_equal(types, archs["VGG19"][0])
  # Training windows overlap (stride max_length // 2) and cover whole models.
  n_resnet = len(archs["ResNet50"][0])
  assert np.sum(splits.sources["train"] == "ResNet50") == -(-(n_resnet - 12) // 12)


def test_random_only_source_holds_out_whole_generated_architectures():
  splits = load_dataset({"name": "architectures", "sources": ("random",), "num_random": 30,
                         "max_length": 16, "random_seed": 5})
  names = {s: set(splits.sources[s]) for s in ("train", "valid", "test")}
  assert len(names["valid"]) == 3 and len(names["test"]) == 3
  assert not (names["train"] & names["test"]) and not (names["train"] & names["valid"])
  again = load_dataset({"name": "architectures", "sources": ("random",), "num_random": 30,
                        "max_length": 16, "random_seed": 5})
  np.testing.assert_array_equal(splits.train, again.train)


def test_pipeline_batches_and_likelihood_check():
  splits = load_dataset({"name": "architectures", "sources": ("random",), "num_random": 20,
                         "max_length": 8})
  batch = next(iter(splits.train_dataset(4, seed=1)))
  assert batch.shape == (4, 8, NUM_TYPES + 1) and batch.dtype.name == "float32"
  np.testing.assert_array_equal(splits.eval_array("test"), splits.test)
  assert splits.steps_per_epoch(4) == len(splits.train) // 4
  splits.check_likelihood("sigmoid")
  with pytest.raises(ValueError, match="feature likelihood"):
    splits.check_likelihood("bernoulli")
  with pytest.raises(ValueError, match="sources"):
    load_dataset({"name": "architectures", "sources": ("imagenet",)})
  with pytest.raises(ValueError, match="unknown"):
    load_dataset({"name": "architectures", "test_architectures": ("NotANet",)})
