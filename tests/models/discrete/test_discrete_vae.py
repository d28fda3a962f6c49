"""Discrete VAE: bound consistency, IWAE, persistent chains, ablations, export, figure."""
import keras
import numpy as np
import pytest
import tensorflow as tf

from tfvae.models.discrete.discrete_vae import DiscreteVAE

D = 16


def _data(n=8, seed=0):
  rng = np.random.default_rng(seed)
  return (rng.random((n, D)) < 0.3).astype(np.float32)


def _tiny(**kwargs):
  settings = dict(rbm_sides=(3, 3), rbm_chains=64, rbm_gibbs_steps=2, posterior_groups=2,
                  posterior_hidden=(16,), continuous_layers=1, continuous_dim=3,
                  continuous_posterior_hidden=(16,), prior_hidden=(8,),
                  sample_gibbs_steps=20, figure_gibbs_steps=3, figure_chains=2,
                  figure_group=3, seed=1)
  settings.update(kwargs)
  model = DiscreteVAE(D, **settings)
  model.compile(optimizer=keras.optimizers.Adam(1e-2), jit_compile=False)
  model(_data())
  # Non-trivial RBM and posterior so that every term matters.
  rng = np.random.default_rng(2)
  if model.rbm is not None:
    if model.rbm.couplings:
      model.rbm.w.assign(rng.normal(0, 1.0, model.rbm.w.shape).astype(np.float32))
    model.rbm.b_left.assign(rng.normal(0, 1.0, model.rbm.b_left.shape).astype(np.float32))
    model.rbm.b_right.assign(rng.normal(0, 1.0, model.rbm.b_right.shape).astype(np.float32))
  return model


def _eager_step(model, x):
  """The base ``train_step`` run eagerly (tracing this model costs far more than a step)."""
  with tf.GradientTape() as tape:
    terms = model.loss_terms(tf.constant(x), training=True)
  variables = model.trainable_variables
  grads = tape.gradient(terms["loss"], variables)
  assert all(g is not None for g in grads), [v.path for v, g in zip(variables, grads) if g is None]
  model.optimizer.apply(grads, variables)
  return {k: float(v) for k, v in terms.items()}


@pytest.mark.parametrize("settings", [
    {}, {"smoothing": "mixture_of_ramps"}, {"smoothing": "spike_and_gaussian"},
    {"rbm_sides": (0, 0), "continuous_layers": 2}, {"prior_sharing": "complete",
                                                    "continuous_layers": 2},
    {"continuous_scale": "exp", "prior_sharing": 2, "continuous_layers": 2}])
def test_elbo_terms_agree_with_mean_log_importance_weight(settings):
  """loss_terms (analytic entropies, z_hat, Gaussian KLs) and log w (sampled z, log-density
  ratios) are two unbiased estimators of the same ELBO; with exact log Z they must agree."""
  model = _tiny(**settings)
  model.estimate_log_partition("exact")
  x = _data()
  reps = 250
  chunks = [model.loss_terms(tf.tile(x, [reps, 1]))["elbo"].numpy() for _ in range(8)]
  log_w = model.log_importance_weights(x, 2000, tf.constant([5, 6])).numpy()
  a, se_a = np.mean(chunks), np.std(chunks, ddof=1) / np.sqrt(len(chunks))
  b, se_b = log_w.mean(), log_w.std() / np.sqrt(log_w.size)
  assert abs(a - b) < 5 * np.hypot(se_a, se_b) + 0.02, (a, b, se_a, se_b)
  # IWAE: L_k (averaged over disjoint blocks of k samples) increases with k.
  def iwae(k):
    blocks = log_w.reshape(-1, k, log_w.shape[1])
    top = blocks.max(1, keepdims=True)
    return np.mean(np.log(np.mean(np.exp(blocks - top), 1)) + top[:, 0])
  assert b < iwae(10) < iwae(200)


