"""The named benchmark suites of ``tfvae-benchmark --suite=...``: which configs, what budget.

An entry is a config file of ``configs/`` plus overrides (dotted keys) that fix its
training budget and evaluation. ``quick`` trains every family for a few hundred steps
(minutes in all: a smoke-level regression check of loss, speed and memory, not a result);
``full`` uses each config's own training budget and IWAE k = 5000 on the whole test set.
``{shared}`` in an override is replaced by the shared-data folder (``--shared_data``).
"""
import dataclasses
from typing import Dict, List


@dataclasses.dataclass(frozen=True)
class Entry:
  """One benchmarked config: ``overrides`` fix the budget; k / examples fix evaluation."""
  name: str
  config: str
  overrides: Dict[str, object] = dataclasses.field(default_factory=dict)
  iwae_samples: int = 100
  eval_examples: int = 1000  # 0 = the whole test split
  eval_spaced: bool = True  # eval_examples evenly spaced (False: the first ones)
  paired_with: str = ""  # entry of the same suite: paired NLL difference on the same examples
  speed_steps: int = 50  # steps per timed window of the speed comparison (0 = skip)
  speed_overrides: Dict[str, object] = dataclasses.field(default_factory=dict)
  flops_batch: int = 0  # MLP VAEs: also report FLOP/s at this batch vs the matmul peak
  report_terms: tuple = ()  # extra test loss terms shown in the markdown table
  # "suite:entry" whose finished workdir is copied in first, so training resumes from
  # its last checkpoint (the row's budget then counts both runs; see run_entry).
  continue_from: str = ""
  # "best": evaluate the best-validation checkpoint that early stopping kept (else latest)
  eval_checkpoint: str = ""


_MNIST_IDX = {"dataset.idx_dir": "{shared}/mnist"}
# quick: 3 short epochs (the first compiles; the median of the other two is the speed)
_SHORT = {"train.epochs": 3, "train.steps_per_epoch": 100, "train.sample_every": 0,
          "train.validation_every": 3, "export.enabled": False, "train.verbose": 0}
_SHORT_SEQ = dict(_SHORT, **{"train.steps_per_epoch": 20})
_EVAL_SEQ = {"eval.chunk_size": 20}


def _quick(name, config, extra=None, **kwargs):
  return Entry(name, config, dict(_SHORT, **(extra or {})), **kwargs)


# Speed windows of at least ~1 s for the fast MLP models (shorter ones are noise).
QUICK: List[Entry] = [
    _quick("vae_diag", "configs/vae_binarized_mnist.py", flops_batch=256, speed_steps=500),
    _quick("vae_full_cov", "configs/vae_fullcov_binarized_mnist.py", speed_steps=300),
    _quick("vae_planar10", "configs/vae_planar10_binarized_mnist.py", speed_steps=300),
    _quick("vae_iaf", "configs/vae_iaf_binarized_mnist.py", speed_steps=300),
    _quick("sequence_vae", "configs/sequence_vae_architectures.py",
           dict(_SHORT_SEQ, **{"eval.chunk_size": 50}), iwae_samples=50, eval_examples=256,
           speed_steps=20),
    _quick("vrnn", "configs/vrnn_seq_mnist.py", dict(_SHORT_SEQ, **_EVAL_SEQ),
           iwae_samples=20, eval_examples=200, speed_steps=10),
    _quick("lstm_baseline", "configs/lstm_seq_mnist.py", dict(_SHORT_SEQ, **_EVAL_SEQ),
           iwae_samples=1, eval_examples=200, speed_steps=10),
    _quick("gmvrnn_gumbel", "configs/gmvrnn_gumbel_seq_mnist.py",
           dict(_SHORT_SEQ, **_EVAL_SEQ), iwae_samples=20, eval_examples=200, speed_steps=10),
    _quick("gmvrnn_variational", "configs/gmvrnn_variational_seq_mnist.py",
           dict(_SHORT_SEQ, **_EVAL_SEQ), iwae_samples=20, eval_examples=200, speed_steps=10),
    _quick("dvae", "configs/dvae_binarized_mnist.py",
           {"train.steps_per_epoch": 50, "eval.batch_size": 100,
            "eval.log_z": {"method": "ais", "num_chains": 100, "num_temperatures": 1000}},
           iwae_samples=100, eval_examples=500, speed_steps=20),
    _quick("cp_vae_c10", "configs/cp_vae_c10_mnist.py", _MNIST_IDX, speed_steps=100),
    _quick("vamp_prior_c10", "configs/vp_c10_mnist.py", _MNIST_IDX, speed_steps=100),
    # The VampPrior speed target (SPEED_TARGETS) is for 500 pseudo-inputs.
    _quick("vamp_prior_500", "configs/vp_c10_mnist.py",
           dict(_MNIST_IDX, **{"model.num_pseudo_inputs": 500}), speed_steps=100),
    _quick("hvae", "configs/hvae_mnist.py", _MNIST_IDX, speed_steps=100),
    _quick("gauss_vae_t1a", "configs/gauss_vae_mnist_t1a.py", speed_steps=200),
    _quick("cat_vae_t05", "configs/cat_vae_t05_mnist.py", iwae_samples=1),
    _quick("cg_bpef_t05", "configs/cg_bpef_t05_mnist.py", iwae_samples=1),
]

