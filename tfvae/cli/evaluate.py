"""tfvae-evaluate: the figures of a trained workdir, and paired comparisons of two.

  tfvae-evaluate --workdir=runs/vae --iwae_samples=5000
  tfvae-evaluate --workdir=runs/vae --max_examples=2000      # 2,000 evenly spaced images
  tfvae-evaluate --workdir=runs/dvae --log_z_method=ais --log_z_temperatures=2000
  tfvae-evaluate --workdir=runs/cp_vae --cluster_accuracy
  tfvae-evaluate --workdir=runs/cp_vae --relaxed_c=0.5,1 --checkpoint=best
  tfvae-evaluate --workdir=runs/toy/cp_c2,runs/toy/vae --toy_1d --toy_figure=figure3.png
  tfvae-evaluate --compare=runs/iaf/eval_test.json,runs/vae/eval_test.json

With ``--workdir`` alone: the test ELBO and the importance-weighted NLL (Burda et al.
2016), as JSON (default ``<workdir>/eval_<split>.json``) with the per-example
log-likelihoods beside it (``<json>.per_example.npy``). A Discrete VAE (a model that
normalises its bound with an estimated log Z) is evaluated as IWAE minus log Z, with the
ELBO from the same importance weights (``tfvae.evaluation.dvae_likelihood``; default
``<workdir>/dvae_ll_<split>.json``); ``--log_z_*`` override its ``config.eval.log_z``.

Other modes, instead of the likelihood:

* ``--cluster_accuracy``: unsupervised cluster accuracy of a model with categories
  (mapping fitted on the validation split), the per-category grid PNG and the
  per-example categories (default ``<workdir>/eval_clusters.json``);
* ``--toy_1d``: the 1-D toy's figures 3-4 and metrics (CP-VAE paper, sec. 5.1) into
  ``<workdir>/toy/``, for one or several comma-separated workdirs (``--toy_figure``
  stacks their histograms);
* ``--relaxed_c=T1,T2``: a CP-VAE's one-sample test ELBO with the hard c of our bound
  and with the relaxed c (Gumbel-softmax at each temperature) that the CP-VAE authors'
  code scores the test split with, paired on the same z
  (``tfvae.evaluation.relaxed_c``; default ``<workdir>/eval_relaxed_c_<split>.json``);
* ``--compare=A.json,B.json``: the paired difference of two evaluations of the same
  examples (``tfvae.evaluation.paired_difference``); no workdir.
"""
import json
import os

from absl import app
from absl import flags

from tfvae.cli.common import quiet_tensorflow, run_app

_WORKDIR = flags.DEFINE_string("workdir", None, "Training workdir (has config.json); "
                               "with --toy_1d a comma-separated list.")
_SPLIT = flags.DEFINE_enum("split", "test", ["train", "valid", "test"], "Split.")
_K = flags.DEFINE_integer("iwae_samples", None, "k of the IWAE bound (default: config.eval).",
                          lower_bound=1)
_CHUNK = flags.DEFINE_integer("chunk_size", None, "Samples per chunk (memory/speed).",
                              lower_bound=1)
_BATCH = flags.DEFINE_integer("batch_size", None, "Images per IWAE batch.", lower_bound=1)
_LIMIT = flags.DEFINE_integer("max_examples", 0, "Evaluate only N examples, evenly spaced "
                              "over the split (every class of a sorted split); 0 = all.",
                              lower_bound=0)
_SUBSET = flags.DEFINE_enum("subset", "spaced", ["spaced", "first"], "Which --max_examples "
                            "examples: evenly spaced, or the first N (a prefix: of the "
                            "label-sorted binarized MNIST test split, only the first "
                            "digits).")
_OUTPUT = flags.DEFINE_string("output", None, "JSON path (default in workdir; with "
                              "--compare none is written unless given).")
_CHECKPOINT = flags.DEFINE_string("checkpoint", None, "Checkpoint path (default: latest), "
                                  "or 'best': the best-validation checkpoint that early "
                                  "stopping kept (train.early_stopping_patience > 0).")
