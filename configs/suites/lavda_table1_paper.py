"""``lavda_table1_paper``: Lavda et al. 2020, table 1, at the paper's protocol (sec. 5).

Each config's own budget (at most 1000 epochs, KL warm-up over 100 epochs, Adam 5e-4,
batch 100, dynamic binarization), early stopping as in Tomczak & Welling's VampPrior code
that the paper builds on: counted after the warm-up, patience 50 epochs on the validation
ELBO, the best-validation checkpoint evaluated, on all 10,000 test images with IWAE
k = 5000. ``cp_c10`` warms up the whole KL (the paper's schedule, the reference row);
``cp_c10_b2`` is the shipped config's B2-only warm-up. Every other row is paired with
``cp_c10`` (the c = 500 prior baselines with their c = 10 versions).
"""
MNIST_IDX = {"dataset.idx_dir": "{shared}/mnist"}
BUDGET = dict(MNIST_IDX, **{"train.sample_every": 50, "export.enabled": False,
                            "train.verbose": 0})
EVAL = dict(iwae_samples=5000, eval_examples=0, speed_steps=0, eval_checkpoint="best",
            report_terms=("kl",))
WHOLE_KL_WARM_UP = {"model.warm_up_categorical_kl": True}
C500 = {"model.num_pseudo_inputs": 500}
# The prior of the authors' code: random (means U[0, 1), variances 4 to 7), never trained.
REFERENCE_PRIOR = {"model.prior_init": "reference_uniform", "model.prior_trainable": False}


def _entry(name, config, overrides, paired_with="cp_c10"):
  return dict(name=name, config=config, overrides=overrides, paired_with=paired_with,
              **EVAL)


def get_suite():
  return [
      _entry("cp_c10", "configs/cp_vae_c10_mnist.py", dict(BUDGET, **WHOLE_KL_WARM_UP),
             paired_with=""),
      _entry("cp_c10_b2", "configs/cp_vae_c10_mnist.py", BUDGET),
      _entry("vae_gated", "configs/vae_gated_mnist.py", BUDGET),
      _entry("mg_c10", "configs/mg_c10_mnist.py", BUDGET),
      _entry("vp_c10", "configs/vp_c10_mnist.py", BUDGET),
      _entry("hvae", "configs/hvae_mnist.py", BUDGET),
      _entry("hvp_c10", "configs/hvp_c10_mnist.py", BUDGET),
      _entry("cp_c150", "configs/cp_vae_c150_mnist.py", dict(BUDGET, **WHOLE_KL_WARM_UP)),
      _entry("cp_c500", "configs/cp_vae_c500_mnist.py", dict(BUDGET, **WHOLE_KL_WARM_UP)),
      _entry("vp_c500", "configs/vp_c10_mnist.py", dict(BUDGET, **C500),
             paired_with="vp_c10"),
      _entry("hvp_c500", "configs/hvp_c10_mnist.py", dict(BUDGET, **C500),
             paired_with="hvp_c10"),
      # A controlled run: cp_c10 with the fixed random prior of the authors' code.
      _entry("cp_c10_ref_prior", "configs/cp_vae_c10_mnist.py",
             dict(BUDGET, **WHOLE_KL_WARM_UP, **REFERENCE_PRIOR)),
  ]
