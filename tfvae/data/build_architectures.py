"""Builds ``assets/keras_architectures.npz`` from the models in ``keras.applications``.

  python -m tfvae.data.build_architectures [--output PATH]

Run once (a few minutes on CPU: every model is instantiated with ``weights=None``, read
with ``architectures.model_tokens`` and dropped). The file holds, for every model, the
vocabulary type id and output channel count of each layer step (``<end>`` last) as
flat ``types`` / ``channels`` arrays cut by ``offsets``, plus ``names``, ``vocabulary``
and the Keras version it was read from.
"""
import argparse
import gc
import time

import numpy as np

from tfvae.data import architectures


def application_names():
  import keras  # pylint: disable=g-import-not-at-top
  return sorted(n for n in dir(keras.applications)
                if n[:1].isupper() and callable(getattr(keras.applications, n)))


def read_application(name):
  import keras  # pylint: disable=g-import-not-at-top
  model = getattr(keras.applications, name)(weights=None)
  tokens = architectures.model_tokens(model)
  del model
  keras.backend.clear_session()
  gc.collect()
  return tokens


def main():
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--output", default=architectures.EMBEDDED_PATH)
  args = parser.parse_args()
  import keras  # pylint: disable=g-import-not-at-top
  names, types, channels, offsets = [], [], [], [0]
  for name in application_names():
    start = time.time()
    t, c = architectures.tokens_to_arrays(read_application(name))
    names.append(name)
    types.append(t)
    channels.append(c)
    offsets.append(offsets[-1] + len(t))
    print(f"{name}: {len(t)} steps ({time.time() - start:.1f} s)", flush=True)
  np.savez_compressed(
      args.output, names=np.array(names), offsets=np.array(offsets, np.int64),
      types=np.concatenate(types).astype(np.uint8),
      channels=np.concatenate(channels).astype(np.uint16),
      vocabulary=np.array(architectures.LAYER_TYPES), keras_version=keras.__version__)
  print(f"wrote {args.output}: {len(names)} architectures, {offsets[-1]} steps")


if __name__ == "__main__":
  main()
