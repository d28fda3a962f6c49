"""Neural-network architectures as sequences (flows paper, section 4.1).

An architecture is the sequence of its layers; step t is the vector

    x_t = [one_hot(type_t) (num_types values) || feature_t]          (section 4.1)

with ``type_t`` from the fixed vocabulary ``LAYER_TYPES`` and the real feature

    feature_t = log2(channels_t) / FEATURE_LOG2_MAX  in [0, 1]

where ``channels_t`` is the size of the layer's output channel (last) axis: filters of a
convolution, units of a Dense layer, the carried width for every other layer. Every
architecture ends with the ``<end>`` type. Long architectures are cut into windows of
``max_length`` steps (training windows may overlap, ``train_stride``); a window shorter than
``max_length`` is padded with all-zero steps, so the mask of real steps is
``sequence_mask(x) = any(one_hot != 0)``.

Two sources:

* ``applications``: the real architectures that ``keras.applications`` defines (40 models:
  ConvNeXt, DenseNet, EfficientNet/V2, Inception, MobileNet/V2/V3, NASNet, ResNet/V2, VGG,
  Xception), read once by ``build_architectures.py`` (instantiated with ``weights=None``;
  nested ``Sequential`` blocks flattened, fused ``activation=`` arguments emitted as their
  own activation step) and shipped as ``assets/keras_architectures.npz`` (per-layer type id
  and channel count, about 5 kB for 17,379 steps). Valid and test hold out *whole architectures*
  (``VALID_ARCHITECTURES``, ``TEST_ARCHITECTURES``): no window of a held-out model is seen
  in training.
* ``random``: ``random_architecture(rng)``, a seeded grammar of CNNs (stem, 2-5 stages of
  plain / residual / bottleneck / inverted-residual(+squeeze-excite) / separable blocks with
  doubling widths, pooled classifier head) that adds volume to the training split.
"""
import dataclasses
import os
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from tfvae.data.splits import DatasetSplits, check_finite
from tfvae.registry import DATASETS

EMBEDDED_PATH = os.path.join(os.path.dirname(__file__), "assets", "keras_architectures.npz")

LAYER_TYPES: Tuple[str, ...] = (
    "<end>", "Input", "Preprocessing", "Conv2D", "DepthwiseConv2D", "SeparableConv2D",
    "Dense", "BatchNormalization", "LayerNormalization", "ReLU", "Swish", "HardSwish",
    "Sigmoid", "Softmax", "GELU", "Activation", "MaxPooling2D", "AveragePooling2D",
    "GlobalPooling", "Padding", "Add", "Multiply", "Concatenate", "Dropout", "Reshape",
    "Other")
TYPE_INDEX: Dict[str, int] = {name: i for i, name in enumerate(LAYER_TYPES)}
END = TYPE_INDEX["<end>"]
#: feature = log2(channels) / FEATURE_LOG2_MAX; 2**13 = 8192 is the widest keras layer.
FEATURE_LOG2_MAX = 13.0
#: types whose feature is printed: "Conv2D(64)".
WIDTH_TYPES = frozenset({"Input", "Conv2D", "DepthwiseConv2D", "SeparableConv2D", "Dense"})

VALID_ARCHITECTURES = ("DenseNet121", "EfficientNetB6", "ResNet50V2", "EfficientNetV2B1",
                       "MobileNetV3Small")
TEST_ARCHITECTURES = ("DenseNet169", "EfficientNetB3", "EfficientNetV2S", "MobileNetV3Large",
                      "ResNet101V2", "ConvNeXtSmall", "VGG19", "Xception")

# keras class name -> vocabulary type (activations are mapped by function name).
_CLASS_TYPES = {
    "InputLayer": "Input", "Rescaling": "Preprocessing", "Normalization": "Preprocessing",
    "Conv2D": "Conv2D", "DepthwiseConv2D": "DepthwiseConv2D",
    "SeparableConv2D": "SeparableConv2D", "Dense": "Dense",
    "BatchNormalization": "BatchNormalization", "LayerNormalization": "LayerNormalization",
    "ReLU": "ReLU", "Softmax": "Softmax",
    "MaxPooling2D": "MaxPooling2D", "AveragePooling2D": "AveragePooling2D",
    "GlobalAveragePooling2D": "GlobalPooling", "GlobalMaxPooling2D": "GlobalPooling",
    "ZeroPadding2D": "Padding", "Cropping2D": "Padding",
    "Add": "Add", "CustomScaleLayer": "Add",  # Inception-ResNet's scaled residual sum
    "Multiply": "Multiply", "Concatenate": "Concatenate",
    "Dropout": "Dropout", "Reshape": "Reshape", "Flatten": "Reshape",
}
_ACTIVATION_TYPES = {
    "relu": "ReLU", "relu6": "ReLU", "silu": "Swish", "swish": "Swish",
    "hard_silu": "HardSwish", "hard_swish": "HardSwish", "sigmoid": "Sigmoid",
    "hard_sigmoid": "Sigmoid", "softmax": "Softmax", "gelu": "GELU",
}


