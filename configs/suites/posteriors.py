"""``posteriors``: the flows paper's posterior families at one shared budget.

784-400-40 MLP VAE on binarized MNIST, 100 epochs for every family (the configs' own
budget is 500): IWAE k = 5000 on 2,000 evenly spaced test images (the test split is
sorted by label), each flow paired with the diagonal baseline on the same images.
Anchors (full training): planar K=10 <= 87.5, K=80 <= 85.1 (Rezende & Mohamed 2015);
IAF <= diag - 1.5; full covariance <= diag.

The other ``posteriors_*`` suites start from ``BUDGET`` and ``EVAL`` here.
"""
BUDGET = {"train.epochs": 100, "train.validation_every": 10, "train.sample_every": 50,
          "export.enabled": False, "train.verbose": 0}
EVAL = dict(iwae_samples=5000, eval_examples=2000, speed_steps=300)


def paired_with_diag(families, budget, diag="vae_diag"):
  """Entries for ``(name, config)`` pairs, each paired with ``diag``."""
  return [dict(name=name, config=config, overrides=budget, paired_with=diag,
               report_terms=("kl",), **EVAL) for name, config in families]


def get_suite():
  return [dict(name="vae_diag", config="configs/vae_binarized_mnist.py", overrides=BUDGET,
               **EVAL)] + paired_with_diag(
                   (("vae_full_cov", "configs/vae_fullcov_binarized_mnist.py"),
                    ("vae_planar10", "configs/vae_planar10_binarized_mnist.py"),
                    ("vae_iaf", "configs/vae_iaf_binarized_mnist.py"),
                    ("vae_planar80", "configs/vae_planar80_binarized_mnist.py")), BUDGET)