# full: the configs' own budgets; IWAE k = 5000 over the whole test split where the
# model's bound is an importance-sampling one.
_FULL_EVAL = dict(iwae_samples=5000, eval_examples=0, speed_steps=100)
FULL: List[Entry] = [
    Entry("vae_diag", "configs/vae_binarized_mnist.py", flops_batch=256, **_FULL_EVAL),
    Entry("vae_warmup", "configs/vae_warmup_binarized_mnist.py", **_FULL_EVAL),
    Entry("vae_full_cov", "configs/vae_fullcov_binarized_mnist.py", **_FULL_EVAL),
    Entry("vae_planar10", "configs/vae_planar10_binarized_mnist.py", **_FULL_EVAL),
    Entry("vae_planar80", "configs/vae_planar80_binarized_mnist.py", **_FULL_EVAL),
    Entry("vae_iaf", "configs/vae_iaf_binarized_mnist.py", **_FULL_EVAL),
    Entry("vrnn", "configs/vrnn_seq_mnist.py", iwae_samples=100, eval_examples=0,
          speed_steps=20),
    Entry("lstm_baseline", "configs/lstm_seq_mnist.py", iwae_samples=1, eval_examples=0,
          speed_steps=20),
    Entry("dvae", "configs/dvae_binarized_mnist.py", iwae_samples=5000, eval_examples=0,
          speed_steps=20),
    Entry("dvae_no_rbm", "configs/dvae_binarized_mnist_no_rbm.py", iwae_samples=5000,
          eval_examples=0, speed_steps=20),
    Entry("cp_vae_c10", "configs/cp_vae_c10_mnist.py", _MNIST_IDX, **_FULL_EVAL),
    Entry("vamp_prior_c10", "configs/vp_c10_mnist.py", _MNIST_IDX, **_FULL_EVAL),
    Entry("hvae", "configs/hvae_mnist.py", _MNIST_IDX, **_FULL_EVAL),
    Entry("gauss_vae_t1a", "configs/gauss_vae_mnist_t1a.py", iwae_samples=1,
          eval_examples=0),
    Entry("cat_vae_t08", "configs/cat_vae_t08_mnist.py", iwae_samples=1, eval_examples=0),
    Entry("cg_bpef_t08", "configs/cg_bpef_t08_mnist.py", iwae_samples=1, eval_examples=0),
]