# ------------------------------------------------------------------ encoding
def activation_type(name: str) -> str:
  return _ACTIVATION_TYPES.get(name, "Activation")


def layer_tokens(layer) -> List[Tuple[str, int]]:
  """``[(type, channels)]`` for one keras layer (a fused activation adds a step)."""
  cls = type(layer).__name__
  try:
    channels = int(layer.output.shape[-1] or 0)
  except (AttributeError, TypeError, ValueError):
    channels = 0
  if cls == "Activation":
    return [(activation_type(layer.activation.__name__), channels)]
  tokens = [(_CLASS_TYPES.get(cls, "Other"), channels)]
  fused = getattr(layer, "activation", None)
  if cls != "ReLU" and fused is not None and getattr(fused, "__name__", "linear") != "linear":
    tokens.append((activation_type(fused.__name__), channels))
  return tokens


def model_tokens(model) -> List[Tuple[str, int]]:
  """Flattened layer sequence of a keras model (nested models expanded), ``<end>`` last."""
  def walk(m):
    for layer in m.layers:
      if hasattr(layer, "layers") and layer.layers and type(layer).__name__ in (
          "Sequential", "Functional"):
        yield from walk(layer)
      else:
        yield from layer_tokens(layer)
  return list(walk(model)) + [("<end>", 0)]


def encode_feature(channels) -> np.ndarray:
  """log2(channels) / FEATURE_LOG2_MAX clipped to [0, 1] (0 channels -> 0)."""
  c = np.maximum(np.asarray(channels, np.float64), 1.0)
  return np.clip(np.log2(c) / FEATURE_LOG2_MAX, 0.0, 1.0).astype(np.float32)


def decode_feature(feature) -> np.ndarray:
  """Inverse of ``encode_feature``: the nearest integer channel count."""
  f = np.clip(np.asarray(feature, np.float64), 0.0, 1.0)
  return np.rint(2.0 ** (f * FEATURE_LOG2_MAX)).astype(np.int64)


def windows(type_ids: np.ndarray, channels: np.ndarray, max_length: int,
            stride: int) -> np.ndarray:
  """Cuts one architecture into ``[num_windows, max_length, num_types + 1]`` steps.

  Windows start at 0, ``stride``, ``2 stride``... until one reaches the end (the last may
  be shorter); padded steps are all zero. ``stride == max_length`` tiles without overlap.
  """
  n = len(type_ids)
  num_types = len(LAYER_TYPES)
  starts = [0]
  while starts[-1] + max_length < n:
    starts.append(starts[-1] + stride)
  out = np.zeros([len(starts), max_length, num_types + 1], np.float32)
  features = encode_feature(channels)
  for w, s in enumerate(starts):
    t = np.arange(min(max_length, n - s))
    out[w, t, type_ids[s + t]] = 1.0
    out[w, t, num_types] = features[s + t]
  return out


def sequence_mask(x) -> np.ndarray:
  """Real (unpadded) steps of ``[..., T, num_types + 1]`` arrays: ``[..., T]`` bool."""
  return np.any(np.asarray(x)[..., :-1] != 0, axis=-1)


# ----------------------------------------------------------------- decoding
def describe_layers(type_ids: Sequence[int], features: Sequence[float],
                    type_names: Sequence[str] = LAYER_TYPES,
                    feature_log2_max: float = FEATURE_LOG2_MAX, stop_at_end: bool = True,
                    separator: str = " -> ") -> str:
  """A readable layer list: ``"Conv2D(64) -> BatchNormalization -> ReLU -> <end>"``."""
  parts = []
  for t, f in zip(np.asarray(type_ids).tolist(), np.asarray(features).tolist()):
    name = type_names[int(t)]
    if name in WIDTH_TYPES:
      width = int(np.rint(2.0 ** (min(max(float(f), 0.0), 1.0) * feature_log2_max)))
      name = f"{name}({width})"
    parts.append(name)
    if stop_at_end and type_names[int(t)] == "<end>":
      break
  return separator.join(parts)


