"""tfvae-export: write a trained workdir's sampler as a SavedModel for TF Serving.

  tfvae-export --workdir=runs/vae --base_dir=saved_models --name=vae_binarized_mnist

Writes ``<base_dir>/<name>/<version>/`` (next free version unless --version). Requests are
bounded by ``config.export.max_*`` of the workdir's config (``tfvae.export.limits``).
"""
import os

from absl import app
from absl import flags

from tfvae.cli.common import quiet_tensorflow, run_app

_WORKDIR = flags.DEFINE_string("workdir", None, "Training workdir (has config.json).")
_BASE = flags.DEFINE_string("base_dir", None, "Export root (default config.export.base_dir, "
                            "or <workdir>/export when that is empty).")
_NAME = flags.DEFINE_string("name", None, "Model name (default config.export.name).")
_VERSION = flags.DEFINE_integer("version", None, "Version number (default: next free).",
                                lower_bound=1)
flags.mark_flags_as_required(["workdir"])


def main(argv):
  del argv
  quiet_tensorflow()
  from tfvae.export.limits import serving_limits  # pylint: disable=g-import-not-at-top
  from tfvae.export.sampler import export_sampler  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import restore_for_inference  # pylint: disable=g-import-not-at-top
  from tfvae.export.versions import checkpoint_origin, export_base  # pylint: disable=g-import-not-at-top
  from tfvae.training.checkpoints import checkpoint_dir  # pylint: disable=g-import-not-at-top
  config, _, model, epoch = restore_for_inference(_WORKDIR.value)
  origin = checkpoint_origin(_WORKDIR.value,
                             os.path.join(checkpoint_dir(_WORKDIR.value), f"ckpt-{epoch}"))
  path = export_sampler(model, _BASE.value or export_base(config.export, _WORKDIR.value),
                        _NAME.value or config.export.name, _VERSION.value, origin=origin,
                        limits=serving_limits(config.export, model))
  print(f"exported epoch-{epoch} sampler to {path}")
  print("signatures: " + ", ".join(model.serving_endpoints()))


def run():
  run_app(main, __name__)


if __name__ == "__main__":
  run()