# Sun & Zhang 2017, table 1a: 10,000 Adam iterations of batch 100 (20 epochs of the 50k
# training images), L = 1 and L = 10 latent samples; test -ELBO and term_2 (the
# reconstruction term). Paper: Gauss 101.3 / 100.0, Cat-VAE T=0.5 105.8 / 98.2,
# T=0.8 101.5 / 94.2, CG-BPEF T=0.5 97.4 / 94.7, T=0.8 92.8 / 90.4 (L = 1 / L = 10);
# the L = 10 rows change C, d and M as the paper's table does.
_PAPER_BUDGET = {"train.validation_every": 5, "train.sample_every": 20,
                 "export.enabled": False, "train.verbose": 0}
# "relaxed_elbo": the paper's objective for Cat-VAE and CG-BPEF (absent for Gauss).
_T1A = dict(iwae_samples=1, eval_examples=0, speed_steps=0,
            report_terms=("relaxed_elbo", "reconstruction", "kl"))


def _l10(extra):
  return dict(_PAPER_BUDGET, **{"model.num_latent_samples": 10}, **extra)


TABLE_1A: List[Entry] = [
    Entry("gauss_L1", "configs/gauss_vae_mnist_t1a.py", _PAPER_BUDGET, **_T1A),
    Entry("cg_bpef_t05_L1", "configs/cg_bpef_t05_mnist.py", _PAPER_BUDGET, **_T1A),
    Entry("cg_bpef_t08_L1", "configs/cg_bpef_t08_mnist.py", _PAPER_BUDGET, **_T1A),
    Entry("cat_t05_L1", "configs/cat_vae_t05_mnist.py", _PAPER_BUDGET, **_T1A),
    Entry("cat_t08_L1", "configs/cat_vae_t08_mnist.py", _PAPER_BUDGET, **_T1A),
    Entry("gauss_L10", "configs/gauss_vae_mnist_t1a.py", _l10({}), **_T1A),
    Entry("cg_bpef_t08_L10", "configs/cg_bpef_t08_mnist.py",
          _l10({"model.latent_dim": 40}), **_T1A),
    Entry("cat_t08_L10", "configs/cat_vae_t08_mnist.py",
          _l10({"model.num_categories": 20}), **_T1A),
    Entry("cg_bpef_t05_L10", "configs/cg_bpef_t05_mnist.py",
          _l10({"model.latent_dim": 60, "model.order": 15}), **_T1A),
    Entry("cat_t05_L10", "configs/cat_vae_t05_mnist.py",
          _l10({"model.num_categories": 15}), **_T1A),
]

# Lavda et al. 2020, table 1 (dynamically binarized MNIST, -ELBO on the test set) at a
# reduced budget: 20 epochs with the KL warm-up shortened from 100 to 5 epochs (the paper
# trains for up to 1000 epochs with early stopping). Paper: CP c=10 84.76, VAE 88.75,
# MG 89.43, VP 87.94, HVAE 86.7, HVP 85.90.
_LAVDA = dict(_MNIST_IDX, **{"train.epochs": 20, "train.schedules.kl_weight.duration": 5,
                             "train.early_stopping_patience": 0, "train.validation_every": 5,
                             "train.sample_every": 20, "export.enabled": False,
                             "train.verbose": 0})
_LAVDA_EVAL = dict(iwae_samples=100, eval_examples=1000, eval_spaced=True, speed_steps=0,
                   report_terms=("kl",))
TABLE_1_LAVDA: List[Entry] = [
    Entry("cp_c10", "configs/cp_vae_c10_mnist.py", _LAVDA, **_LAVDA_EVAL),
    Entry("vae_gated", "configs/vae_gated_mnist.py", _LAVDA, **_LAVDA_EVAL),
    Entry("mg_c10", "configs/mg_c10_mnist.py", _LAVDA, **_LAVDA_EVAL),
    Entry("vp_c10", "configs/vp_c10_mnist.py", _LAVDA, **_LAVDA_EVAL),
    Entry("hvae", "configs/hvae_mnist.py", _LAVDA, **_LAVDA_EVAL),
    Entry("hvp_c10", "configs/hvp_c10_mnist.py", _LAVDA, **_LAVDA_EVAL),
    Entry("cp_c150", "configs/cp_vae_c150_mnist.py", _LAVDA, **_LAVDA_EVAL),
    Entry("cp_c500", "configs/cp_vae_c500_mnist.py", _LAVDA, **_LAVDA_EVAL),
]

