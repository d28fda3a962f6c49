"""``lavda_table1``: Lavda et al. 2020, table 1, at a reduced budget.

Dynamically binarized MNIST, -ELBO on the test set: 20 epochs with the KL warm-up
shortened from 100 to 5 epochs (the paper trains for up to 1000 epochs with early
stopping). The paper's figures: CP c=10 84.76, VAE 88.75, MG 89.43, VP 87.94, HVAE 86.7,
HVP 85.90.
"""
MNIST_IDX = {"dataset.idx_dir": "{shared}/mnist"}
BUDGET = dict(MNIST_IDX, **{"train.epochs": 20, "train.schedules.kl_weight.duration": 5,
                            "train.early_stopping_patience": 0,
                            "train.validation_every": 5, "train.sample_every": 20,
                            "export.enabled": False, "train.verbose": 0})
EVAL = dict(iwae_samples=100, eval_examples=1000, speed_steps=0, report_terms=("kl",))


def get_suite():
  return [dict(name=name, config=config, overrides=BUDGET, **EVAL)
          for name, config in (("cp_c10", "configs/cp_vae_c10_mnist.py"),
                               ("vae_gated", "configs/vae_gated_mnist.py"),
                               ("mg_c10", "configs/mg_c10_mnist.py"),
                               ("vp_c10", "configs/vp_c10_mnist.py"),
                               ("hvae", "configs/hvae_mnist.py"),
                               ("hvp_c10", "configs/hvp_c10_mnist.py"),
                               ("cp_c150", "configs/cp_vae_c150_mnist.py"),
                               ("cp_c500", "configs/cp_vae_c500_mnist.py"))]