def test_persistent_chains_advance_only_in_training():
  model = _tiny()
  x = _data()
  before = model.rbm.chains.numpy().copy()
  model.loss_terms(x, training=False)
  np.testing.assert_array_equal(before, model.rbm.chains.numpy())
  w_before = model.rbm.w.numpy().copy()
  _eager_step(model, x)
  assert not np.array_equal(before, model.rbm.chains.numpy())
  assert not np.allclose(w_before, model.rbm.w.numpy())


def test_log_z_bookkeeping():
  model = _tiny()
  terms = model.loss_terms(_data())
  np.testing.assert_allclose(terms["elbo"].numpy(), terms["elbo_plus_log_z"].numpy())
  info = model.estimate_log_partition("exact")
  terms = model.loss_terms(_data())
  np.testing.assert_allclose(terms["elbo_plus_log_z"] - terms["elbo"], info["log_z"],
                             rtol=1e-5)
  ais = model.estimate_log_partition("ais", num_chains=200, num_temperatures=300)
  assert abs(ais["log_z"] - info["log_z"]) < 4 * ais["log_z_stderr"] + 1e-3
  factorial = _tiny(rbm_couplings=False)
  terms = factorial.loss_terms(_data())
  bias = np.concatenate([factorial.rbm.b_left.numpy(), factorial.rbm.b_right.numpy()])
  np.testing.assert_allclose(terms["log_z"].numpy(), np.logaddexp(0, bias).sum(), rtol=1e-5)
  assert factorial.estimate_log_partition()["method"] == "analytic"


@pytest.mark.parametrize("settings", [
    {"continuous_layers": 0}, {"continuous_layers": 0, "decoder_hidden": (8,)},
    {"rbm_couplings": False}, {"posterior_groups": 1}, {"rbm_sides": (0, 0)},
    {"prior_sharing": 1, "continuous_layers": 3}, {"smoothing": "spike_and_slab"}])
def test_ablations_train(settings):
  model = _tiny(**settings)
  logs = [_eager_step(model, _data(32, s)) for s in range(3)]
  assert all(np.isfinite(v) for v in logs[-1].values())
  if settings.get("rbm_sides") == (0, 0):
    assert model.rbm is None and logs[-1]["kl_rbm_minus_log_z"] == 0.0


def test_warm_up_weights_scale_the_kl():
  model = _tiny()
  x = _data()
  model.kl_weight.assign(0.0)
  terms = model.loss_terms(x)
  np.testing.assert_allclose(terms["loss"].numpy(), -terms["reconstruction"].numpy(), rtol=1e-5)
  model.kl_weight.assign(1.0)
  model.rbm_kl_weight.assign(0.0)
  terms = model.loss_terms(x)
  np.testing.assert_allclose(
      terms["loss"].numpy(),
      -(terms["reconstruction"] - terms["kl_continuous"] - terms["kl_smoothing"]).numpy(),
      rtol=1e-5)
  model.beta_cap.assign(1.5)
  assert model.loss_terms(x)["beta"].numpy() <= 1.5 + 1e-6


def test_loss_and_gradients_compile_with_xla():
  model = _tiny(rbm_chains=16, posterior_hidden=(8,), continuous_posterior_hidden=(8,))

  @tf.function(jit_compile=True)
  def step(x):
    with tf.GradientTape() as tape:
      loss = model.loss_terms(x, training=True)["loss"]
    return loss, tape.gradient(loss, model.trainable_variables)

  loss, grads = step(tf.constant(_data()))
  assert np.isfinite(loss.numpy()) and all(np.all(np.isfinite(g.numpy())) for g in grads)