# The Discrete VAE's log Z (kwargs of DiscreteVAE.estimate_log_partition).
_LOG_Z_METHOD = flags.DEFINE_enum(
    "log_z_method", None, ["exact", "auto", "ais", "parallel_tempering"],
    "Discrete VAE: how log Z is estimated (default: config.eval.log_z; another method "
    "starts from its own defaults).")
_LOG_Z_TEMPERATURES = flags.DEFINE_integer(
    "log_z_temperatures", None, "Discrete VAE: temperatures of AIS or parallel tempering "
    "(default: config.eval.log_z).", lower_bound=1)
_LOG_Z_CHAINS = flags.DEFINE_integer("log_z_chains", None, "Discrete VAE: AIS chains "
                                     "(default: config.eval.log_z).", lower_bound=1)
_LOG_Z_SWEEPS = flags.DEFINE_integer("log_z_sweeps", None, "Discrete VAE: parallel "
                                     "tempering sweeps (default: config.eval.log_z).",
                                     lower_bound=1)
_LOG_Z_RUNS = flags.DEFINE_integer("log_z_runs", None, "Discrete VAE: independent parallel "
                                   "tempering runs (default: config.eval.log_z).",
                                   lower_bound=2)
_SAMPLE_TEMPERATURES = flags.DEFINE_list(
    "sample_temperatures", None, "Pen-output models: also the pen-lift rate of prior "
    "samples drawn at these temperatures (e.g. 0.5,0.8; the rate at 1 is always given).")


def _positive_numbers(values) -> bool:
  try:
    return all(float(v) > 0 for v in values or ())
  except ValueError:
    return False


flags.register_validator("sample_temperatures", _positive_numbers,
                         message="--sample_temperatures must be numbers > 0")
_CLUSTERS = flags.DEFINE_bool("cluster_accuracy", False, "Instead of the likelihood: the "
                              "cluster accuracy of a model with categories (JSON default "
                              "<workdir>/eval_clusters.json).")
_GRID = flags.DEFINE_string("category_grid", None, "With --cluster_accuracy: PNG of the "
                            "per-category generations (default <workdir>/categories.png).")
_TOY = flags.DEFINE_bool("toy_1d", False, "Instead of the likelihood: the 1-D toy's "
                         "figures 3-4 and metrics, into <workdir>/toy/ (toy_report.json).")
_TOY_SAMPLES = flags.DEFINE_integer("toy_samples", 50000, "With --toy_1d: generations per "
                                    "histogram.", lower_bound=1)
_TOY_SEED = flags.DEFINE_integer("toy_seed", 0, "With --toy_1d: generation seed.")
_TOY_FIGURE = flags.DEFINE_string("toy_figure", None, "With --toy_1d: PNG of the workdirs' "
                                  "histograms stacked in the given order (figure 3).")
_COMPARE = flags.DEFINE_list("compare", None, "A.json,B.json: paired difference of the "
                             "log-likelihoods of two evaluations of the same examples "
                             "(tfvae-evaluate or tfvae-benchmark JSONs, with their "
                             ".per_example.npy); no --workdir.")
_RELAXED_C = flags.DEFINE_list("relaxed_c", None, "CP-VAE, instead of the likelihood: "
                               "the one-sample ELBO with a relaxed c at these Gumbel-softmax "
                               "temperatures (the authors' test estimator) beside the hard "
                               "c of our bound, paired.")

_LIKELIHOOD_FLAGS = ("split", "iwae_samples", "chunk_size", "batch_size", "max_examples",
                     "subset", "sample_temperatures")
_LOG_Z_FLAGS = ("log_z_method", "log_z_temperatures", "log_z_chains", "log_z_sweeps",
                "log_z_runs")
_CLUSTER_FLAGS = ("category_grid",)
_TOY_FLAGS = ("toy_samples", "toy_seed", "toy_figure")


