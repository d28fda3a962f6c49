"""A CP-VAE checkpoint scored with the hard c of our test -ELBO and with the relaxed c of
the authors' code (``tfvae.models.learned_priors.relaxed_c_estimator``), per example on
a whole split, each estimator paired with the hard one on the same z and images."""
import time
from typing import Optional, Sequence

import numpy as np
import tensorflow as tf

from tfvae.evaluation.iwae import summarize
from tfvae.models.learned_priors.relaxed_c_estimator import relaxed_c_elbo


def evaluate_relaxed_c(workdir: str, temperatures: Sequence[float], split: str = "test",
                       checkpoint: Optional[str] = None, batch_size: int = 500,
                       seed: int = 0, log=print) -> dict:
  """``{"hard": {...}, "relaxed_<tau>": {...}}``: mean, stderr and per-example values of
  each estimator's one-sample ELBO, and its paired difference from the hard one."""
  from tfvae.training.trainer import restore_for_inference  # pylint: disable=g-import-not-at-top
  _, splits, model, epoch = restore_for_inference(workdir, checkpoint)
  if not hasattr(model, "encode_all") or getattr(model, "num_categories", None) is None:
    raise ValueError(f"{type(model).__name__} is not a CP-VAE (needs q(c|x) and q(z|x))")
  start = time.time()
  names = ["hard"] + [f"relaxed_{t:g}" for t in temperatures]
  taus = [None] + [float(t) for t in temperatures]
  fns = [tf.function(lambda x, s, t=t: relaxed_c_elbo(model, x, s, t)) for t in taus]
  values = {n: [] for n in names}
  for i, batch in enumerate(splits.eval_dataset(split, batch_size)):
    x = batch[0] if isinstance(batch, (tuple, list)) else batch
    step_seed = tf.constant([seed, i], tf.int32)  # the same z draw for every estimator
    for name, fn in zip(names, fns):
      values[name].append(fn(x, step_seed).numpy())
  result = {"workdir": workdir, "epoch": epoch, "split": split, "seed": seed}
  hard = np.concatenate(values["hard"])
  for name in names:
    per_example = np.concatenate(values[name])
    stats = summarize(per_example)
    diff = per_example - hard
    result[name] = {"elbo": stats["mean"], "stderr": stats["stderr"],
                    "examples": stats["count"],
                    "minus_hard": float(diff.mean()),
                    "minus_hard_stderr": float(diff.std(ddof=1) / np.sqrt(diff.size))
                    if diff.size > 1 else 0.0,
                    "per_example": per_example.tolist()}
    log(f"{split} -ELBO, {name:14s} {-stats['mean']:.3f} ± {stats['stderr']:.3f} "
        f"(vs hard {-result[name]['minus_hard']:+.3f} ± "
        f"{result[name]['minus_hard_stderr']:.3f}) over {stats['count']} examples")
  result["seconds"] = time.time() - start
  return result
