"""The CP-VAE test estimator of the authors' code: a relaxed c at test time.

Our test -ELBO of the CP-VAE draws a hard one-hot c ~ q(c|x): A - B1 - B2 (eq. 7-9) is
then a lower bound on log p(x) of the discrete model. The authors' code scores the test
split with the training-time Gumbel-softmax c (a relaxed one-hot vector at temperature
tau) fed to the decoder, and charges it the same B1 = KL(q(c|x) || U). A relaxed c can
carry more than one category's worth of information at that price, so the figure is not
a bound of the discrete model. ``relaxed_c_elbo`` computes both per example, with the
same z, so the two estimators can be compared paired on one checkpoint.
"""
from typing import Optional


def relaxed_c_elbo(model, x, seed, temperature: Optional[float] = None):
  """Per-example A - B1 - B2 of ``model`` (a CP-VAE) on ``x`` ``[B, D]``: the decoder
  gets c ~ RelaxedOneHotCategorical(temperature, q(c|x)), or a hard one-hot draw for
  ``temperature=None`` (the bound of ``loss_terms``). z ~ q(z|x) with ``seed``."""
  reconstruction, b1, b2, _, _ = model.per_example_terms(x, seed, training=False,
                                                         c_temperature=temperature)
  return reconstruction - b1 - b2
