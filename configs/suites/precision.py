"""``precision``: mixed precision on the default Gaussian VAE.

The same 10-epoch budget under each policy (float32 variables and distributions
throughout; see tfvae/training/precision.py).
"""
BUDGET = {"train.epochs": 10, "train.sample_every": 0, "train.validation_every": 10,
          "export.enabled": False, "train.verbose": 0, "train.steps_per_execution": 50}
EVAL = dict(iwae_samples=1000, eval_examples=1000, speed_steps=100)


def get_suite():
  return [dict(name=f"vae_{name}", config="configs/vae_binarized_mnist.py",
               overrides=dict(BUDGET, **{"train.precision": policy}), **EVAL)
          for name, policy in (("float32", "float32"), ("bf16", "mixed_bfloat16"),
                               ("fp16", "mixed_float16"))]