# Lavda et al. 2020, table 1 at the paper's protocol (sec. 5): each config's own budget
# (at most 1000 epochs, KL warm-up over 100 epochs, Adam 5e-4, batch 100, dynamic
# binarization), early stopping as in Tomczak & Welling's VampPrior code that the paper
# builds on: counted after the warm-up, patience 50 epochs on the validation ELBO, the
# best-validation checkpoint evaluated, on all 10,000 test images with IWAE k = 5000.
# "cp_c10" warms up the whole KL (the paper's schedule, the reference row); "cp_c10_b2"
# is the shipped config's B2-only warm-up.
_LAVDA_PAPER = dict(_MNIST_IDX, **{"train.sample_every": 50, "export.enabled": False,
                                   "train.verbose": 0})
_LAVDA_PAPER_EVAL = dict(iwae_samples=5000, eval_examples=0, speed_steps=0,
                         eval_checkpoint="best", report_terms=("kl",))
_WHOLE_KL_WARM_UP = {"model.warm_up_categorical_kl": True}
TABLE_1_LAVDA_PAPER: List[Entry] = [
    Entry("cp_c10", "configs/cp_vae_c10_mnist.py", dict(_LAVDA_PAPER, **_WHOLE_KL_WARM_UP),
          **_LAVDA_PAPER_EVAL),
    Entry("cp_c10_b2", "configs/cp_vae_c10_mnist.py", _LAVDA_PAPER, paired_with="cp_c10",
          **_LAVDA_PAPER_EVAL),
    Entry("vae_gated", "configs/vae_gated_mnist.py", _LAVDA_PAPER, paired_with="cp_c10",
          **_LAVDA_PAPER_EVAL),
    Entry("mg_c10", "configs/mg_c10_mnist.py", _LAVDA_PAPER, paired_with="cp_c10",
          **_LAVDA_PAPER_EVAL),
    Entry("vp_c10", "configs/vp_c10_mnist.py", _LAVDA_PAPER, paired_with="cp_c10",
          **_LAVDA_PAPER_EVAL),
    Entry("hvae", "configs/hvae_mnist.py", _LAVDA_PAPER, paired_with="cp_c10",
          **_LAVDA_PAPER_EVAL),
    Entry("hvp_c10", "configs/hvp_c10_mnist.py", _LAVDA_PAPER, paired_with="cp_c10",
          **_LAVDA_PAPER_EVAL),
    Entry("cp_c150", "configs/cp_vae_c150_mnist.py",
          dict(_LAVDA_PAPER, **_WHOLE_KL_WARM_UP), paired_with="cp_c10",
          **_LAVDA_PAPER_EVAL),
    Entry("cp_c500", "configs/cp_vae_c500_mnist.py",
          dict(_LAVDA_PAPER, **_WHOLE_KL_WARM_UP), paired_with="cp_c10",
          **_LAVDA_PAPER_EVAL),
    Entry("vp_c500", "configs/vp_c10_mnist.py",
          dict(_LAVDA_PAPER, **{"model.num_pseudo_inputs": 500}), paired_with="vp_c10",
          **_LAVDA_PAPER_EVAL),
    Entry("hvp_c500", "configs/hvp_c10_mnist.py",
          dict(_LAVDA_PAPER, **{"model.num_pseudo_inputs": 500}), paired_with="hvp_c10",
          **_LAVDA_PAPER_EVAL),
]

# VRNN report: VRNN bound vs LSTM likelihood (and the two GMVRNNs), nats per sequence, on
# binarized sequential MNIST (2 epochs) and the aaron_sheep strokes (3 epochs).
_SEQ = {"train.validation_every": 100, "train.sample_every": 0, "export.enabled": False,
        "train.verbose": 0, "eval.chunk_size": 20, "eval.batch_size": 100}
