"""``posteriors_maxout``: the networks of Rezende & Mohamed (2015, section 6).

Every hidden layer 400 maxout units over windows of 4 (the 784-400-40 shape, 4x the
first-layer weights), otherwise the configs' 500-epoch budget. Flows are paired with the
maxout diag of this suite. ``vae_planar80_scale003`` scales K=80's flow head by 0.03
instead of the configs' 0.1, and ``vae_planar80_trainval`` trains that on train + valid
(60k images, no model selection); docs/benchmarks.md (the posteriors_maxout section)
gives the pilot runs that chose both.
"""
from tfvae.config_files import sibling_module

_FULL = sibling_module(__file__, "posteriors_full")
EVAL = _FULL.EVAL
BUDGET = dict(_FULL.BUDGET, **{"model.activation": "maxout4"})
SCALE003_BUDGET = dict(BUDGET, **{"model.posterior_kwargs": {
    "num_flows": 80, "amortized": True, "parameter_scale": 0.03}})


def _flow(name, config, budget, paired_with):
  return dict(name=name, config=config, overrides=budget, paired_with=paired_with,
              report_terms=("kl",), **EVAL)


def get_suite():
  return [
      dict(name="vae_diag", config="configs/vae_binarized_mnist.py", overrides=BUDGET,
           **EVAL),
      _flow("vae_planar10", "configs/vae_planar10_binarized_mnist.py", BUDGET, "vae_diag"),
      _flow("vae_planar80", "configs/vae_planar80_binarized_mnist.py", BUDGET, "vae_diag"),
      _flow("vae_planar80_scale003", "configs/vae_planar80_binarized_mnist.py",
            SCALE003_BUDGET, "vae_planar80"),
      # The config names maxout and the head scale itself.
      _flow("vae_planar80_trainval",
            "configs/vae_planar80_maxout_trainval_binarized_mnist.py", _FULL.BUDGET,
            "vae_planar80_scale003"),
  ]
