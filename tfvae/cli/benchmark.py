"""tfvae-benchmark: measured speed of a config's train step under speed levers.

  tfvae-benchmark --config=configs/vae_binarized_mnist.py --variants=all \
      --output=docs/throughput_vae.json

Prints a table of examples/s and the ratio to the plain tf.function baseline measured in
the same process, and writes the same figures (plus versions and machine) as JSON.
"""
import json
import os
import platform

from absl import app
from absl import flags
from ml_collections import config_flags

from tfvae.cli.common import check_config_overrides, quiet_tensorflow

_CONFIG = config_flags.DEFINE_config_file("config", None, "ml_collections config file.",
                                          lock_config=True)
_VARIANTS = flags.DEFINE_list("variants", ["all"], "Variants (see throughput.VARIANTS).")
_STEPS = flags.DEFINE_integer("steps_per_window", 200, "Training steps per timed window.")
_WINDOWS = flags.DEFINE_integer("windows", 5, "Timed windows after the warm-up window.")
_OUTPUT = flags.DEFINE_string("output", None, "JSON path for the results.")
flags.mark_flags_as_required(["config"])


def main(argv):
  del argv
  quiet_tensorflow()
  import sys  # pylint: disable=g-import-not-at-top
  import keras  # pylint: disable=g-import-not-at-top
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  import tensorflow_probability as tfp  # pylint: disable=g-import-not-at-top
  from tfvae.benchmarks import throughput  # pylint: disable=g-import-not-at-top
  names = list(throughput.VARIANTS) if _VARIANTS.value == ["all"] else _VARIANTS.value
  unknown = [n for n in names if n not in throughput.VARIANTS]
  if unknown:
    raise app.UsageError(f"unknown variants {unknown}; known: {list(throughput.VARIANTS)}")
  config = _CONFIG.value
  rows = []
  for name in names:
    m = throughput.measure(config, name, _STEPS.value, _WINDOWS.value)
    rows.append(m)
    print(f"{name:24s} {m.examples_per_sec:10.0f} examples/s   "
          f"(compile+warm-up {m.compile_seconds:.1f}s)", flush=True)
  base = next((r for r in rows if r.variant == "baseline_tf_function"), rows[0])
  print(f"\nratios vs {base.variant}:")
  for r in rows:
    print(f"  {r.variant:24s} x{r.examples_per_sec / base.examples_per_sec:.2f}")
  result = {
      "config": config.to_dict(), "command": " ".join(sys.argv),
      "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                  "processor": platform.processor()},
      "versions": {"tensorflow": tf.__version__, "keras": keras.__version__,
                   "tfp": tfp.__version__},
      "baseline": base.variant,
      "results": [dict(r.__dict__, ratio=r.examples_per_sec / base.examples_per_sec)
                  for r in rows],
  }
  if _OUTPUT.value:
    os.makedirs(os.path.dirname(os.path.abspath(_OUTPUT.value)), exist_ok=True)
    with open(_OUTPUT.value + ".tmp", "w") as f:
      json.dump(result, f, indent=2)
    os.replace(_OUTPUT.value + ".tmp", _OUTPUT.value)
    print(f"wrote {_OUTPUT.value}")


def run():
  import sys  # pylint: disable=g-import-not-at-top
  check_config_overrides(sys.argv)
  app.run(main)


if __name__ == "__main__":
  run()
