"""Discrete VAE with an RBM prior (Rolfe 2016): smoothed RBM + continuous hierarchy.

Generative model (fig. 4b): z ~ RBM (eq. 6), zeta ~ r(zeta | z) (spike-and-exponential
by default, section 2.1), zz_1..M ~ p(zz_m | zeta, zz_{<m}) (section 4), x ~ Bernoulli
(decoder of [zeta, zz] or of the shared summary, linear by default as in the paper).
Approximating posterior: the hierarchical q(zeta, z | x) of section 3 (``dvae_posterior``),
then q(zz_m | x, zeta, zz_{<m}) (``dvae_hierarchy``).

Per example the bound is

    ELBO = E[log p(x | zeta, zz)] - KL_rbm - KL_smoothing - sum_m KL_m             (eq. 14)
    KL_rbm = E[sum_i h(q_i)] + E[E(z)] + log Z                        (app. F, eq. 24)

and log Z of the RBM is never computed in training: the gradient of KL_rbm is the paper's
(eq. 11-12: positive phase from q minus negative phase from persistent block-Gibbs chains,
advanced ``rbm_gibbs_steps`` sweeps every training step; F.1 entropy and F.4 / eq. 31
pairwise gradients for q, see ``tfvae.distributions.rbm_kl``).

Logged terms: ``elbo_plus_log_z`` is the exact single-sample bound *plus* log Z, so it is
comparable across steps of one model only while the RBM is fixed. ``elbo`` subtracts the
model's ``log_z`` variable: exact for a factorial RBM and for the "RBM removed" model,
otherwise the last estimate stored by ``estimate_log_partition`` (AIS or enumeration; 0
until then, in which case ``elbo == elbo_plus_log_z``). With ``log_z_refresh_every=n`` the
model asks the trainer (``training_callbacks()``) to re-estimate log Z before every n-th
validation, so ``val_elbo`` is a bound for the current RBM. ``loss`` has the value of the
warmed-up negative bound (plus log Z) and the gradient of the paper's estimator.

Warm-up (appendix H): the continuous KL terms are scaled by ``kl_weight`` and the RBM KL
by ``kl_weight * rbm_kl_weight``; schedules assign both (``config.train.schedules``).
The spike-and-exponential beta is trainable but capped by the ``beta_cap`` variable,
which a linear schedule raises with the epochs.

Under ``tf.distribute`` with R replicas (docs/distributed.md): the ``rbm_chains`` persistent
chains stay one set, identical on every replica; each replica advances its block of
``rbm_chains / R`` chains with its own seed and the blocks are gathered, so the negative
phase sees all chains as with one replica (``rbm_chains`` must be divisible by R). Batch
norms use global-batch statistics; ``log_z`` is refreshed by a callback outside the replicas.
"""
import math
from typing import Optional, Sequence

import keras
import tensorflow as tf

from tfvae import request_checks
from tfvae.distributions.rbm import BipartiteRBM
from tfvae.distributions.rbm_kl import rbm_kl_terms, with_gradient_of
from tfvae.distributions import rbm_partition
from tfvae.models.base import LatentVariableModel
from tfvae.models.discrete.dvae_hierarchy import ContinuousHierarchy
from tfvae.models.discrete.dvae_posterior import HierarchicalRBMPosterior
from tfvae.models.likelihoods import LikelihoodHead
from tfvae.nets.normalized_mlp import NormalizedMLP
from tfvae.registry import MODELS


