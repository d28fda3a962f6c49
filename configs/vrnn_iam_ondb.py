"""VRNN on IAM-OnDB handwriting (VRNN report section 3.2; after Graves 2013).

The data is registration-only: give the folder that holds ``lineStrokes/`` and, for the
official task's splits, the folder of its four lists (trainset, testset_v, testset_t,
testset_f; docs/data.md says where each goes and how to change it):

  tfvae-train --config=configs/vrnn_iam_ondb.py --workdir=runs/vrnn_iam_ondb \
      --config.dataset.path=<dir holding lineStrokes/> \
      --config.dataset.split_dir=<dir holding trainset.txt ...>
  tfvae-evaluate --workdir=runs/vrnn_iam_ondb --iwae_samples=50
  tfvae-sample --workdir=runs/vrnn_iam_ondb --num_samples=8      # works without the data

Every setting of the loader is a key here, so the command line can change it:
``max_length`` and ``long`` (lines are cut at 500 steps, or dropped with ``long=drop``),
``clip`` (each dx, dy is clipped to +-300 tablet units; pen-up jumps between words are
the steps it changes), ``split_files.{train,valid,test}`` (your own id lists),
``split_map.<official list>`` (train, valid, test or none), ``valid_fraction`` /
``test_fraction`` (hash splits when no list is given) and ``cache_dir`` (parsed-file
cache; '' = ~/.cache/tfvae, 'none' = off). The trainer logs how many lines were cut and
steps clipped, and keeps it in <workdir>/data.json with the normalisation.
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "vrnn_sheep")
  config.dataset = dict(
      name="iam_ondb", path="", max_length=500, long="truncate", clip=300.0,
      normalize="standard", split_dir="", split_files=dict(train="", valid="", test=""),
      split_map=dict(trainset="train", testset_v="valid", testset_t="valid",
                     testset_f="test"),
      valid_fraction=0.05, test_fraction=0.05, cache_dir="")
  config.export.name = "vrnn_iam_ondb"
  config.export.max_length = 4 * config.dataset.max_length
  return config
