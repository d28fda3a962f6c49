"""Base class of every latent-variable model: a ``keras.Model`` with its own steps.

A subclass implements one method, ``loss_terms(x, training)``, returning a dict of
named scalar tensors (batch means). Two names are required:

* ``loss``  the objective that the optimizer minimises (may include beta, free bits...);
* ``elbo``  the true evidence lower bound per example (beta = 1, no clamping), so the
  logged bound is comparable across regularisers.

Every other entry (``reconstruction``, ``kl``, posterior statistics, ...) becomes a
``keras.metrics.Mean`` tracker with the same name, so ``fit`` logs, TensorBoard and the
benchmark all read one dict. Subclasses list their names in ``loss_term_names``.

Randomness is explicit: ``next_seed()`` returns a stateless ``int32[2]`` seed derived from
the model's ``seed`` and a non-trainable step counter that lives in the checkpoint, so a
resumed run draws exactly the noise an uninterrupted one would have drawn.

Under ``tf.distribute`` (``tfvae.replicas``, ``docs/distributed.md``) the counter
is ONLY_FIRST_REPLICA (one value on every replica, advanced once per call) and the seed
folds in the replica id, so replicas draw different, reproducible noise. ``train_step``
minimises the batch-mean loss / R because Keras' optimizer sums the replicas' gradients:
the update equals the single-replica update at equal global batch.
"""
import inspect

import keras
import numpy as np
import tensorflow as tf
from keras.src.backend import AutocastScope  # no public alias in Keras 3

from tfvae import random_ops
from tfvae import request_checks
from tfvae import replicas


def _plain(value):
  """A constructor argument as plain JSON-able Python (a ``.keras`` file's config is
  JSON): ConfigDicts and dicts to dicts, tuples to lists, numpy values to Python."""
  if hasattr(value, "to_dict"):  # ml_collections.ConfigDict
    value = value.to_dict()
  if isinstance(value, dict):
    return {str(k): _plain(v) for k, v in value.items()}
  if isinstance(value, (list, tuple)):
    return [_plain(v) for v in value]
  if isinstance(value, np.ndarray):
    return value.tolist()
  if isinstance(value, np.generic):
    return value.item()
  return value


def _ones(shape):
  """A float32 batch of ones of a saved build shape (``None`` dimensions as 1)."""
  return tf.ones([1 if d is None else int(d) for d in shape], tf.float32)