def _refuse(mode: str, names) -> None:
  """A flag that ``mode`` would ignore is a usage error, not silently dropped."""
  given = [f"--{name}" for name in names if flags.FLAGS[name].present]
  if given:
    verb = "does" if len(given) == 1 else "do"
    raise app.UsageError(f"{', '.join(given)} {verb} not apply to {mode}")


def _write_json(result: dict, path: str) -> str:
  with open(path + ".tmp", "w") as f:
    json.dump(result, f, indent=2)
  os.replace(path + ".tmp", path)
  return path


def _compare():
  from tfvae.evaluation.paired_difference import compare_files  # pylint: disable=g-import-not-at-top
  _refuse("--compare", ("workdir", "checkpoint", "cluster_accuracy", "toy_1d", "relaxed_c")
          + _LIKELIHOOD_FLAGS + _LOG_Z_FLAGS + _CLUSTER_FLAGS + _TOY_FLAGS)
  if len(_COMPARE.value) != 2:
    raise app.UsageError(f"--compare takes two JSON paths, A.json,B.json; got "
                         f"{len(_COMPARE.value)}")
  result = compare_files(*_COMPARE.value)
  print(f"log-likelihood a - b = {result['difference']:+.3f} ± {result['stderr']:.3f} nats "
        f"(paired over {result['examples']} examples, z = {result['z_score']:.1f}; "
        f"unpaired error would be ± {result['stderr_unpaired']:.3f}; "
        f"a better on {100 * result['share_a_better']:.1f} % of examples, "
        f"correlation {result['correlation']:.3f})")
  if _OUTPUT.value:
    print(f"wrote {_write_json(result, _OUTPUT.value)}")


def _cluster_accuracy(workdir: str):
  from tfvae.evaluation.cluster_accuracy import evaluate_workdir  # pylint: disable=g-import-not-at-top
  grid = _GRID.value or os.path.join(workdir, "categories.png")
  result = evaluate_workdir(workdir, grid, checkpoint=_CHECKPOINT.value)
  path = _write_json(result, _OUTPUT.value or os.path.join(workdir, "eval_clusters.json"))
  print(json.dumps({k: v for k, v in result.items()
                    if k not in ("aggregated_posterior", "per_example")}, indent=2))
  print(f"wrote {path}")


def _toy_1d(workdirs):
  import keras  # pylint: disable=g-import-not-at-top
  from tfvae.evaluation.toy_1d import evaluate_workdir  # pylint: disable=g-import-not-at-top
  from tfvae.images import write_png  # pylint: disable=g-import-not-at-top
  from tfvae.models.learned_priors.toy_figures import stacked_histograms  # pylint: disable=g-import-not-at-top
  images = []
  for workdir in workdirs:
    if images:
      keras.backend.clear_session()  # checkpoint keys hold per-session layer names
    report = evaluate_workdir(workdir, _TOY_SAMPLES.value, _TOY_SEED.value,
                              checkpoint=_CHECKPOINT.value)
    images.append(report.pop("histogram_image"))
    _write_json(report, os.path.join(workdir, "toy", "toy_report.json"))
    print(json.dumps(report, indent=2))
  if _TOY_FIGURE.value:
    print(f"wrote {write_png(_TOY_FIGURE.value, stacked_histograms(images))}")


def _relaxed_c(workdir: str):
  from tfvae.evaluation.relaxed_c import evaluate_relaxed_c  # pylint: disable=g-import-not-at-top
  try:
    temperatures = [float(t) for t in _RELAXED_C.value]
  except ValueError:
    raise app.UsageError(f"--relaxed_c takes temperatures, got {_RELAXED_C.value}") from None
  if not temperatures or min(temperatures) <= 0:
    raise app.UsageError(f"--relaxed_c temperatures must be > 0, got {_RELAXED_C.value}")
  result = evaluate_relaxed_c(workdir, temperatures, split=_SPLIT.value,
                              checkpoint=_CHECKPOINT.value)
  output = _OUTPUT.value or os.path.join(workdir, f"eval_relaxed_c_{_SPLIT.value}.json")
  print(f"wrote {_write_json(result, output)}")


