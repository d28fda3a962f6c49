"""Gaussian-mixture VRNN, Gumbel-softmax version (VRNN report section 5.1, eq. 3-8).

A VRNN (``tfvae.models.recurrent.vrnn``) whose per-step prior p(z_t | h_{t-1}) and posterior
q(z_t | x_t, h_{t-1}) are K-component diagonal Gaussian mixtures
(``gmvrnn_latents.GumbelMixtureLatent``). Per sequence,

    bound = sum_t m_t ( E_q[log p(x_t | z_t, h_{t-1})] - D_matched(q_t || p_t) )

with the matched bound of eq. 3 (>= KL(q_t || p_t), so this is a lower bound on the VRNN
ELBO when z_t is an exact mixture sample). Training draws z_t by Gumbel-softmax over the
components (eq. 4-8) at the temperature ``temperature``, a non-trainable variable that
``config.train.schedules`` anneals as tau = max(0.5, exp(-r * step)) (``exp_rate``
schedule); evaluation, importance weights and generation use exact (Gumbel-max) mixture
samples, so the reported ``elbo`` of validation/test is a true lower bound. ``loss``
weights the KL by ``kl_discount * kl_weight`` like the VRNN.
"""
import tensorflow as tf

from tfvae.models.recurrent.gmvrnn_latents import GumbelMixtureLatent
from tfvae.models.recurrent.vrnn import VRNN
from tfvae.registry import MODELS


@MODELS.register("gmvrnn_gumbel")
class GumbelMixtureVRNN(VRNN):
  """VRNN with mixture prior/posterior over z_t, Gumbel-softmax sampling, matched KL.

  ``latent_components``: K (the output mixture keeps ``num_components``);
  ``sampling``: ``relaxed`` (eq. 5-8) or ``straight_through`` (hard forward, relaxed
  gradient); ``initial_temperature``: tau before any schedule runs.
  """

  extra_term_names = ("prior_scale", "posterior_scale", "posterior_max_weight",
                      "temperature")

  def __init__(self, input_size: int, latent_components: int = 3,
               sampling: str = "relaxed", initial_temperature: float = 1.0, **kwargs):
    self.latent_components = int(latent_components)
    self.sampling = sampling
    self.initial_temperature = float(initial_temperature)
    super().__init__(input_size=input_size, **kwargs)

  def make_latent(self):
    return GumbelMixtureLatent(
        self.latent_dim, self.latent_components, self.prior_sizes, self.encoder_sizes,
        self.activation, self.latent_min_scale, sampling=self.sampling,
        initial_temperature=self.initial_temperature, name="latent")

  @property
  def temperature(self):
    """The Gumbel-softmax temperature variable (assigned by schedules)."""
    return self.latent.temperature

  def loss_terms(self, x, training=False):
    with self.latent.relaxed(bool(training)):
      terms = super().loss_terms(x, training=training)
    terms["temperature"] = tf.convert_to_tensor(self.latent.temperature)
    return terms
