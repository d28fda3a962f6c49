"""One tiny config per registered model family, for tests that run every family.

``FAMILIES`` maps a family name (the registry name, or ``gaussian_vae_<posterior>`` for the
four posteriors of the Gaussian VAE) to a function returning its ``ml_collections``
config: the keys of the real config in ``configs/`` with the smallest nets, batch 8 and
datasets available offline (embedded binarized MNIST, the shipped architectures, the toy;
the stroke families read ``../shared/data/strokes`` beside the repo).

``build_family(name, precision)`` builds it exactly as the trainer does
(``tfvae.training.trainer.build``); ``endpoint_inputs`` makes valid inputs for any
serving signature of a built model.
"""
import json
import os
from unittest import mock

import ml_collections
import numpy as np
import tensorflow as tf

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHEEP = os.path.join(os.path.dirname(REPO_ROOT), "shared", "data", "strokes",
                     "aaron_sheep_flat.npz")
BATCH = 8

_MNIST = dict(name="binarized_mnist")
_SEQ_MNIST = dict(name="seq_mnist", source="binarized_mnist", binarize="none", idx_dir="")
_SHEEP = dict(name="strokes", path=SHEEP, max_length=8, normalize="scale", long="truncate")
_TOY = dict(name="toy_two_gaussians", num_train=400, num_valid=100, num_test=100, seed=0)
_ARCHITECTURES = dict(name="architectures", max_length=8, train_stride=8,
                      sources=("applications",), num_random=0, random_seed=0)

# Recurrent families: one tiny VRNN / LSTM body; `while` loops keep trace time flat.
_RNN = dict(rnn_units=8, num_layers=1, activation="relu", loop="while")
_VRNN = dict(_RNN, latent_dim=2, phi_x_sizes=(8,), phi_z_sizes=(8,), prior_sizes=(8,),
             encoder_sizes=(8,), decoder_sizes=(8,), kl_discount=1.0)
_GATED = dict(latent_dim=3, hidden_sizes=(8,), likelihood="bernoulli", min_scale=1e-4)
_PSEUDO = dict(pseudo_inputs_mean=0.05, pseudo_inputs_stddev=0.01,
               pseudo_inputs_range=(0.0, 1.0))
_MULTISAMPLE = dict(latent_dim=3, network="mlp", hidden_sizes=(8,), activation="relu",
                    likelihood="bernoulli", num_latent_samples=1)

MODELS = {
    "gaussian_vae_diag": (dict(name="gaussian_vae", latent_dim=3, hidden_sizes=(8,),
                               activation="relu", likelihood="bernoulli", posterior="diag",
                               posterior_kwargs={}), _MNIST),
    "gaussian_vae_full_cov": (dict(name="gaussian_vae", latent_dim=3, hidden_sizes=(8,),
                                   activation="relu", likelihood="bernoulli",
                                   posterior="full_cov", posterior_kwargs={}), _MNIST),
    "gaussian_vae_planar": (dict(name="gaussian_vae", latent_dim=3, hidden_sizes=(8,),
                                 activation="relu", likelihood="bernoulli", posterior="planar",
                                 posterior_kwargs=dict(num_flows=2, amortized=True)), _MNIST),
    "gaussian_vae_iaf": (dict(name="gaussian_vae", latent_dim=3, hidden_sizes=(8,),
                              activation="relu", likelihood="bernoulli", posterior="iaf",
                              posterior_kwargs=dict(num_steps=2, context_size=3,
                                                    hidden_sizes=(8,), activation="elu",
                                                    gate_bias=1.0)), _MNIST),
    "sequence_vae": (dict(name="sequence_vae", latent_dim=3, encoder_units=8,
                          encoder_hidden_sizes=(), decoder_hidden_sizes=(8,), decoder_units=8,
                          activation="relu", feature_likelihood="sigmoid", feature_stddev=0.1,
                          posterior="diag", posterior_kwargs={}, unroll=False),
                     _ARCHITECTURES),
    "vrnn": (dict(_VRNN, name="vrnn", output="pen_gmm", num_components=2), _SHEEP),
    "lstm_baseline": (dict(_RNN, name="lstm_baseline", output="bernoulli", num_components=1,
                           input_sizes=(8,), output_sizes=(8,), num_layers=2), _SEQ_MNIST),
    "gmvrnn_gumbel": (dict(_VRNN, name="gmvrnn_gumbel", output="pen_gmm", num_components=2,
                           latent_components=2, sampling="relaxed",
                           initial_temperature=1.0), _SHEEP),
    "gmvrnn_variational": (dict(_VRNN, name="gmvrnn_variational", output="pen_gmm",
                                num_components=2, w_dim=2, latent_components=2,
                                num_samples=1, gm_sizes=(8,), kl_estimator="eq19"),
                           _SHEEP),
    "discrete_vae": (dict(name="discrete_vae", rbm_sides=(3, 3), rbm_couplings=True,
                          rbm_chains=8, rbm_gibbs_steps=2, rbm_rao_blackwell=True,
                          rbm_weight_scale=0.01, posterior_groups=2, posterior_hidden=(8,),
                          posterior_logit_bounds=(2.0, 3.0),
                          smoothing="spike_and_exponential", beta=2.0, beta_trainable=True,
                          beta_cap=2.0, continuous_layers=1, continuous_dim=3,
                          continuous_posterior_hidden=(8,), prior_hidden=(8,),
                          prior_sharing="none", decoder_hidden=(), likelihood="bernoulli",
                          activation="relu", norm="laplacian", sample_gibbs_steps=5,
                          figure_gibbs_steps=2, figure_chains=2, figure_group=2), _MNIST),
    "cp_vae": (dict(name="cp_vae", num_categories=2, latent_dim=2, hidden_sizes=(8,),
                    likelihood="gaussian", temperature=0.5, generation_prior="aggregated",
                    prior_init_stddev=1.0, min_scale=1e-4, warm_up_categorical_kl=True),
               _TOY),
    "gated_vae": (dict(_GATED, name="gated_vae"), _MNIST),
    "mog_prior_vae": (dict(_GATED, name="mog_prior_vae", num_components=3,
                           prior_init_stddev=1.0), _MNIST),
    "vamp_prior_vae": (dict(_GATED, **_PSEUDO, name="vamp_prior_vae", num_pseudo_inputs=3),
                       _MNIST),
    "hvae": (dict(_GATED, name="hvae", top_latent_dim=2), _MNIST),
    "hvae_vamp_prior": (dict(_GATED, **_PSEUDO, name="hvae_vamp_prior", top_latent_dim=2,
                             num_pseudo_inputs=3), _MNIST),
    "cg_bpef_vae": (dict(_MULTISAMPLE, name="cg_bpef_vae", order=3, grid_points=11,
                         temperature=1.0, learn_prior=True), _MNIST),
    "cat_vae": (dict(_MULTISAMPLE, name="cat_vae", num_categories=3, temperature=1.0),
                _MNIST),
    "gauss_vae_baseline": (dict(_MULTISAMPLE, name="gauss_vae_baseline"), _MNIST),
}
NAMES = tuple(MODELS)


