"""Mixed-precision policy from config: float32, mixed_float16 (GPU), mixed_bfloat16 (CPU/TPU).

Networks compute in the policy's compute dtype; models cast network outputs to float32
before building TFP distributions. Under ``mixed_float16`` Keras' ``compile`` wraps the
optimizer in a ``LossScaleOptimizer`` (dynamic loss scaling) and the base ``train_step``
scales the loss with ``optimizer.scale_loss``.
"""
import keras

POLICIES = ("float32", "mixed_float16", "mixed_bfloat16")


def set_precision(policy: str) -> None:
  if policy not in POLICIES:
    raise ValueError(f"precision must be one of {POLICIES}, got {policy!r}")
  keras.mixed_precision.set_global_policy(policy)