@MODELS.register("discrete_vae")
class DiscreteVAE(LatentVariableModel):
  """Discrete VAE (section 5). ``rbm_sides=(0, 0)`` removes the RBM entirely.

  Ablations of appendix J by config: ``continuous_layers=0`` (no continuous layers),
  ``decoder_hidden=()`` (linear decoder), ``rbm_couplings=False`` (factorial RBM),
  ``posterior_groups=1`` (factorial posterior).

  ``continuous_scale``: standard deviation of the Gaussian layers from the networks'
  output u, ``"softplus"`` (softplus(u) + 1e-3) or ``"exp"`` (exp(u), u the
  log-standard deviation of section 5); see ``dvae_hierarchy``.
  """

  loss_term_names = ("loss", "elbo", "elbo_plus_log_z", "reconstruction", "kl",
                     "kl_rbm_minus_log_z", "kl_continuous", "kl_smoothing", "rbm_entropy",
                     "log_z", "beta", "posterior_on_fraction")

  def __init__(self, input_size: int, rbm_sides: Sequence[int] = (64, 64),
               rbm_couplings: bool = True, rbm_chains: int = 200, rbm_gibbs_steps: int = 20,
               rbm_rao_blackwell: bool = True, rbm_weight_scale: float = 0.01,
               posterior_groups: int = 4, posterior_hidden: Sequence[int] = (256, 256),
               posterior_logit_bounds: Optional[Sequence[float]] = (2.0, 3.0),
               smoothing: str = "spike_and_exponential", beta: float = 3.0,
               beta_trainable: bool = True, beta_cap: float = 3.0,
               smoothing_prior_loc: float = 0.0, smoothing_prior_scale: float = 1.0,
               continuous_layers: int = 2, continuous_dim: int = 32,
               continuous_posterior_hidden: Sequence[int] = (256,),
               prior_hidden: Sequence[int] = (128,), prior_sharing="none",
               continuous_scale: str = "softplus",
               decoder_hidden: Sequence[int] = (), likelihood: str = "bernoulli",
               activation: str = "relu", norm: str = "laplacian",
               sample_gibbs_steps: int = 1000, figure_gibbs_steps: int = 100,
               figure_chains: int = 4, figure_group: int = 5, log_z_refresh_every: int = 0,
               log_z_refresh=None, seed: int = 0, **kwargs):
    super().__init__(seed=seed, **kwargs)
    self.input_size = int(input_size)
    self.rbm_sides = tuple(int(s) for s in rbm_sides)
    self.num_rbm = sum(self.rbm_sides)
    self.sample_gibbs_steps = int(sample_gibbs_steps)
    self.figure_gibbs_steps = int(figure_gibbs_steps)
    self.figure_chains, self.figure_group = int(figure_chains), int(figure_group)
    self.log_z_refresh_every = int(log_z_refresh_every)
    self.log_z_refresh = dict(log_z_refresh or {"method": "auto"})
    if self.num_rbm:
      if len(self.rbm_sides) != 2 or min(self.rbm_sides) < 1:
        raise ValueError(f"rbm_sides must be two positive sizes or (0, 0), got {rbm_sides}")
      self.rbm = BipartiteRBM(*self.rbm_sides, num_chains=rbm_chains,
                              gibbs_steps=rbm_gibbs_steps, couplings=rbm_couplings,
                              rao_blackwell=rbm_rao_blackwell, weight_scale=rbm_weight_scale,
                              name="rbm")
      kw = ({"prior_loc": smoothing_prior_loc, "prior_scale": smoothing_prior_scale}
            if smoothing == "spike_and_gaussian" else {})
      self.posterior = HierarchicalRBMPosterior(
          self.num_rbm, posterior_groups, posterior_hidden, activation, norm,
          posterior_logit_bounds, smoothing, kw, name="rbm_posterior")
    else:
      self.rbm = None
      self.posterior = None
      if continuous_layers < 1:
        raise ValueError("a model without an RBM needs continuous_layers >= 1")
    #: RBM KL multiplier of the separate RBM warm-up (appendix H); schedules assign it.
    self.rbm_kl_weight = self.add_weight(shape=(), initializer="ones", trainable=False,
                                         dtype="float32", name="rbm_kl_weight")
    #: log Z estimate used by ``elbo`` and the IWAE weights (see module docstring).
    self.log_z = self.add_weight(shape=(), initializer="zeros", trainable=False,
                                 dtype="float32", name="log_z")
    #: upper bound of the trainable spike-and-exponential beta (grows with the epochs).
    self.beta_cap = self.add_weight(shape=(), initializer=keras.initializers.Constant(
        float(beta_cap)), trainable=False, dtype="float32", name="beta_cap")
    self.log_beta = self.add_weight(shape=(), initializer=keras.initializers.Constant(
        math.log(float(beta))), dtype="float32",
        trainable=bool(beta_trainable and self.num_rbm and smoothing == "spike_and_exponential"),
                                    name="log_beta")
    self.hierarchy = ContinuousHierarchy(
        continuous_layers, continuous_dim, self.num_rbm, continuous_posterior_hidden,
        prior_hidden, prior_sharing, activation, norm, scale=continuous_scale,
        name="hierarchy")
    self.decoder = NormalizedMLP(decoder_hidden, None, activation, norm, name="decoder")
    self.likelihood = LikelihoodHead(likelihood, self.input_size, name="likelihood")

  # ------------------------------------------------------------------ pieces
  @property
  def beta(self):
    return tf.minimum(tf.exp(self.log_beta), self.beta_cap)

  @property
  def exact_log_z_in_graph(self):
    """True when log Z is analytic (no RBM, or a factorial RBM)."""
    return self.rbm is None or not self.rbm.couplings

  def current_log_z(self):
    if self.rbm is None:
      return tf.constant(0.0)
    if not self.rbm.couplings:
      return self.rbm.log_partition_factorial()
    return tf.convert_to_tensor(self.log_z)

  def decode(self, zeta, zs, training=False):
    h = self.decoder(self.hierarchy.decoder_input(zeta, zs), training=training)
    return self.likelihood(h)

  def _encode(self, x, seed, training):
    """Posterior pass: dict with zeta, RBM posterior pieces, zz list, continuous KL."""
    seed_rbm, seed_cont = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
    x = tf.cast(x, tf.float32)
    batch = tf.shape(x)[0]
    if self.rbm is not None:
      post = self.posterior(x, seed_rbm, beta=self.beta, training=training)
      zeta = post["zeta"]
    else:
      post, zeta = None, tf.zeros([batch, 0])
    zs, kl_cont, log_ratio_cont = self.hierarchy.posterior(x, zeta, seed_cont, training)
    return post, zeta, zs, kl_cont, log_ratio_cont

  # ------------------------------------------------------------------- maths
  def loss_terms(self, x, training=False):
    seed = self.next_seed()
    seed_enc, seed_chain = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
    x = tf.cast(x, tf.float32)
    post, zeta, zs, kl_cont, _ = self._encode(x, seed_enc, training)
    reconstruction = tf.reduce_mean(self.decode(zeta, zs, training).log_prob(x))
    kl_cont = tf.reduce_mean(kl_cont)
    zero = tf.constant(0.0)
    if self.rbm is not None:
      if not self.rbm.couplings:
        negative = tf.sigmoid(self.rbm.bias)[None, :]  # exact E_p[z] when W = 0
      elif training:
        negative = self.rbm.negative_phase_state(self.rbm.advance_chains(seed_chain))
      else:
        negative = self.rbm.negative_phase_state()
      terms = rbm_kl_terms(self.rbm.w, self.rbm.b_left, self.rbm.b_right, post["logits"],
                           post["units"], self.posterior.groups, negative,
                           has_spike=self.posterior.has_spike)
      kl_rbm = tf.reduce_mean(terms["value"])
      kl_rbm_train = tf.reduce_mean(with_gradient_of(terms["value"], terms["surrogate"]))
      kl_smooth = tf.reduce_mean(post["extra_kl"])
      entropy = -tf.reduce_mean(terms["negative_entropy"])
      on = tf.reduce_mean(tf.sigmoid(post["logits"]))
    else:
      kl_rbm = kl_rbm_train = kl_smooth = entropy = on = zero
    log_z = self.current_log_z()
    elbo_plus_log_z = reconstruction - kl_rbm - kl_smooth - kl_cont
    warm = self.kl_weight
    loss = -(reconstruction - warm * (kl_cont + kl_smooth)
             - warm * self.rbm_kl_weight * kl_rbm_train)
    return {"loss": loss, "elbo": elbo_plus_log_z - log_z,
            "elbo_plus_log_z": elbo_plus_log_z, "reconstruction": reconstruction,
            "kl": kl_rbm + log_z + kl_smooth + kl_cont, "kl_rbm_minus_log_z": kl_rbm,
            "kl_continuous": kl_cont, "kl_smoothing": kl_smooth, "rbm_entropy": entropy,
            "log_z": log_z, "beta": self.beta if self.rbm is not None else zero,
            "posterior_on_fraction": on}

  def log_importance_weights(self, x, num_samples, seed):
    """log p(x, zeta, z, zz) - log q(zeta, z, zz | x) with log Z = ``current_log_z()``.

    r(zeta | z) cancels between q and p; the spike-and-Gaussian adds its slab log ratio.
    """
    x = tf.cast(x, tf.float32)
    batch = tf.shape(x)[0]
    x_rep = tf.tile(x, [num_samples, 1])
    post, zeta, zs, _, log_ratio = self._encode(x_rep, seed, training=False)
    log_w = self.decode(zeta, zs).log_prob(x_rep) + log_ratio
    if self.rbm is not None:
      z, logits = post["z"], post["logits"]
      log_q_z = tf.reduce_sum(z * logits - tf.nn.softplus(logits), -1)
      log_p_z = -self.rbm.energy(z) - self.current_log_z()
      log_w += log_p_z - log_q_z + post["slab_log_ratio"]
    return tf.reshape(log_w, [num_samples, batch])

  # ---------------------------------------------------------------- sampling
  def _decode_prior(self, z, seed):
    """Samples zeta ~ r(zeta|z), zz ~ p(zz|zeta) and decodes (leading axis = samples)."""
    seed_zeta, seed_cont, seed_x = tf.unstack(tf.random.experimental.stateless_split(seed, 3))
    num = tf.shape(z)[0]
    if self.rbm is not None:
      zeta = self.posterior.prior_smoothing(z, self.beta).sample(seed_zeta)
    else:
      zeta = tf.zeros([num, 0])
    zs = self.hierarchy.prior_sample(zeta, num, seed_cont)
    px = self.decode(zeta, zs)
    return {"probs": self.likelihood.mean(px), "samples": px.sample(seed=seed_x)}

  def sample_with_gibbs(self, num_samples, gibbs_steps, seed):
    """RBM states after ``gibbs_steps`` sweeps from a seeded random state, decoded."""
    seed_rbm, seed_dec = tf.unstack(tf.random.experimental.stateless_split(seed, 2))
    if self.rbm is not None:
      z = self.rbm.sample(num_samples, gibbs_steps, seed_rbm)
    else:
      z = tf.zeros([num_samples, 0])
    out = self._decode_prior(z, seed_dec)
    out["rbm_state"] = z
    return out

  def sample(self, num_samples, seed):
    out = self.sample_with_gibbs(num_samples, self.sample_gibbs_steps, seed)
    return {"probs": out["probs"], "samples": out["samples"]}

  def reconstruct(self, x):
    """Decoder mean at one posterior draw (fixed seed)."""
    post, zeta, zs, _, _ = self._encode(x, tf.constant([0, 0], tf.int32), training=False)
    del post
    return self.likelihood.mean(self.decode(zeta, zs))

  def sample_evolution(self, rows, seed, chains=None, group=None, gibbs_steps=None):
    """Figure 5: ``[rows, chains * group, D]`` decoder means. Each row advances the chains
    ``gibbs_steps`` block-Gibbs sweeps; each group of ``group`` images shares one RBM
    state and differs only in the continuous layers."""
    chains = chains or self.figure_chains
    group = group or self.figure_group
    steps = self.figure_gibbs_steps if gibbs_steps is None else gibbs_steps
    seed = tf.convert_to_tensor(seed, tf.int32)
    if self.rbm is not None:
      state = self.rbm.sample(chains, self.sample_gibbs_steps, seed)
    else:
      state = tf.zeros([chains, 0])
    images = []
    for r in range(rows):
      row_seed = tf.random.experimental.stateless_fold_in(seed, r + 1)
      if self.rbm is not None and r:
        state = self.rbm.gibbs(state, steps, row_seed)
      z = tf.repeat(state, group, axis=0)
      images.append(self._decode_prior(z, tf.random.experimental.stateless_fold_in(
          row_seed, 7))["probs"])
    return tf.stack(images)

  def write_samples_png(self, path, seed, image_shape=None, num_samples=64):
    """The sample-evolution figure (fig. 5): about ``num_samples`` images."""
    from tfvae.images import write_image_grid  # pylint: disable=g-import-not-at-top
    if image_shape is None:
      raise ValueError("DiscreteVAE needs an image_shape to draw samples")
    columns = self.figure_chains * self.figure_group
    rows = max(1, int(math.ceil(num_samples / columns)))
    images = self.sample_evolution(rows, [seed, 0]).numpy()
    return write_image_grid(path, images.reshape(rows * columns, -1), image_shape,
                            columns=columns)

  def serving_endpoints(self):
    """``sample(num_samples, gibbs_steps, seed)`` (serving_default) and ``reconstruct``."""
    def sample(num_samples, gibbs_steps, seed):
      num_samples = request_checks.positive(num_samples, "num_samples")
      gibbs_steps = request_checks.non_negative(gibbs_steps, "gibbs_steps")
      out = self.sample_with_gibbs(num_samples, gibbs_steps,
                                   tf.stack([seed, tf.constant(0, tf.int32)]))
      return {"probs": out["probs"], "samples": out["samples"],
              "rbm_state": out["rbm_state"]}

    def reconstruct(x):
      return {"probs": self.reconstruct(x)}

    return {
        "sample": (sample, [tf.TensorSpec([], tf.int32, name="num_samples"),
                            tf.TensorSpec([], tf.int32, name="gibbs_steps"),
                            tf.TensorSpec([], tf.int32, name="seed")]),
        "reconstruct": (reconstruct, [tf.TensorSpec([None, self.input_size], tf.float32,
                                                    name="x")]),
    }

  # ------------------------------------------------------------- evaluation
  def estimate_log_partition(self, method: str = "auto", seed=(0, 0), **kwargs) -> dict:
    """Estimates log Z of the RBM, stores it in ``log_z`` and returns it with its error.

    ``method``: ``"exact"`` (enumeration; a side of <= 20 units), ``"ais"``
    (``rbm_partition.ais_log_partition`` kwargs), ``"parallel_tempering"``, or ``"auto"``
    (exact when possible, else AIS). No RBM or a factorial RBM: exact, error 0.
    """
    if self.exact_log_z_in_graph:
      value = float(self.current_log_z().numpy())
      return {"log_z": value, "log_z_stderr": 0.0, "method": "analytic"}
    w, bl, br = (v.numpy() for v in (self.rbm.w, self.rbm.b_left, self.rbm.b_right))
    if method == "auto":
      method = "exact" if min(self.rbm_sides) <= 20 else "ais"
    if method == "exact":
      value, stderr = float(rbm_partition.exact_log_partition(w, bl, br).numpy()), 0.0
    elif method == "ais":
      est = rbm_partition.ais_log_partition(w, bl, br, seed=seed, **kwargs)
      value, stderr = est.log_z, est.stderr
    elif method == "parallel_tempering":
      est = rbm_partition.parallel_tempering_log_partition(w, bl, br, seed=seed, **kwargs)
      value, stderr = est.log_z, est.stderr
    else:
      raise ValueError(f"unknown log Z method {method!r}")
    self.log_z.assign(value)
    return {"log_z": value, "log_z_stderr": float(stderr), "method": method}

  def training_callbacks(self, splits=None):
    """Callbacks this model asks the trainer for: the periodic log Z refresh."""
    del splits  # not needed
    if not self.log_z_refresh_every or self.exact_log_z_in_graph:
      return []
    return [RefreshLogPartition(self.log_z_refresh_every, **self.log_z_refresh)]

  def prepare_evaluation(self, seed: int = 0, **kwargs) -> dict:
    """Hook for evaluators: refreshes ``log_z`` before IWAE; returns what it measured."""
    return self.estimate_log_partition(seed=(int(seed), 1), **kwargs)


class RefreshLogPartition(keras.callbacks.Callback):
  """Re-estimates the RBM's log Z before validation every ``every`` epochs.

  Validation then reports ``val_elbo`` with the log Z of the current RBM instead of a
  stale value (training-time ``elbo`` keeps the value of the last refresh). ``kwargs``
  go to ``DiscreteVAE.estimate_log_partition`` (e.g. method="ais", num_chains=100,
  num_temperatures=1000).
  """

  def __init__(self, every: int = 1, **kwargs):
    super().__init__()
    self.every = max(int(every), 1)
    self.kwargs = kwargs
    self._epoch = 0

  def on_epoch_begin(self, epoch, logs=None):
    self._epoch = epoch

  def on_test_begin(self, logs=None):
    if (self._epoch + 1) % self.every == 0:
      self.model.estimate_log_partition(seed=(self._epoch, 2), **self.kwargs)
