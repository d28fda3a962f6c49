"""tfvae-sample: draw samples from a trained workdir and write them as a PNG.

  tfvae-sample --workdir=runs/vae --num_samples=64 --seed=3 --output=samples.png
  tfvae-sample --workdir=runs/vrnn_sheep --temperature=0.5   # sequence models only

Models that describe their samples in words (``describe_samples``) also print them.
"""
import os

from absl import app
from absl import flags

from tfvae.cli.common import quiet_tensorflow, run_app

_WORKDIR = flags.DEFINE_string("workdir", None, "Training workdir (has config.json).")
_NUM = flags.DEFINE_integer("num_samples", 64, "How many samples.", lower_bound=1)
_SEED = flags.DEFINE_integer("seed", 0, "Sampling seed (same seed, same samples).")
_OUTPUT = flags.DEFINE_string("output", None, "PNG path (default <workdir>/samples.png).")
_CHECKPOINT = flags.DEFINE_string("checkpoint", None, "Checkpoint path (default: latest), "
                                  "or 'best': the best-validation one of early stopping.")
_TEMPERATURE = flags.DEFINE_float("temperature", 1.0, "Sequence models: each step's output "
                                  "draw at this temperature (1: the model's distribution; "
                                  "< 1 sharper, as sketch-rnn samples).")
flags.register_validator("temperature", lambda t: t > 0, message="--temperature must be > 0")
flags.mark_flags_as_required(["workdir"])


def _check_sequence_model(workdir: str) -> None:
  """``--temperature`` needs a sequence model: refused from the run's config alone."""
  from tfvae.models.recurrent.sequence_model import SequenceModel  # pylint: disable=g-import-not-at-top
  from tfvae.registry import MODELS  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import load_config  # pylint: disable=g-import-not-at-top
  family = MODELS.get(load_config(workdir).model.name)
  if not issubclass(family, SequenceModel):
    raise app.UsageError(f"--temperature applies to sequence models only, not "
                         f"{family.__name__}")


def main(argv):
  del argv
  if _NUM.value < 1:
    raise app.UsageError(f"--num_samples must be >= 1, got {_NUM.value}")
  quiet_tensorflow()
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import restore_for_inference  # pylint: disable=g-import-not-at-top
  tempered = {}
  if _TEMPERATURE.value != 1.0:
    _check_sequence_model(_WORKDIR.value)  # before the restore
    tempered = {"temperature": _TEMPERATURE.value}
  _, splits, model, _ = restore_for_inference(_WORKDIR.value, _CHECKPOINT.value)
  output = _OUTPUT.value or os.path.join(_WORKDIR.value, "samples.png")
  path = model.write_samples_png(output, _SEED.value,
                                 image_shape=getattr(splits, "image_shape", None),
                                 num_samples=_NUM.value, **tempered)
  lines = model.describe_samples(model.sample(_NUM.value,
                                             tf.constant([_SEED.value, 0], tf.int32),
                                             **tempered))
  for i, line in enumerate(lines or ()):
    print(f"{i:3d}: {line}")
  print(f"wrote {path}")


def run():
  run_app(main, __name__)


if __name__ == "__main__":
  run()