_SEQ_MNIST = dict(_SEQ, **{"train.epochs": 2})
_SHEEP = dict(_SEQ, **{"train.epochs": 3,
                       "dataset.path": "{shared}/strokes/aaron_sheep_flat.npz"})
# Evaluated on the whole test split (the binarized test split is sorted by label: a prefix
# would be almost all zeros), each latent-variable model paired with the LSTM baseline of
# its dataset on the same sequences.
_SEQ_EVAL = dict(iwae_samples=20, eval_examples=0, speed_steps=20)
_LSTM_EVAL = dict(_SEQ_EVAL, iwae_samples=1)
SEQUENCES: List[Entry] = [
    Entry("vrnn_seq_mnist", "configs/vrnn_seq_mnist.py", _SEQ_MNIST,
          paired_with="lstm_seq_mnist", **_SEQ_EVAL),
    Entry("lstm_seq_mnist", "configs/lstm_seq_mnist.py", _SEQ_MNIST, **_LSTM_EVAL),
    Entry("gmvrnn_gumbel_seq_mnist", "configs/gmvrnn_gumbel_seq_mnist.py", _SEQ_MNIST,
          paired_with="lstm_seq_mnist", **_SEQ_EVAL),
    Entry("gmvrnn_variational_seq_mnist", "configs/gmvrnn_variational_seq_mnist.py",
          _SEQ_MNIST, paired_with="lstm_seq_mnist", **_SEQ_EVAL),
    Entry("vrnn_sheep", "configs/vrnn_sheep.py", _SHEEP, paired_with="lstm_sheep",
          **_SEQ_EVAL),
    Entry("lstm_sheep", "configs/lstm_sheep.py", _SHEEP, **_LSTM_EVAL),
    Entry("gmvrnn_gumbel_sheep", "configs/gmvrnn_gumbel_sheep.py", _SHEEP,
          paired_with="lstm_sheep", **_SEQ_EVAL),
    Entry("gmvrnn_variational_sheep", "configs/gmvrnn_variational_sheep.py", _SHEEP,
          paired_with="lstm_sheep", **_SEQ_EVAL),
]

# Mixed precision on the default Gaussian VAE: the same 10-epoch budget under each policy
# (float32 variables and distributions throughout; see tfvae/training/precision.py).
_PRECISION = {"train.epochs": 10, "train.sample_every": 0, "train.validation_every": 10,
              "export.enabled": False, "train.verbose": 0,
              "train.steps_per_execution": 50}
_PRECISION_EVAL = dict(iwae_samples=1000, eval_examples=1000, speed_steps=100)
PRECISION: List[Entry] = [
    Entry(f"vae_{name}", "configs/vae_binarized_mnist.py",
          dict(_PRECISION, **{"train.precision": policy}), **_PRECISION_EVAL)
    for name, policy in (("float32", "float32"), ("bf16", "mixed_bfloat16"),
                         ("fp16", "mixed_float16"))
]

# Flows paper, posterior families (784-400-40 MLP VAE, binarized MNIST) at one shared
# budget of 100 epochs (the configs' own budget is 500): IWAE k = 5000 on 2,000 evenly
# spaced test images (the test split is sorted by label), each flow paired with the
# diagonal baseline on the same images. Anchors (full training): planar K=10 <= 87.5,
# K=80 <= 85.1 (Rezende & Mohamed 2015); IAF <= diag - 1.5; full covariance <= diag.
_POSTERIOR_BUDGET = {"train.epochs": 100, "train.validation_every": 10,
                     "train.sample_every": 50, "export.enabled": False,
                     "train.verbose": 0}
_POSTERIOR_EVAL = dict(iwae_samples=5000, eval_examples=2000, eval_spaced=True,
                       speed_steps=300)