class LatentVariableModel(keras.Model):
  """Keras model whose ``train_step``/``test_step`` optimise ``loss_terms``.

  ``model.save("m.keras")`` / ``keras.models.load_model`` round-trip every family: the
  file holds the constructor arguments (``get_config``, recorded when the model is made)
  and the weights; loading rebuilds the family, calls it once on the saved input shape
  to create every layer, then reads the weights (``tfvae.load_model`` imports the
  families first).
  """

  #: names of the scalars returned by ``loss_terms`` (subclasses extend this).
  loss_term_names = ("loss", "elbo", "reconstruction", "kl")
  #: Size K of the model's one categorical latent c (CP-VAE's categories, the components
  #: of a mixture or VampPrior prior), or None: then ``category_probs`` raises.
  num_categories = None
  #: q(c) of a model that keeps an aggregated posterior over c (CP-VAE), or None.
  aggregated_posterior = None

  def __init_subclass__(cls, **kwargs):
    """Registers every family for ``keras.models.load_model`` as ``tfvae>ClassName``."""
    super().__init_subclass__(**kwargs)
    if f"tfvae>{cls.__name__}" not in keras.saving.get_custom_objects():
      keras.saving.register_keras_serializable(package="tfvae")(cls)

  def __new__(cls, *args, **kwargs):
    """Records the constructor arguments for ``get_config``: every keyword argument of
    the family's ``__init__`` chain, its default where not given."""
    instance = super().__new__(cls, *args, **kwargs)
    arguments = {}
    for klass in reversed(cls.__mro__):  # base first: a subclass's default wins
      if isinstance(klass, type) and issubclass(klass, LatentVariableModel):
        for p in inspect.signature(klass.__init__).parameters.values():
          if p.name != "self" and p.default is not p.empty and p.kind not in (
              p.VAR_POSITIONAL, p.VAR_KEYWORD):
            arguments[p.name] = p.default
    try:
      bound = inspect.signature(cls.__init__).bind(None, *args, **kwargs).arguments
    except TypeError:  # __init__ itself raises the clear error
      bound = {}
    parameters = inspect.signature(cls.__init__).parameters
    for name, value in list(bound.items())[1:]:
      if parameters[name].kind == inspect.Parameter.VAR_KEYWORD:
        arguments.update(value)
      else:
        arguments[name] = value
    instance._constructor_arguments = _plain(arguments)  # pylint: disable=protected-access
    return instance

  def __init__(self, seed: int = 0, **kwargs):
    super().__init__(**kwargs)
    self.seed = int(seed)
    self.seed_counter = self.add_weight(
        shape=(), dtype="int64", initializer="zeros", trainable=False,
        aggregation="only_first_replica", name="seed_counter")
    #: KL weight beta of the training objective; schedules assign to it.
    self.kl_weight = self.add_weight(
        shape=(), dtype="float32", initializer="ones", trainable=False,
        name="kl_weight")
    self._trackers = [keras.metrics.Mean(name=n) for n in self.loss_term_names]

  # ---------------------------------------------------------------- randomness
  def next_seed(self) -> tf.Tensor:
    """A fresh stateless seed ``int32[2]``; advances the checkpointed counter.

    Inside a replica of R > 1 the seed also folds in the replica id.
    """
    count = self.seed_counter.assign_add(1)
    return replicas.fold_in_replica(
        tf.stack([tf.constant(self.seed % (2**31 - 1), tf.int32),
                  tf.cast(count % (2**31 - 1), tf.int32)]))

  # ------------------------------------------------------------ to implement
  def loss_terms(self, x, training: bool = False):
    """Returns ``{name: scalar}`` with at least ``loss`` and ``elbo``."""
    raise NotImplementedError

  def log_importance_weights(self, x, num_samples: int, seed):
    """``log p(x, z_s) - log q(z_s | x)`` for ``num_samples`` draws: ``[S, batch]``.

    The IWAE bound (Burda et al. 2016) is ``logmeanexp`` over the first axis.
    """
    raise NotImplementedError

  def sample(self, num_samples, seed):
    """Ancestral samples: dict with ``probs`` (decoder mean) and ``samples``."""
    raise NotImplementedError

  # ------------------------------------------------------- serving / figures
  def serving_endpoints(self):
    """``{name: (fn, input_signature)}`` exported as SavedModel signatures.

    Default (models with ``sample`` and ``reconstruct`` over flat inputs):
    ``sample(num_samples: int32[], seed: int32[]) -> {probs, samples}`` and
    ``reconstruct(x: float32[None, input_size]) -> {probs}``. The first entry becomes
    ``serving_default``. Sampling is stateless: the same seed gives the same output.
    """
    def sample(num_samples, seed):
      num_samples = request_checks.positive(num_samples, "num_samples")
      return self.sample(num_samples, tf.stack([seed, tf.constant(0, tf.int32)]))

    endpoints = {"sample": (sample, [tf.TensorSpec([], tf.int32, name="num_samples"),
                                     tf.TensorSpec([], tf.int32, name="seed")])}
    if self.has_capability("reconstruct") and self.input_size:
      def reconstruct(x):
        return {"probs": self.reconstruct(x)}
      endpoints["reconstruct"] = (
          reconstruct, [tf.TensorSpec([None, self.input_size], tf.float32, name="x")])
    return endpoints

  def write_samples_png(self, path: str, seed: int, image_shape=None,
                        num_samples: int = 64) -> str:
    """Writes a grid of decoder means of ``num_samples`` prior samples to ``path``."""
    from tfvae.images import write_image_grid  # pylint: disable=g-import-not-at-top
    if image_shape is None:
      raise ValueError(f"{type(self).__name__} needs an image_shape to draw samples")
    out = self.sample(num_samples, tf.constant([seed, 0], tf.int32))
    return write_image_grid(path, out["probs"].numpy(), image_shape)

  # ------------------------------------------------- optional capabilities
  # What a family may add, each with the default its callers get otherwise
  # (docs/model_contract.md lists the whole contract).
  #: Flat input size of models over vectors (the ``reconstruct`` signature's width);
  #: None for sequence inputs.
  input_size = None
  #: Longest training sequence of a sequence model (the serving limit scales it); None
  #: for models of fixed-size inputs.
  max_length = None

  @classmethod
  def has_capability(cls, method: str) -> bool:
    """Whether the family overrides the optional ``method`` of this base class (the
    default of which refuses or returns None)."""
    return getattr(cls, method) is not getattr(LatentVariableModel, method)

  def reconstruct(self, x):
    """Decoder mean given a posterior draw for each input (``model.predict``, the
    ``reconstruct`` serving signature). Default: refuses."""
    del x
    raise NotImplementedError(
        f"{type(self).__name__} has no reconstruct(); use model.sample(n, seed) for "
        "samples or model.evaluate(x) for the loss terms")

  def posterior_moments(self, x):
    """``(mean, stddev)`` of q(z | x), each ``[batch, latent_dim]``, for models with one
    continuous posterior: the active-unit count and mean posterior scale logged each
    epoch. Default: None (no such posterior)."""
    del x
    return None

  def prepare_evaluation(self, seed: int = 0, **kwargs) -> dict:
    """Before an evaluation, brings derived state up to date (the DVAE estimates its
    RBM's log Z) and returns what it measured for the report. Default: nothing to do."""
    del seed, kwargs
    return {}

  def training_callbacks(self, splits=None) -> list:
    """Keras callbacks the model needs while it trains; they run before checkpointing,
    so what they update is saved (CP-VAE's q(c) refresh, the DVAE's log Z). Default:
    none."""
    del splits
    return []

  def diagnostic_callbacks(self, splits, workdir: str) -> list:
    """Callbacks that write figures or TensorBoard panels from the data and the workdir
    (latent histograms, prior densities). Default: none."""
    del splits, workdir
    return []

  def category_probs(self, x):
    """q(c | x) ``[batch, num_categories]`` of a model with a categorical latent
    (``num_categories`` set): cluster accuracy, per-category figures. Default: none."""
    del x
    raise ValueError(f"{type(self).__name__} has no categorical latent (num_categories "
                     "is None)")

  def update_aggregated_posterior(self, data, batch_size: int = 1000):
    """Recomputes q(c) from ``data`` and returns it, for models that keep one
    (``aggregated_posterior``). Default: None, nothing to refresh."""
    del data, batch_size
    return None

  def describe_samples(self, samples):
    """One line of text per sample of ``sample()`` (what a PNG cannot show, e.g. a
    sequence's tokens), or None. Default: None."""
    del samples
    return None

  # ---------------------------------------------------------- serialization
  def get_config(self):
    """The constructor arguments the model was made with (what ``from_config`` takes)
    and its name (so that the reloaded weights keep their paths)."""
    return dict(self._constructor_arguments, name=self.name)

  @classmethod
  def from_config(cls, config):
    return cls(**config)

  def build(self, input_shape=None):
    """Sublayers are built by the first call (``model(x)``), whose tensors fix their
    sizes; Keras' default would trace ``call`` symbolically and warn about unbuilt
    state."""
    del input_shape
    self.built = True

  def build_from_config(self, config):
    """Before ``load_model`` reads the weights: one call on a batch of ones of the saved
    input shape (a tensor or a dict of them) creates every layer, as the trainer's first
    call does (the weights read afterwards overwrite whatever the call changed)."""
    shape = config.get("input_shape")
    if shape is None:
      return
    self(({k: _ones(v) for k, v in shape.items()} if isinstance(shape, dict)
          else _ones(shape)))

  # ------------------------------------------------------------- keras steps
  @property
  def metrics(self):
    return list(self._trackers)

  @staticmethod
  def _inputs(data):
    if isinstance(data, (tuple, list)):
      return data[0]
    return data

  def _update_trackers(self, terms, x):
    """Adds the batch means in ``terms`` to the running means, each weighted by the
    batch's size: a split that the batch size does not divide then averages to the
    exact per-example mean (an unweighted mean of batch means over-weights the short
    last batch)."""
    missing = [n for n in self.loss_term_names if n not in terms]
    if missing:
      raise KeyError(f"{type(self).__name__}.loss_terms did not return {missing}")
    batch_size = tf.cast(tf.shape(tf.nest.flatten(x)[0])[0], tf.float32)
    for tracker in self._trackers:
      tracker.update_state(terms[tracker.name], sample_weight=batch_size)
    # Keras averages these over the replicas (shape [1] across workers, see step_logs).
    return replicas.step_logs({t.name: t.result() for t in self._trackers})

  def train_step(self, data):
    # TFP's samplers draw with an explicit algorithm: fast under XLA (random_ops).
    with random_ops.explicit_algorithm():
      return self._train_step(data)

  def _train_step(self, data):
    x = self._inputs(data)
    with tf.GradientTape() as tape:
      terms = self.loss_terms(x, training=True)
      # Under mixed_float16 the optimizer is a LossScaleOptimizer; scale_loss is
      # the identity otherwise. With R replicas the optimizer sums their gradients,
      # hence the 1/R (identity with one replica).
      scaled = self.optimizer.scale_loss(
          replicas.scale_loss_for_replicas(terms["loss"]))
    variables = self.trainable_variables
    grads = replicas.gradients_for_apply(tape.gradient(scaled, variables),
                                           self.optimizer)
    self.optimizer.apply(grads, variables)
    return self._update_trackers(terms, x)

  def test_step(self, data):
    with random_ops.explicit_algorithm():
      x = self._inputs(data)
      terms = self.loss_terms(x, training=False)
      return self._update_trackers(terms, x)

  def predict_step(self, data):
    """``model.predict(x)``: reconstructions (the model's ``reconstruct``: the decoder
    mean given the posterior), not the loss terms; models without one refuse clearly."""
    return self.reconstruct(self._inputs(data))

  def export(self, filepath, format="tf_saved_model", **kwargs):  # pylint: disable=redefined-builtin
    """Keras' ``model.export`` would serve ``call`` (the loss terms); the SavedModel of a
    latent-variable model is its sampler: use ``tfvae.export_sampler``."""
    del format, kwargs
    raise NotImplementedError(
        f"{type(self).__name__}.export({filepath!r}) would serve the training loss "
        "terms; write the sampler signatures (sample, reconstruct, ...) with "
        "tfvae.export_sampler(model, base_dir, name) or tfvae-export instead")

  @property
  def input_dtype(self):
    """Keras casts ``call`` inputs to this: the data as given (float32), not the policy's
    compute dtype (a mixed-precision model's networks cast their own inputs)."""
    return "float32"

  def call(self, x, training=False):
    """Runs the model once (builds every layer); returns the loss-term dict.

    Computes what ``train_step`` computes under any precision policy: Keras wraps a
    mixed-precision model's ``call`` in an autocast scope (float variables read as
    float16/bfloat16), but the model body reads its variables and builds distributions in
    float32, so that scope is cleared here; each network still opens its own.
    """
    if self.compute_dtype == self.variable_dtype:  # float32: Keras opened no scope
      return self.loss_terms(x, training=training)
    with AutocastScope(None):
      return self.loss_terms(x, training=training)
