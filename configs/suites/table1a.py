"""``table1a``: Sun & Zhang 2017, table 1a, at the paper's budget.

10,000 Adam iterations of batch 100 (20 epochs of the 50k training images), L = 1 and
L = 10 latent samples; test -ELBO and term_2 (the reconstruction term). The paper's
figures (L = 1 / L = 10): Gauss 101.3 / 100.0, Cat-VAE T=0.5 105.8 / 98.2, T=0.8
101.5 / 94.2, CG-BPEF T=0.5 97.4 / 94.7, T=0.8 92.8 / 90.4. The L = 10 rows change C, d
and M as the paper's table does.
"""
BUDGET = {"train.validation_every": 5, "train.sample_every": 20,
          "export.enabled": False, "train.verbose": 0}
# "relaxed_elbo": the paper's objective for Cat-VAE and CG-BPEF (absent for Gauss).
EVAL = dict(iwae_samples=1, eval_examples=0, speed_steps=0,
            report_terms=("relaxed_elbo", "reconstruction", "kl"))


def _l10(extra):
  return dict(BUDGET, **{"model.num_latent_samples": 10}, **extra)


def _entry(name, config, overrides):
  return dict(name=name, config=config, overrides=overrides, **EVAL)


def get_suite():
  return [
      _entry("gauss_L1", "configs/gauss_vae_mnist_t1a.py", BUDGET),
      _entry("cg_bpef_t05_L1", "configs/cg_bpef_t05_mnist.py", BUDGET),
      _entry("cg_bpef_t08_L1", "configs/cg_bpef_t08_mnist.py", BUDGET),
      _entry("cat_t05_L1", "configs/cat_vae_t05_mnist.py", BUDGET),
      _entry("cat_t08_L1", "configs/cat_vae_t08_mnist.py", BUDGET),
      _entry("gauss_L10", "configs/gauss_vae_mnist_t1a.py", _l10({})),
      _entry("cg_bpef_t08_L10", "configs/cg_bpef_t08_mnist.py",
             _l10({"model.latent_dim": 40})),
      _entry("cat_t08_L10", "configs/cat_vae_t08_mnist.py",
             _l10({"model.num_categories": 20})),
      _entry("cg_bpef_t05_L10", "configs/cg_bpef_t05_mnist.py",
             _l10({"model.latent_dim": 60, "model.order": 15})),
      _entry("cat_t05_L10", "configs/cat_vae_t05_mnist.py",
             _l10({"model.num_categories": 15})),
  ]