POSTERIORS: List[Entry] = [
    Entry("vae_diag", "configs/vae_binarized_mnist.py", _POSTERIOR_BUDGET,
          **_POSTERIOR_EVAL),
] + [
    Entry(name, config, _POSTERIOR_BUDGET, paired_with="vae_diag", report_terms=("kl",),
          **_POSTERIOR_EVAL)
    for name, config in (("vae_full_cov", "configs/vae_fullcov_binarized_mnist.py"),
                         ("vae_planar10", "configs/vae_planar10_binarized_mnist.py"),
                         ("vae_iaf", "configs/vae_iaf_binarized_mnist.py"),
                         ("vae_planar80", "configs/vae_planar80_binarized_mnist.py"))
]

# The same comparison at the configs' own 500-epoch budget (the learning rate decays
# 1e-3 -> 1e-4 over epochs 300-500 for every family).
_POSTERIOR_FULL_BUDGET = {k: v for k, v in _POSTERIOR_BUDGET.items() if k != "train.epochs"}
POSTERIORS_FULL: List[Entry] = [
    Entry("vae_diag", "configs/vae_binarized_mnist.py", _POSTERIOR_FULL_BUDGET,
          **_POSTERIOR_EVAL),
] + [
    Entry(name, config, _POSTERIOR_FULL_BUDGET, paired_with="vae_diag",
          report_terms=("kl",), **_POSTERIOR_EVAL)
    for name, config in (("vae_planar10", "configs/vae_planar10_binarized_mnist.py"),
                         ("vae_full_cov", "configs/vae_fullcov_binarized_mnist.py"),
                         ("vae_iaf", "configs/vae_iaf_binarized_mnist.py"),
                         ("vae_planar80", "configs/vae_planar80_binarized_mnist.py"))
]

# Planar K=10 beyond the configs' budget, each paired with the 500-epoch planar K=10 of
# ``posteriors_full`` on the same images. Rezende & Mohamed 2015 trained for 500,000
# updates of batch 100: 1,000 epochs of the 50,000 training images, twice the configs'
# budget (same shape of schedule: 1e-3 for 60 % of it, then decayed to 1e-4 over epochs
# 600-1000). The second entry keeps 500 epochs and trains on train + valid (60k).
_POSTERIOR_LONG_BUDGET = dict(_POSTERIOR_FULL_BUDGET, **{
    "train.epochs": 1000, "train.lr_schedule.begin": 600,
    "train.lr_schedule.duration": 400, "train.validation_every": 20})
POSTERIORS_LONG: List[Entry] = [
    Entry("vae_planar10", "configs/vae_planar10_binarized_mnist.py",
          _POSTERIOR_LONG_BUDGET, paired_with="posteriors_full:vae_planar10",
          report_terms=("kl",), **_POSTERIOR_EVAL),
    Entry("vae_planar10_trainval", "configs/vae_planar10_trainval_binarized_mnist.py",
          _POSTERIOR_FULL_BUDGET, paired_with="posteriors_full:vae_planar10",
          report_terms=("kl",), **_POSTERIOR_EVAL),
]

# The networks of Rezende & Mohamed (2015, section 6): every hidden layer 400 maxout
# units over windows of 4 (the 784-400-40 shape, 4x the first-layer weights), otherwise
# the configs' 500-epoch budget. Flows are paired with the maxout diag of this suite.
_MAXOUT_BUDGET = dict(_POSTERIOR_FULL_BUDGET, **{"model.activation": "maxout4"})
_MAXOUT_SCALE003_BUDGET = dict(_MAXOUT_BUDGET, **{"model.posterior_kwargs": {
    "num_flows": 80, "amortized": True, "parameter_scale": 0.03}})