def test_export_sample_signature_is_seeded(tmp_path):
  from tfvae.export.sampler import export_sampler
  model = _tiny()
  path = export_sampler(model, str(tmp_path), "dvae")
  loaded = tf.saved_model.load(path)
  fn = loaded.signatures["serving_default"]
  a = fn(num_samples=tf.constant(4), gibbs_steps=tf.constant(5), seed=tf.constant(3))
  b = fn(num_samples=tf.constant(4), gibbs_steps=tf.constant(5), seed=tf.constant(3))
  c = fn(num_samples=tf.constant(4), gibbs_steps=tf.constant(5), seed=tf.constant(4))
  np.testing.assert_array_equal(a["probs"].numpy(), b["probs"].numpy())
  assert not np.array_equal(a["probs"].numpy(), c["probs"].numpy())
  direct = model.sample_with_gibbs(4, 5, tf.constant([3, 0]))
  np.testing.assert_allclose(a["probs"].numpy(), direct["probs"].numpy(), rtol=1e-5)
  assert a["rbm_state"].shape == (4, 6)
  assert "reconstruct" in loaded.signatures


def test_sample_evolution_png(tmp_path):
  model = _tiny()
  path = model.write_samples_png(str(tmp_path / "evo.png"), seed=1, image_shape=(4, 4, 1),
                                 num_samples=12)
  image = tf.io.decode_png(tf.io.read_file(path)).numpy()
  columns = model.figure_chains * model.figure_group  # 6
  rows = 2
  assert image.shape == (rows * 5 + 1, columns * 5 + 1, 1)
  evo = model.sample_evolution(3, [1, 0]).numpy()
  assert evo.shape == (3, columns, D)
  # Within a group the RBM state is shared, so images differ only through the
  # continuous layers; with no continuous layers they are identical up to zeta noise.
  assert np.all(np.isfinite(evo))


def test_continuous_scale_is_exp_of_the_log_standard_deviation():
  """``continuous_scale="exp"``: the networks' second output half is log sigma (section 5);
  the default is softplus + 1e-3. The choice survives ``get_config``."""
  from tfvae.models.discrete.dvae_hierarchy import _gaussian_params  # pylint: disable=g-import-not-at-top
  out = tf.constant([[0.5, -1.0, 2.0, -3.0]])
  loc, scale = _gaussian_params(out, 1e-3, "exp")
  np.testing.assert_allclose(loc.numpy(), [[0.5, -1.0]])
  np.testing.assert_allclose(scale.numpy(), np.exp([[2.0, -3.0]]), rtol=1e-6)
  _, scale = _gaussian_params(out, 1e-3)
  np.testing.assert_allclose(scale.numpy(), np.logaddexp(0, [[2.0, -3.0]]) + 1e-3, rtol=1e-6)
  model = _tiny(continuous_scale="exp")
  assert model.hierarchy.scale_kind == "exp"
  assert DiscreteVAE.from_config(model.get_config()).hierarchy.scale_kind == "exp"
  assert _tiny().hierarchy.scale_kind == "softplus"


def test_bad_settings():
  with pytest.raises(ValueError, match="continuous scale"):
    DiscreteVAE(D, continuous_scale="log")
  with pytest.raises(ValueError, match="rbm_sides"):
    DiscreteVAE(D, rbm_sides=(3,))
  with pytest.raises(ValueError, match="continuous_layers"):
    DiscreteVAE(D, rbm_sides=(0, 0), continuous_layers=0)


def test_checkpoint_keeps_non_trainable_state(tmp_path):
  """Batch-norm statistics, persistent chains and log Z survive a tf.train checkpoint."""
  from tfvae.training.checkpoints import Checkpointer
  model = _tiny()
  _eager_step(model, _data(32))
  model.log_z.assign(3.5)
  ckpt = Checkpointer(str(tmp_path), model)
  path = ckpt.save(1)
  key = lambda v: v.path.split("/", 1)[1]
  state = {key(v): v.numpy().copy() for v in model.non_trainable_variables}
  assert any("moving_mad" in p for p in state) and any("chains" in p for p in state)
  other = _tiny()
  other.optimizer.build(other.trainable_variables)
  Checkpointer(str(tmp_path), other).restore(path)
  for v in other.non_trainable_variables:
    np.testing.assert_array_equal(v.numpy(), state[key(v)], err_msg=v.path)
