"""tfvae-evaluate: test ELBO and importance-weighted NLL of a trained workdir.

  tfvae-evaluate --workdir=runs/vae --iwae_samples=5000

Prints the figures and writes them as JSON (default ``<workdir>/eval_<split>.json``),
with the per-example log-likelihoods beside it (``<json>.per_example.npy``).
"""
import os

from absl import app
from absl import flags

from tfvae.cli.common import quiet_tensorflow, run_app

_WORKDIR = flags.DEFINE_string("workdir", None, "Training workdir (has config.json).")
_SPLIT = flags.DEFINE_enum("split", "test", ["train", "valid", "test"], "Split.")
_K = flags.DEFINE_integer("iwae_samples", None, "k of the IWAE bound (default: config.eval).",
                          lower_bound=1)
_CHUNK = flags.DEFINE_integer("chunk_size", None, "Samples per chunk (memory/speed).",
                              lower_bound=1)
_BATCH = flags.DEFINE_integer("batch_size", None, "Images per IWAE batch.", lower_bound=1)
_LIMIT = flags.DEFINE_integer("max_examples", 0, "Evaluate only N examples (0 = all): the "
                              "first N, or N evenly spaced with --spaced.", lower_bound=0)
_SPACED = flags.DEFINE_bool("spaced", False, "With --max_examples: N evenly spaced examples "
                            "(every class of a sorted split) instead of the first N.")
_OUTPUT = flags.DEFINE_string("output", None, "JSON path (default in workdir).")
_CHECKPOINT = flags.DEFINE_string("checkpoint", None, "Checkpoint path (default: latest), "
                                  "or 'best': the best-validation checkpoint that early "
                                  "stopping kept (train.early_stopping_patience > 0).")
flags.mark_flags_as_required(["workdir"])


def main(argv):
  del argv
  quiet_tensorflow()
  from tfvae.evaluation.run_evaluation import evaluate_run, write_json  # pylint: disable=g-import-not-at-top
  if _K.value is not None and _K.value < 1:
    raise app.UsageError(f"--iwae_samples must be >= 1, got {_K.value}")
  result = evaluate_run(_WORKDIR.value, split=_SPLIT.value, iwae_samples=_K.value,
                        chunk_size=_CHUNK.value, batch_size=_BATCH.value,
                        max_examples=_LIMIT.value, checkpoint=_CHECKPOINT.value,
                        spaced=_SPACED.value)
  output = _OUTPUT.value or os.path.join(_WORKDIR.value, f"eval_{_SPLIT.value}.json")
  print(f"wrote {write_json(result, output)}")


def run():
  run_app(main, __name__)


if __name__ == "__main__":
  run()