def _likelihood(workdir: str):
  from tfvae.evaluation import dvae_likelihood  # pylint: disable=g-import-not-at-top
  from tfvae.evaluation.run_evaluation import evaluate_run, write_json  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import load_config  # pylint: disable=g-import-not-at-top
  split = _SPLIT.value
  config = load_config(workdir)
  if dvae_likelihood.estimates_log_partition(config):
    _refuse("a Discrete VAE (no pen output)", ("sample_temperatures",))
    if _SUBSET.value == "first":
      raise app.UsageError("--subset=first: a Discrete VAE is evaluated on evenly spaced "
                           "examples only")
    try:
      log_z = dvae_likelihood.log_z_settings(
          config.eval.get("log_z", {}) or {}, _LOG_Z_METHOD.value,
          num_temperatures=_LOG_Z_TEMPERATURES.value, num_chains=_LOG_Z_CHAINS.value,
          num_sweeps=_LOG_Z_SWEEPS.value, num_runs=_LOG_Z_RUNS.value)
    except ValueError as e:
      raise app.UsageError(str(e)) from None
    result = dvae_likelihood.evaluate_dvae_run(
        workdir, split=split, iwae_samples=_K.value, chunk_size=_CHUNK.value,
        batch_size=_BATCH.value, max_examples=_LIMIT.value, checkpoint=_CHECKPOINT.value,
        log_z=log_z)
    output = _OUTPUT.value or os.path.join(workdir, f"dvae_ll_{split}.json")
  else:
    _refuse(f"model {config.model.name!r} (no log Z to estimate)", _LOG_Z_FLAGS)
    result = evaluate_run(workdir, split=split, iwae_samples=_K.value,
                          chunk_size=_CHUNK.value, batch_size=_BATCH.value,
                          max_examples=_LIMIT.value, checkpoint=_CHECKPOINT.value,
                          spaced=_SUBSET.value == "spaced",
                          sample_temperatures=[float(t)
                                               for t in _SAMPLE_TEMPERATURES.value or ()])
    output = _OUTPUT.value or os.path.join(workdir, f"eval_{split}.json")
  print(f"wrote {write_json(result, output)}")


def main(argv):
  del argv
  if _COMPARE.value is not None:
    return _compare()  # JSON files only: no TensorFlow
  if not _WORKDIR.value:
    raise app.UsageError("--workdir is required (or --compare=A.json,B.json)")
  if sum(bool(v) for v in (_CLUSTERS.value, _TOY.value, _RELAXED_C.value)) > 1:
    raise app.UsageError("--cluster_accuracy, --toy_1d and --relaxed_c are separate runs")
  # Flags the chosen mode would ignore are refused before TensorFlow loads.
  if _TOY.value:
    _refuse("--toy_1d", _LIKELIHOOD_FLAGS + _LOG_Z_FLAGS + _CLUSTER_FLAGS + ("output",))
  elif _CLUSTERS.value:
    _refuse("--cluster_accuracy", _LIKELIHOOD_FLAGS + _LOG_Z_FLAGS + _TOY_FLAGS)
  elif _RELAXED_C.value:
    _refuse("--relaxed_c", tuple(f for f in _LIKELIHOOD_FLAGS if f != "split")
            + _LOG_Z_FLAGS + _CLUSTER_FLAGS + _TOY_FLAGS)
  else:
    _refuse("the likelihood (no --cluster_accuracy or --toy_1d)",
            _CLUSTER_FLAGS + _TOY_FLAGS)
  quiet_tensorflow()
  if _TOY.value:
    return _toy_1d([w for w in _WORKDIR.value.split(",") if w])
  if _CLUSTERS.value:
    return _cluster_accuracy(_WORKDIR.value)
  if _RELAXED_C.value:
    return _relaxed_c(_WORKDIR.value)
  return _likelihood(_WORKDIR.value)


def run():
  run_app(main, __name__)


if __name__ == "__main__":
  run()
