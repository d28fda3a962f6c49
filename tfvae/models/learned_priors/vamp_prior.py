"""VampPrior (Tomczak & Welling 2018): the prior is the encoder applied to K pseudo-inputs,

    p(z) = 1/K sum_k q(z | u_k),                                  (VampPrior, eq. 9)

with trainable pseudo-inputs u_k (hard-clipped to [0, 1] as in the reference code). log p(z)
is a log-mean-exp over the K component densities; the KL is a single-sample Monte Carlo
estimate log q(z|x) - log p(z). ``vamp_prior_vae`` is the "VP" baseline of the CP-VAE paper.
"""
from typing import Optional, Sequence, Tuple

import keras
import tensorflow as tf

from tfvae.distributions.conditional_prior import (mixture_log_prob, mixture_responsibilities,
                                                   sample_mixture)
from tfvae.models.learned_priors.prior_vae import PriorVAE
from tfvae.registry import MODELS


class PseudoInputs(keras.layers.Layer):
  """K trainable pseudo-inputs u_k, initialised N(mean, stddev^2), clipped to ``value_range``."""

  def __init__(self, num_pseudo_inputs: int, input_size: int, mean: float = 0.05,
               stddev: float = 0.01, value_range: Optional[Tuple[float, float]] = (0.0, 1.0),
               seed: int = 0, **kwargs):
    kwargs.setdefault("dtype", "float32")
    super().__init__(**kwargs)
    self.num_pseudo_inputs = int(num_pseudo_inputs)
    self.value_range = tuple(value_range) if value_range is not None else None
    self.raw = self.add_weight(
        shape=(self.num_pseudo_inputs, int(input_size)), dtype="float32", name="pseudo_inputs",
        initializer=keras.initializers.RandomNormal(mean=mean, stddev=stddev, seed=seed))

  def values(self):
    """The pseudo-inputs ``[K, input_size]`` (hardtanh-clipped like the reference code)."""
    u = tf.convert_to_tensor(self.raw)
    if self.value_range is not None:
      u = tf.clip_by_value(u, self.value_range[0], self.value_range[1])
    return u


def encoded_components(encode, pseudo_inputs: PseudoInputs):
  """``(loc [K, D], scale [K, D])`` of q(z | u_k) for an ``encode(x) -> distribution``."""
  q = encode(pseudo_inputs.values())
  return tf.cast(q.mean(), tf.float32), tf.cast(q.stddev(), tf.float32)


@MODELS.register("vamp_prior_vae")
class VampPriorVAE(PriorVAE):
  """Gated VAE with a VampPrior over ``num_pseudo_inputs`` pseudo-inputs."""

  analytic_kl = False

  def __init__(self, input_size: int, num_pseudo_inputs: int = 10, latent_dim: int = 40,
               hidden_sizes: Sequence[int] = (300, 300), likelihood: str = "bernoulli",
               pseudo_inputs_mean: float = 0.05, pseudo_inputs_stddev: float = 0.01,
               pseudo_inputs_range: Optional[Sequence[float]] = (0.0, 1.0),
               min_scale: float = 1e-4, seed: int = 0, **kwargs):
    super().__init__(input_size=input_size, latent_dim=latent_dim, hidden_sizes=hidden_sizes,
                     likelihood=likelihood, min_scale=min_scale, seed=seed, **kwargs)
    self.num_categories = int(num_pseudo_inputs)
    self.pseudo_inputs = PseudoInputs(self.num_categories, self.input_size,
                                      pseudo_inputs_mean, pseudo_inputs_stddev,
                                      pseudo_inputs_range, seed=self.seed, name="pseudo_inputs")

  def prior_components(self):
    return encoded_components(self.encode, self.pseudo_inputs)

  def prior_log_prob(self, z):
    loc, scale = self.prior_components()
    return mixture_log_prob(tf.cast(z, tf.float32), loc, scale)

  def sample_prior_component(self, categories, seed):
    loc, scale = self.prior_components()
    return sample_mixture(loc, scale, categories, seed)

  def category_probs(self, x):
    """Responsibilities of the pseudo-input components at E_q[z|x]: ``[batch, K]``."""
    loc, scale = self.prior_components()
    return mixture_responsibilities(self.posterior_mean(x), loc, scale)
