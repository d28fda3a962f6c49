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

import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.distributions.conditional_prior import categorical_kl_to_uniform

tfd = tfp.distributions


def relaxed_c_elbo(model, x, seed, temperature: Optional[float] = None):
  """Per-example A - B1 - B2 of ``model`` (a CP-VAE) on ``x`` ``[B, D]``: the decoder
  gets c ~ RelaxedOneHotCategorical(temperature, q(c|x)), or a hard one-hot draw for
  ``temperature=None`` (the bound of ``loss_terms``). z ~ q(z|x) with ``seed``."""
  seed_z, seed_c = tfp.random.split_seed(seed, 2)
  logits, q_z = model.encode_all(x)
  z = q_z.sample(seed=seed_z)
  if temperature is None:
    index = tf.random.stateless_categorical(logits, 1, seed=seed_c)[:, 0]
    c = tf.one_hot(index, model.num_categories, dtype=tf.float32)
  else:
    c = tfd.RelaxedOneHotCategorical(float(temperature), logits=logits).sample(seed=seed_c)
  reconstruction = model.decode(z, c).log_prob(x)
  b1 = categorical_kl_to_uniform(logits)
  b2 = model.prior.expected_kl(tf.nn.softmax(logits, axis=-1), q_z.mean(), q_z.stddev())
  return reconstruction - b1 - b2