POSTERIORS_MAXOUT: List[Entry] = [
    Entry("vae_diag", "configs/vae_binarized_mnist.py", _MAXOUT_BUDGET,
          **_POSTERIOR_EVAL),
] + [
    Entry(name, config, _MAXOUT_BUDGET, paired_with="vae_diag", report_terms=("kl",),
          **_POSTERIOR_EVAL)
    for name, config in (("vae_planar10", "configs/vae_planar10_binarized_mnist.py"),
                         ("vae_planar80", "configs/vae_planar80_binarized_mnist.py"))
] + [
    # K=80 with its head scaled by 0.03 instead of the configs' 0.1: the 80-epoch pilot of
    # docs/benchmarks.md found 0.32 nats of validation ELBO at that scale.
    Entry("vae_planar80_scale003", "configs/vae_planar80_binarized_mnist.py",
          _MAXOUT_SCALE003_BUDGET, paired_with="vae_planar80", report_terms=("kl",),
          **_POSTERIOR_EVAL),
    # The same on train + valid (60k images, no model selection): K=80's train ELBO ends
    # 5.4-6.0 nats above its validation ELBO, so more data is the lever left.
    Entry("vae_planar80_trainval",
          "configs/vae_planar80_maxout_trainval_binarized_mnist.py", _POSTERIOR_FULL_BUDGET,
          paired_with="vae_planar80_scale003", report_terms=("kl",), **_POSTERIOR_EVAL),
]

# Planar K=80 with maxout, continued past the 500 epochs of ``posteriors_maxout``: the
# learning rate keeps decaying at the same rate, 1e-3 -> 1e-5 over epochs 300-700. For
# epochs 0-500 that schedule equals the configs' 1e-3 -> 1e-4 over 300-500, so copying the
# 500-epoch workdir and resuming is the same run as training this entry from scratch.
_MAXOUT_LONG_BUDGET = dict(_MAXOUT_BUDGET, **{
    "train.epochs": 700, "train.lr_schedule.end": 1e-5, "train.lr_schedule.duration": 400})
_LONG_SCHEDULE = {k: v for k, v in _MAXOUT_LONG_BUDGET.items() if k.startswith("train.")}
_MAXOUT_SCALE003_LONG_BUDGET = dict(_MAXOUT_SCALE003_BUDGET, **_LONG_SCHEDULE)
# The train + valid config names maxout and the head scale itself: only the schedule here.
_TRAINVAL_LONG_BUDGET = dict(_POSTERIOR_FULL_BUDGET, **_LONG_SCHEDULE)
POSTERIORS_MAXOUT_LONG: List[Entry] = [
    Entry("vae_planar80", "configs/vae_planar80_binarized_mnist.py", _MAXOUT_LONG_BUDGET,
          paired_with="posteriors_maxout:vae_planar80", report_terms=("kl",),
          continue_from="posteriors_maxout:vae_planar80",
          **dict(_POSTERIOR_EVAL, speed_steps=0)),
    Entry("vae_planar80_scale003", "configs/vae_planar80_binarized_mnist.py",
          _MAXOUT_SCALE003_LONG_BUDGET,
          paired_with="posteriors_maxout:vae_planar80_scale003", report_terms=("kl",),
          continue_from="posteriors_maxout:vae_planar80_scale003",
          **dict(_POSTERIOR_EVAL, speed_steps=0)),
    Entry("vae_planar80_trainval",
          "configs/vae_planar80_maxout_trainval_binarized_mnist.py",
          _TRAINVAL_LONG_BUDGET,
          paired_with="posteriors_maxout:vae_planar80_trainval", report_terms=("kl",),
          continue_from="posteriors_maxout:vae_planar80_trainval",
          **dict(_POSTERIOR_EVAL, speed_steps=0)),
]