# --------------------------------------------------------- random grammar
def random_architecture(rng: np.random.Generator) -> List[Tuple[str, int]]:
  """One random CNN as ``[(type, channels)]`` ending with ``<end>`` (seeded by ``rng``)."""
  act = str(rng.choice(["ReLU", "ReLU", "Swish", "HardSwish", "GELU"]))
  block = str(rng.choice(["plain", "residual", "bottleneck", "inverted", "separable"]))
  squeeze = bool(rng.random() < 0.5)
  tokens = [("Input", 3)]
  if rng.random() < 0.5:
    tokens.append(("Preprocessing", 3))
  width = int(2 ** rng.integers(4, 7))  # 16 .. 64
  if rng.random() < 0.5:
    tokens.append(("Padding", 3))
  tokens += [("Conv2D", width), ("BatchNormalization", width), (act, width)]
  if rng.random() < 0.4:
    tokens.append(("MaxPooling2D", width))
  for stage in range(int(rng.integers(2, 6))):
    out = min(width * 2 if stage else width, 2048)
    for b in range(int(rng.integers(1, 5))):
      cin = width
      if block == "plain":
        tokens += [("Conv2D", out), ("BatchNormalization", out), (act, out)]
      elif block == "residual":
        tokens += [("Conv2D", out), ("BatchNormalization", out), (act, out),
                   ("Conv2D", out), ("BatchNormalization", out)]
        if b == 0 and cin != out:
          tokens += [("Conv2D", out), ("BatchNormalization", out)]
        tokens += [("Add", out), (act, out)]
      elif block == "bottleneck":
        mid = max(out // 4, 8)
        tokens += [("Conv2D", mid), ("BatchNormalization", mid), (act, mid),
                   ("Conv2D", mid), ("BatchNormalization", mid), (act, mid),
                   ("Conv2D", out), ("BatchNormalization", out)]
        if b == 0:
          tokens += [("Conv2D", out), ("BatchNormalization", out)]
        tokens += [("Add", out), (act, out)]
      elif block == "inverted":
        wide = cin * int(rng.choice([1, 4, 6]))
        tokens += [("Conv2D", wide), ("BatchNormalization", wide), (act, wide),
                   ("DepthwiseConv2D", wide), ("BatchNormalization", wide), (act, wide)]
        if squeeze:
          se = max(cin // 4, 8)
          tokens += [("GlobalPooling", wide), ("Reshape", wide), ("Conv2D", se), (act, se),
                     ("Conv2D", wide), ("Sigmoid", wide), ("Multiply", wide)]
        tokens += [("Conv2D", out), ("BatchNormalization", out)]
        if b > 0:
          if rng.random() < 0.5:
            tokens.append(("Dropout", out))
          tokens.append(("Add", out))
      else:  # separable (Xception-like)
        tokens += [(act, cin), ("SeparableConv2D", out), ("BatchNormalization", out),
                   (act, out), ("SeparableConv2D", out), ("BatchNormalization", out)]
        if b == 0:
          tokens += [("MaxPooling2D", out), ("Conv2D", out), ("BatchNormalization", out)]
        tokens.append(("Add", out))
      width = out
  if rng.random() < 0.5:
    head = min(width * 2, 2048)
    tokens += [("Conv2D", head), ("BatchNormalization", head), (act, head)]
    width = head
  tokens.append(("GlobalPooling", width))
  if rng.random() < 0.5:
    tokens.append(("Dropout", width))
  classes = int(rng.choice([10, 100, 1000]))
  tokens += [("Dense", classes), ("Softmax", classes), ("<end>", 0)]
  return tokens


def tokens_to_arrays(tokens: Sequence[Tuple[str, int]]) -> Tuple[np.ndarray, np.ndarray]:
  return (np.array([TYPE_INDEX[t] for t, _ in tokens], np.int64),
          np.array([c for _, c in tokens], np.int64))


# ------------------------------------------------------------------ dataset
def read_embedded(path: Optional[str] = None) -> Dict[str, Tuple[np.ndarray, np.ndarray]]:
  """``{architecture name: (type ids, channels)}`` from the shipped ``.npz``."""
  path = path or EMBEDDED_PATH
  if not os.path.exists(path):
    raise FileNotFoundError(
        f"architecture file not found: {path} (build it with "
        "python -m tfvae.data.build_architectures)")
  with np.load(path) as data:
    vocab = tuple(str(v) for v in data["vocabulary"])
    if vocab != LAYER_TYPES:
      raise ValueError(f"{path} was built with another vocabulary {vocab}; rebuild it")
    names = [str(n) for n in data["names"]]
    offsets, types, channels = data["offsets"], data["types"], data["channels"]
  return {n: (types[offsets[i]:offsets[i + 1]].astype(np.int64),
              channels[offsets[i]:offsets[i + 1]].astype(np.int64))
          for i, n in enumerate(names)}


@dataclasses.dataclass
class ArchitectureSplits(DatasetSplits):
  """``DatasetSplits`` of ``[N, max_length, num_types + 1]`` float32 sequences.

  ``sources`` names, per split, the architecture each window came from
  (``random/<i>`` for generated ones), so held-out disjointness can be checked.
  """
  max_length: int = 32
  type_names: Tuple[str, ...] = LAYER_TYPES
  sources: Optional[Dict[str, np.ndarray]] = None

  def model_arguments(self) -> Dict[str, object]:
    return {"num_types": len(self.type_names), "max_length": self.max_length,
            "type_names": tuple(self.type_names), "feature_log2_max": FEATURE_LOG2_MAX}

  def mask(self, split: str) -> np.ndarray:
    """``[N, max_length]`` bool: which steps of ``split`` are real layers."""
    return sequence_mask(self.split(split))

  def check_likelihood(self, likelihood: Optional[str]) -> None:
    """Features lie in [0, 1]: any of sigmoid / relu / gaussian fits; nothing else."""
    if likelihood not in (None, "sigmoid", "relu", "gaussian"):
      raise ValueError(
          f"dataset {self.name!r} holds (layer type, feature) sequences: the feature "
          f"likelihood must be 'sigmoid', 'relu' or 'gaussian', got {likelihood!r}")
    for split in ("train", "valid", "test"):
      check_finite(self.split(split), f"{self.name}/{split}")


@DATASETS.register("architectures")
def load_architectures(max_length: int = 32, train_stride: Optional[int] = None,
                       sources: Sequence[str] = ("applications", "random"),
                       num_random: int = 500, random_seed: int = 0,
                       valid_architectures: Sequence[str] = VALID_ARCHITECTURES,
                       test_architectures: Sequence[str] = TEST_ARCHITECTURES,
                       path: Optional[str] = None, **unused) -> ArchitectureSplits:
  """Windows of ``max_length`` layers from the sources (see the module docstring).

  ``applications``: every keras architecture not held out goes to train (windows every
  ``train_stride`` steps, default ``max_length // 2``); the held-out ones give valid and
  test (non-overlapping windows). ``random``: ``num_random`` generated architectures
  (seed ``random_seed``) join the training split; with ``random`` alone, 10 % of them
  become valid and 10 % test (whole architectures again).
  """
  del unused
  sources = tuple(sources)
  unknown = set(sources) - {"applications", "random"}
  if unknown or not sources:
    raise ValueError(f"sources must be a subset of ('applications', 'random'), got {sources}")
  if max_length < 2:
    raise ValueError(f"max_length must be >= 2, got {max_length}")
  stride = int(train_stride or max(max_length // 2, 1))
  seqs = {"train": [], "valid": [], "test": []}
  if "applications" in sources:
    archs = read_embedded(path)
    held = {"valid": tuple(valid_architectures), "test": tuple(test_architectures)}
    overlap = set(held["valid"]) & set(held["test"])
    missing = (set(held["valid"]) | set(held["test"])) - set(archs)
    if overlap or missing:
      raise ValueError(f"held-out architectures overlap {sorted(overlap)} or are unknown "
                       f"{sorted(missing)}; known: {sorted(archs)}")
    for name, arrays in sorted(archs.items()):
      split = next((s for s, names in held.items() if name in names), "train")
      seqs[split].append((name, arrays))
  if "random" in sources:
    rng = np.random.default_rng(random_seed)
    generated = [(f"random/{i}", tokens_to_arrays(random_architecture(rng)))
                 for i in range(int(num_random))]
    if "applications" in sources:
      seqs["train"] += generated
    else:
      k = max(len(generated) // 10, 1)
      seqs["valid"] += generated[:k]
      seqs["test"] += generated[k:2 * k]
      seqs["train"] += generated[2 * k:]
  arrays, names = {}, {}
  for split, items in seqs.items():
    step = stride if split == "train" else max_length
    parts = [windows(t, c, max_length, step) for _, (t, c) in items]
    arrays[split] = (np.concatenate(parts) if parts else
                     np.zeros([0, max_length, len(LAYER_TYPES) + 1], np.float32))
    names[split] = np.array([n for (n, _), p in zip(items, parts) for _ in range(len(p))])
    if not len(arrays[split]):
      raise ValueError(f"architectures split {split!r} is empty with sources {sources}")
  return ArchitectureSplits(
      name="architectures", kind="real", image_shape=(max_length, len(LAYER_TYPES) + 1, 1),
      max_length=max_length, sources=names, **arrays)