def family_config(name: str, precision: str = "float32") -> ml_collections.ConfigDict:
  """The tiny config of family ``name`` (trainer keys as in ``configs/``)."""
  model, dataset = MODELS[name]
  config = ml_collections.ConfigDict()
  config.model = dict(model)
  config.dataset = dict(dataset)
  config.train = dict(
      batch_size=BATCH, epochs=1, learning_rate=1e-3, clipnorm=0.0, seed=0,
      jit_compile=False, steps_per_execution=1, steps_per_epoch=3, precision=precision,
      early_stopping_patience=0, checkpoint_every=1, sample_every=0, validation_every=1,
      eval_batch_size=BATCH, verbose=0, schedules={}, lr_schedule={})
  config.eval = dict(iwae_samples=2, chunk_size=2, batch_size=BATCH, seed=0)
  config.export = dict(enabled=True, name=name, base_dir="saved_models")
  return config


_SPLITS = {}


def _cached_load_dataset(dataset_config):
  """``load_dataset`` once per dataset config (the splits are only read)."""
  from tfvae.data import load_dataset  # pylint: disable=g-import-not-at-top
  key = json.dumps(dict(dataset_config), sort_keys=True, default=list)
  if key not in _SPLITS:
    _SPLITS[key] = load_dataset(dataset_config)
  return _SPLITS[key]


def build_family(name: str, precision: str = "float32", compile_model: bool = True):
  """``(config, splits, model)`` built and compiled by the trainer's own ``build``
  (policy, seeds, model, likelihood check, compile, first call), each dataset loaded once.
  """
  from tfvae.training import trainer  # pylint: disable=g-import-not-at-top
  config = family_config(name, precision)
  with mock.patch.object(trainer, "load_dataset", _cached_load_dataset):
    splits, model = trainer.build(config, compile_model=compile_model)
  return config, splits, model


_BATCHES = {}


def train_batches(splits, num_batches: int, seed: int = 0):
  """The first ``num_batches`` training batches of epoch 0 (what ``fit`` would see)."""
  key = (id(splits), seed)
  if len(_BATCHES.get(key, ())) < num_batches:
    stream = splits.train_dataset(BATCH, seed, 0)
    _BATCHES[key] = [batch for _, batch in zip(range(num_batches), stream)]
  return _BATCHES[key][:num_batches]


#: Values of the int32 scalar inputs of the serving signatures.
SCALARS = {"num_samples": 2, "seed": 5, "length": 4, "category": 1, "gibbs_steps": 2}


def endpoint_inputs(splits, signature, batch: int = 2) -> dict:
  """``{input name: numpy array}`` valid for a list of named ``tf.TensorSpec``.

  Scalars take ``SCALARS``; data inputs (``x``, ``prefix``, ``prefix_mask``) come from
  the first ``batch`` validation examples (sequences cut to 3 steps for priming).
  """
  data = next(iter(splits.eval_dataset("valid", batch)))
  x = np.asarray(data["x"] if isinstance(data, dict) else data)
  values = {}
  for spec in signature:
    name, dtype = spec.name, spec.dtype.as_numpy_dtype
    if name in SCALARS:
      values[name] = np.array(SCALARS[name], dtype)
    elif name == "x":
      values[name] = x.astype(dtype)
    elif name == "prefix":
      values[name] = x[:, :3].astype(dtype)
    elif name == "prefix_mask":
      values[name] = np.asarray(data["mask"])[:, :3].astype(dtype)
    else:
      raise KeyError(f"no example value for serving input {name!r}")
    if not spec.shape.is_compatible_with(values[name].shape):
      raise ValueError(f"example {name} {values[name].shape} does not fit {spec}")
  return values


def call_endpoint(fn, inputs: dict) -> dict:
  """Runs a serving endpoint eagerly on numpy ``inputs``: ``{output: numpy array}``.

  A ``tf.function`` endpoint runs its Python function (no trace: tracing the recurrent
  samplers costs seconds; the export traces them anyway).
  """
  fn = getattr(fn, "python_function", fn)
  outputs = fn(**{k: tf.constant(v) for k, v in inputs.items()})
  return {k: v.numpy() for k, v in outputs.items()}