# The finished posterior runs above evaluated again on the whole test split (10,000
# images) instead of 2,000 spaced ones: the anchors are test-set figures. Each entry
# copies its run (nothing is trained) and is paired with the diag of the same networks.
_WHOLE_TEST = dict(iwae_samples=5000, eval_examples=0, speed_steps=0)
_WHOLE_TEST_RUNS = (
    ("relu_diag", "configs/vae_binarized_mnist.py", "posteriors_full:vae_diag",
     _POSTERIOR_FULL_BUDGET, ""),
    ("relu_full_cov", "configs/vae_fullcov_binarized_mnist.py",
     "posteriors_full:vae_full_cov", _POSTERIOR_FULL_BUDGET, "relu_diag"),
    ("relu_iaf", "configs/vae_iaf_binarized_mnist.py", "posteriors_full:vae_iaf",
     _POSTERIOR_FULL_BUDGET, "relu_diag"),
    ("relu_planar10", "configs/vae_planar10_binarized_mnist.py",
     "posteriors_full:vae_planar10", _POSTERIOR_FULL_BUDGET, "relu_diag"),
    ("relu_planar80", "configs/vae_planar80_binarized_mnist.py",
     "posteriors_full:vae_planar80", _POSTERIOR_FULL_BUDGET, "relu_diag"),
    ("maxout_diag", "configs/vae_binarized_mnist.py", "posteriors_maxout:vae_diag",
     _MAXOUT_BUDGET, ""),
    ("maxout_planar10", "configs/vae_planar10_binarized_mnist.py",
     "posteriors_maxout:vae_planar10", _MAXOUT_BUDGET, "maxout_diag"),
    ("maxout_planar80", "configs/vae_planar80_binarized_mnist.py",
     "posteriors_maxout:vae_planar80", _MAXOUT_BUDGET, "maxout_diag"),
    ("maxout_planar80_700", "configs/vae_planar80_binarized_mnist.py",
     "posteriors_maxout_long:vae_planar80", _MAXOUT_LONG_BUDGET, "maxout_planar80"),
    ("maxout_planar80_scale003", "configs/vae_planar80_binarized_mnist.py",
     "posteriors_maxout:vae_planar80_scale003", _MAXOUT_SCALE003_BUDGET, "maxout_planar80"),
    ("maxout_planar80_scale003_700", "configs/vae_planar80_binarized_mnist.py",
     "posteriors_maxout_long:vae_planar80_scale003", _MAXOUT_SCALE003_LONG_BUDGET,
     "maxout_planar80_scale003"),
    ("maxout_planar80_trainval", "configs/vae_planar80_maxout_trainval_binarized_mnist.py",
     "posteriors_maxout:vae_planar80_trainval", _POSTERIOR_FULL_BUDGET,
     "maxout_planar80_scale003"),
    ("maxout_planar80_trainval_700", "configs/vae_planar80_maxout_trainval_binarized_mnist.py",
     "posteriors_maxout_long:vae_planar80_trainval",
     _TRAINVAL_LONG_BUDGET,
     "maxout_planar80_trainval"),
)
POSTERIORS_WHOLE_TEST: List[Entry] = [
    Entry(name, config, budget, continue_from=source, paired_with=paired,
          report_terms=("kl",) if paired else (), **_WHOLE_TEST)
    for name, config, source, budget, paired in _WHOLE_TEST_RUNS
]

# Speed targets (examples/s at batch 100 on the 2-core CPU, tuned variant; docs/benchmarks.md).
SPEED_TARGETS = {"vae_diag": 22000, "vae_planar10": 15000, "vae_iaf": 15000,
                 "vamp_prior_500": 4500}

SUITES: Dict[str, List[Entry]] = {"quick": QUICK, "full": FULL, "table1a": TABLE_1A,
                                  "lavda_table1": TABLE_1_LAVDA,
                                  "lavda_table1_paper": TABLE_1_LAVDA_PAPER,
                                  "sequences": SEQUENCES,
                                  "precision": PRECISION, "posteriors": POSTERIORS,
                                  "posteriors_full": POSTERIORS_FULL,
                                  "posteriors_long": POSTERIORS_LONG,
                                  "posteriors_maxout": POSTERIORS_MAXOUT,
                                  "posteriors_maxout_long": POSTERIORS_MAXOUT_LONG,
                                  "posteriors_whole_test": POSTERIORS_WHOLE_TEST}


def get_suite(name: str) -> List[Entry]:
  if name not in SUITES:
    raise ValueError(f"unknown suite {name!r}; known: {sorted(SUITES)}")
  return SUITES[name]


def find_entry(suite: str, name: str) -> Entry:
  entries = {e.name: e for e in get_suite(suite)}
  if name not in entries:
    raise ValueError(f"suite {suite!r} has no entry {name!r}; known: {sorted(entries)}")
  return entries[name]
