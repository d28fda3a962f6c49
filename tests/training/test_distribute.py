"""tf.distribute: 1 vs 2 replicas, replica state (seeds, chains, batch norm, q(c)), workers.

Two logical CPU devices must be configured before TensorFlow initialises its devices, which
other tests of the session have already done; so the MirroredStrategy checks run in one
child process (``python -m tests.training.test_distribute mirrored OUT.json``), started
together with the two MultiWorkerMirroredStrategy worker processes (``... worker WORKDIR``,
``TF_CONFIG`` on free localhost ports); the tests below read what they wrote.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import types

import numpy as np
import pytest

from tests.conftest import REPO_ROOT, tiny_vae_config

MIRRORED = {"strategy": "mirrored", "logical_cpus": 2}
CHILD_TIMEOUT_S = 300


# =========================================================== child processes
def _quiet():
  os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
  import warnings  # pylint: disable=g-import-not-at-top
  warnings.filterwarnings("ignore")


def _deterministic_model_class():
  """A noise-free LatentVariableModel (Dense -> Laplacian batch norm, squared error), so
  1- and 2-replica updates must agree to float rounding."""
  import keras  # pylint: disable=g-import-not-at-top
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  from tfvae.models.base import LatentVariableModel  # pylint: disable=g-import-not-at-top
  from tfvae.nets.laplacian_batch_norm import LaplacianBatchNorm  # pylint: disable=g-import-not-at-top

  class Deterministic(LatentVariableModel):
    loss_term_names = ("loss", "elbo")

    def __init__(self, **kwargs):
      super().__init__(**kwargs)
      self.dense = keras.layers.Dense(4, kernel_initializer=keras.initializers.RandomNormal(
          stddev=0.5, seed=3), bias_initializer="zeros")
      self.norm = LaplacianBatchNorm()

    def loss_terms(self, x, training=False):
      h = self.norm(self.dense(x), training=training)
      err = tf.reduce_mean(tf.reduce_sum(tf.square(h - (2.0 * x[:, :4] - 1.0)), -1))
      return {"loss": err, "elbo": -err}

  return Deterministic


def _step_losses_callback():
  import keras  # pylint: disable=g-import-not-at-top

  class StepLosses(keras.callbacks.Callback):
    """Per-step global-batch losses, recovered from Keras' running epoch means."""

    def __init__(self):
      super().__init__()
      self.losses, self._prev, self._t = [], 0.0, 0

    def on_epoch_begin(self, epoch, logs=None):
      self._prev, self._t = 0.0, 0

    def on_train_batch_end(self, batch, logs=None):
      self._t += 1
      mean = float(np.asarray(logs["loss"]).reshape(()))
      self.losses.append(self._t * mean - (self._t - 1) * self._prev)
      self._prev = mean

  return StepLosses()


def _vae_one_vs_two(tmp, out):
  """The tiny VAE config through the trainer on 1 and 2 replicas, global batch 50."""
  import keras  # pylint: disable=g-import-not-at-top
  from tfvae.training import distribute  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import train  # pylint: disable=g-import-not-at-top
  for name, dist in (("one", None), ("two", MIRRORED)):
    config = tiny_vae_config(epochs=2, steps_per_epoch=10, sample_every=0,
                             validation_every=1000)
    if dist:
      config.train.distribute = dist
    steps = _step_losses_callback()
    result = train(config, os.path.join(tmp, f"vae_{name}"), log=lambda *a: None,
                   extra_callbacks=[steps])
    opt = result.model.optimizer
    out[f"vae_{name}"] = {
        "losses": steps.losses,
        "replicas": result.model.distribute_strategy.num_replicas_in_sync,
        "m_sq": sum(float(np.sum(np.square(v.numpy()))) for v in opt.variables
                    if "momentum" in v.path),
        "v_sum": sum(float(np.sum(v.numpy())) for v in opt.variables if "velocity" in v.path),
        "divergence": distribute.replica_divergence(result.model,
                                                    result.model.distribute_strategy),
        "checkpoint": bool(result.checkpoint)}
    if name == "one":
      # MC noise of a global-batch loss at fixed weights: 40 fresh seeds on one batch.
      x = next(iter(result.splits.train_dataset(50, 0)))
      draws = [float(result.model.loss_terms(x)["loss"]) for _ in range(40)]
      out["vae_noise_sd"] = float(np.std(draws, ddof=1))
    keras.backend.clear_session()
  try:
    train(tiny_vae_config(batch_size=51, distribute=MIRRORED), os.path.join(tmp, "bad"),
          log=lambda *a: None)
    out["bad_batch_error"] = None
  except ValueError as e:
    out["bad_batch_error"] = str(e)


def _exact_updates(strategy, out):
  """Two SGD steps of the noise-free model on 1 and 2 replicas, without and with clipping."""
  import keras  # pylint: disable=g-import-not-at-top
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  from tfvae.training import distribute  # pylint: disable=g-import-not-at-top
  Deterministic = _deterministic_model_class()  # pylint: disable=invalid-name
  x = np.random.default_rng(0).random((16, 6)).astype(np.float32)
  for clip, loss_scale in ((0.0, False), (0.2, False), (0.2, True)):
    finals, grad_norms = {}, None
    for name, strat in (("one", tf.distribute.get_strategy()), ("two", strategy)):
      with strat.scope():
        model = Deterministic(seed=0)
        model(x[:8])
        optimizer = keras.optimizers.SGD(0.5, clipnorm=clip or None)
        if loss_scale:  # the mixed_float16 optimizer (here on a float32 model)
          optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
        model.compile(optimizer=optimizer, jit_compile=False)
      initial = [w.numpy() for w in model.trainable_weights]
      if name == "one":
        with tf.GradientTape() as tape:
          loss = model.loss_terms(x[:8], training=True)["loss"]
        grad_norms = [float(tf.norm(g)) for g in tape.gradient(loss, model.trainable_variables)]
      model.fit(tf.data.Dataset.from_tensor_slices(x).batch(8), epochs=1, verbose=0)
      finals[name] = [w.numpy() for w in model.trainable_weights]
      if name == "two":
        out.setdefault("exact_divergence", []).extend(
            distribute.replica_divergence(model, strategy))
    out[f"exact_clip_{clip}" + ("_loss_scale" if loss_scale else "")] = {
        "max_abs_diff": max(float(np.max(np.abs(a - b)))
                            for a, b in zip(finals["one"], finals["two"])),
        "max_update": max(float(np.max(np.abs(a - b)))
                          for a, b in zip(finals["one"], initial)),
        "grad_norms": grad_norms}


def _replica_seeds(strategy, out):
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  Deterministic = _deterministic_model_class()  # pylint: disable=invalid-name
  with strategy.scope():
    model = Deterministic(seed=7)
  draw = tf.function(lambda: strategy.run(model.next_seed))
  seeds = [[t.numpy().tolist() for t in strategy.experimental_local_results(draw())]
           for _ in range(2)]
  expected = [[tf.random.experimental.stateless_fold_in(
      tf.constant([7, k], tf.int32), r).numpy().tolist() for r in range(2)] for k in (1, 2)]
  counters = [int(c.numpy()) for c in strategy.experimental_local_results(
      model.seed_counter.value)]
  plain = Deterministic(seed=7).next_seed().numpy().tolist()  # default strategy
  out["seeds"] = {"drawn": seeds, "expected": expected, "counters": counters,
                  "one_replica": plain}


def _dvae(strategy, out):
  import keras  # pylint: disable=g-import-not-at-top
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  from tfvae.models.discrete.discrete_vae import DiscreteVAE  # pylint: disable=g-import-not-at-top
  from tfvae.training import distribute  # pylint: disable=g-import-not-at-top
  x = (np.random.default_rng(1).random((64, 16)) < 0.3).astype(np.float32)
  with strategy.scope():
    model = DiscreteVAE(16, rbm_sides=(3, 3), rbm_chains=64, rbm_gibbs_steps=2,
                        posterior_groups=2, posterior_hidden=(16,), continuous_layers=1,
                        continuous_dim=3, continuous_posterior_hidden=(16,),
                        prior_hidden=(8,), sample_gibbs_steps=20, seed=1)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), jit_compile=False)
    model(x[:16])
  history = model.fit(tf.data.Dataset.from_tensor_slices(x).batch(16), epochs=1, verbose=0)
  chains = model.rbm.chains.numpy()
  # One more advance by hand: replica r must have run its block with its own seed.
  seed = tf.constant([3, 4], tf.int32)
  advance = tf.function(lambda: strategy.run(
      lambda: model.rbm.advance_chains(distribute.fold_in_replica(seed))))
  returned = [t.numpy() for t in strategy.experimental_local_results(advance())]
  after = model.rbm.chains.numpy()
  expected = np.concatenate([model.rbm.gibbs(
      chains[32 * r:32 * (r + 1)], model.rbm.gibbs_steps,
      tf.random.experimental.stateless_fold_in(seed, r)).numpy() for r in range(2)])
  out["dvae"] = {
      "losses": {k: [float(v) for v in vals] for k, vals in history.history.items()},
      "chains_moved_per_block": [float(np.mean(chains[:32])), float(np.mean(chains[32:]))],
      "advance_matches_blocks": bool(np.array_equal(after, expected)),
      "advance_returns_full_state": all(np.array_equal(r, after) for r in returned),
      "blocks_differ": bool(not np.array_equal(after[:32], after[32:])),
      "divergence": distribute.replica_divergence(model, strategy)}


def _laplacian_norm(strategy, out):
  """Training-mode Laplacian batch norm over 2 replicas = over the whole batch on one."""
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  from tfvae.nets.laplacian_batch_norm import LaplacianBatchNorm  # pylint: disable=g-import-not-at-top
  x = (np.random.default_rng(2).standard_normal((8, 5)) * 3 + 1).astype(np.float32)
  single = LaplacianBatchNorm()
  y_single = single(x, training=True).numpy()
  with strategy.scope():
    layer = LaplacianBatchNorm()
    layer.build((None, 5))
  halves = strategy.experimental_distribute_values_from_function(
      lambda ctx: tf.constant(x[4 * ctx.replica_id_in_sync_group:][:4]))
  ys = tf.function(lambda d: strategy.run(lambda h: layer(h, training=True), args=(d,)))(
      halves)
  y_two = np.concatenate([t.numpy() for t in strategy.experimental_local_results(ys)])
  copies = [[c.numpy() for c in strategy.experimental_local_results(v.value)]
            for v in (layer.moving_mean, layer.moving_mad)]
  out["laplacian"] = {
      "output_diff": float(np.max(np.abs(y_two - y_single))),
      "moving_diff": max(float(np.max(np.abs(c - s.numpy())))
                         for cs, s in zip(copies, (single.moving_mean, single.moving_mad))
                         for c in cs)}


def _cp_vae(strategy, out):
  import keras  # pylint: disable=g-import-not-at-top
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  from tfvae.models.learned_priors.cp_vae import AggregatedPosteriorCallback, CPVAE  # pylint: disable=g-import-not-at-top
  from tfvae.training import distribute  # pylint: disable=g-import-not-at-top
  x = (np.random.default_rng(3).random((64, 12)) < 0.4).astype(np.float32)
  data = tf.data.Dataset.from_tensor_slices(x).batch(16)  # 4 steps, every example once
  with strategy.scope():
    keras.utils.set_random_seed(0)
    model = CPVAE(input_size=12, num_categories=3, latent_dim=2, hidden_sizes=(8,), seed=1)
    model.compile(optimizer=keras.optimizers.Adam(1e-2), jit_compile=False)
    model(x[:16])
  history = model.fit(data, epochs=1, verbose=0, callbacks=[AggregatedPosteriorCallback()])
  trained_qc = model.aggregated_posterior.numpy()

  probe = {}

  class Probe(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
      probe["count"] = float(model.category_prob_count.numpy())
      probe["sum"] = float(np.sum(model.category_prob_sum.numpy()))

  # Learning rate 0: the running q(c) of an epoch must equal the exact mean over the data.
  model.optimizer.learning_rate.assign(0.0)
  model.fit(data, epochs=1, verbose=0, callbacks=[Probe(), AggregatedPosteriorCallback()])
  exact = model.category_probs(x).numpy().mean(axis=0)
  out["cp_vae"] = {
      "losses": {k: [float(v) for v in vals] for k, vals in history.history.items()},
      "trained_qc_sum": float(trained_qc.sum()),
      "count": probe["count"], "prob_sum": probe["sum"],
      "running_vs_exact": float(np.max(np.abs(model.aggregated_posterior.numpy() - exact))),
      "divergence": distribute.replica_divergence(model, strategy)}


def _mirrored_child(out_path):
  _quiet()
  from tfvae.training import distribute  # pylint: disable=g-import-not-at-top
  # Splits the CPU in 2 before any TensorFlow op; the trainer gets this same strategy.
  strategy = distribute.make_strategy({"distribute": MIRRORED})
  assert strategy.num_replicas_in_sync == 2
  out = {}
  with tempfile.TemporaryDirectory() as tmp:
    for part in (lambda: _vae_one_vs_two(tmp, out), lambda: _exact_updates(strategy, out),
                 lambda: _replica_seeds(strategy, out), lambda: _dvae(strategy, out),
                 lambda: _laplacian_norm(strategy, out), lambda: _cp_vae(strategy, out)):
      part()
  with open(out_path, "w") as f:
    json.dump(out, f)


def _worker_child(workdir, out_path):
  """One MultiWorkerMirroredStrategy worker: what tfvae-train does, export on the chief."""
  _quiet()
  from tfvae.export.sampler import export_sampler  # pylint: disable=g-import-not-at-top
  from tfvae.training.trainer import train  # pylint: disable=g-import-not-at-top
  config = tiny_vae_config(epochs=1, steps_per_epoch=3, sample_every=0, validation_every=1000,
                           distribute={"strategy": "multi_worker"})
  config.export.base_dir = os.path.join(workdir, "saved_models")
  result = train(config, workdir, log=print)
  export = None
  if result.is_chief and not result.stopped_on_nan:
    export = export_sampler(result.model, config.export.base_dir, config.export.name)
  weights = [v.numpy() for v in result.model.weights]
  with open(out_path, "w") as f:
    json.dump({"is_chief": result.is_chief, "checkpoint": result.checkpoint,
               "export": export, "loss": result.history.get("loss"),
               "weights_sum": float(sum(np.sum(w, dtype=np.float64) for w in weights
                                        if w.dtype.kind == "f")),
               "replicas": result.model.distribute_strategy.num_replicas_in_sync}, f)


def main(argv):
  if argv[0] == "mirrored":
    _mirrored_child(argv[1])
  elif argv[0] == "worker":
    _worker_child(argv[1], argv[2])
  else:
    raise SystemExit(f"unknown child {argv[0]!r}")


# ================================================================= fixtures
def _free_ports(n):
  sockets = [socket.socket() for _ in range(n)]
  for s in sockets:
    s.bind(("localhost", 0))
  ports = [s.getsockname()[1] for s in sockets]
  for s in sockets:
    s.close()
  return ports


def _spawn(args, env=None):
  env = dict(os.environ if env is None else env)
  env["PYTHONPATH"] = REPO_ROOT + os.pathsep + env.get("PYTHONPATH", "")
  env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
  return subprocess.Popen([sys.executable, "-m", "tests.training.test_distribute", *args],
                          cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)


def _wait(proc, what):
  try:
    output, _ = proc.communicate(timeout=CHILD_TIMEOUT_S)
  except subprocess.TimeoutExpired:
    proc.kill()
    output, _ = proc.communicate()
  if proc.returncode:
    raise AssertionError(f"{what} failed (exit {proc.returncode}):\n{output[-4000:]}")
  return output


@pytest.fixture(scope="module")
def children(tmp_path_factory):
  """Runs the mirrored child and two multi-worker workers at the same time."""
  tmp = tmp_path_factory.mktemp("distribute")
  workdir = str(tmp / "multi_worker")
  temp_root = str(tmp / "worker_tmp")
  os.makedirs(temp_root)
  ports = _free_ports(2)
  cluster = {"worker": [f"localhost:{p}" for p in ports]}
  procs = {"mirrored": _spawn(["mirrored", str(tmp / "mirrored.json")])}
  for i in range(2):
    env = dict(os.environ, TMPDIR=temp_root, TF_CONFIG=json.dumps(
        {"cluster": cluster, "task": {"type": "worker", "index": i}}))
    procs[f"worker{i}"] = _spawn(["worker", workdir, str(tmp / f"worker{i}.json")], env)
  outputs = {name: _wait(proc, name) for name, proc in procs.items()}
  results = {}
  for name in procs:
    with open(tmp / f"{name}.json") as f:
      results[name] = json.load(f)
  results["workdir"], results["temp_root"], results["outputs"] = workdir, temp_root, outputs
  return results


# ============================================================ in-process tests
def test_absent_key_is_the_default_strategy():
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  from tfvae.training import distribute  # pylint: disable=g-import-not-at-top
  strategy = distribute.make_strategy(tiny_vae_config().train)
  assert strategy is tf.distribute.get_strategy()
  assert strategy.num_replicas_in_sync == 1
  assert distribute.per_replica_batch(50, strategy) == 50
  assert distribute.is_chief(strategy)
  assert distribute.make_strategy(tiny_vae_config(distribute="default").train) is strategy


@pytest.mark.parametrize("settings, message", [
    ({"strategy": "horovod"}, "must be one of"),
    ({"strategy": "mirrored", "replicas": 2}, "unknown train.distribute key"),
    ({"strategy": "multi_worker", "devices": ("/cpu:0",)}, "'mirrored' only"),
    ({"strategy": "mirrored", "communication": "mpi"}, "communication must be"),
])
def test_bad_settings_are_rejected(settings, message):
  from tfvae.training import distribute  # pylint: disable=g-import-not-at-top
  with pytest.raises(ValueError, match=message):
    distribute.make_strategy(tiny_vae_config(distribute=settings).train)


def test_global_batch_must_divide_over_replicas():
  from tfvae.training import distribute  # pylint: disable=g-import-not-at-top
  three = types.SimpleNamespace(num_replicas_in_sync=3)
  assert distribute.per_replica_batch(99, three) == 33
  with pytest.raises(ValueError, match="divisible by the 3 replicas"):
    distribute.per_replica_batch(100, three)


def test_eval_batch_leaving_a_replica_empty_is_a_clear_error():
  """A last validation batch smaller than R gives one replica an empty batch (NaN val_*)."""
  from tfvae.training import distribute  # pylint: disable=g-import-not-at-top
  two = types.SimpleNamespace(num_replicas_in_sync=2)
  distribute.check_eval_batches(10000, 2000, two)
  distribute.check_eval_batches(10002, 1000, two)  # last batch of 2: one each
  distribute.check_eval_batches(10001, 1000, types.SimpleNamespace(num_replicas_in_sync=1))
  with pytest.raises(ValueError, match="last batch of 1"):
    distribute.check_eval_batches(10001, 1000, two)


# ========================================================== mirrored (child)
def test_same_loss_curve_on_one_and_two_replicas(children):
  """Same config, global batch 50, same data order: the per-step losses differ only by
  the Monte Carlo noise (each replica draws its own z). The difference of two independent
  estimates of a global-batch loss has sd sqrt(2)*sd_B, sd_B measured at fixed weights;
  every step must stay within 5 sd and the 20-step mean within 4 sd/sqrt(20) (plus 0.3
  nats of drift, allowed for the noise-driven difference of the two trajectories)."""
  one, two = children["mirrored"]["vae_one"], children["mirrored"]["vae_two"]
  assert (one["replicas"], two["replicas"]) == (1, 2)
  assert one["checkpoint"] and two["checkpoint"] and two["divergence"] == []
  a, b = np.array(one["losses"]), np.array(two["losses"])
  assert a.shape == b.shape == (20,)
  sd = np.sqrt(2.0) * children["mirrored"]["vae_noise_sd"]
  assert 0 < sd < 20
  assert a[-1] < a[0] - 30 and b[-1] < b[0] - 30  # both curves actually descend
  assert np.max(np.abs(a - b)) < 5 * sd, (a - b, sd)
  assert abs(np.mean(a - b)) < 4 * sd / np.sqrt(len(a)) + 0.3, (np.mean(a - b), sd)


def test_gradients_are_not_double_counted(children):
  """Adam hides a scale of the gradient from the loss curve, not from its moments: with
  the gradients of 2 replicas summed without the 1/R, m would be 2x and v 4x."""
  one, two = children["mirrored"]["vae_one"], children["mirrored"]["vae_two"]
  v_ratio, m_ratio = two["v_sum"] / one["v_sum"], np.sqrt(two["m_sq"] / one["m_sq"])
  assert 0.75 < v_ratio < 1.33, v_ratio
  assert 0.8 < m_ratio < 1.25, m_ratio


def test_update_equals_single_replica_update(children):
  """Noise-free model (incl. Laplacian batch norm): 2 SGD steps on 2 replicas = on 1, to
  float rounding (the weights move by ~0.1-1, so a doubled or halved step, or clipping
  each replica's half instead of the global gradient, would show); with clipnorm 0.2 below
  the kernel's gradient norm too, also through a (dynamic) loss-scale optimizer."""
  out = children["mirrored"]
  for case in ("0.0", "0.2", "0.2_loss_scale"):
    result = out[f"exact_clip_{case}"]
    assert result["max_abs_diff"] < 1e-5 and result["max_update"] > 0.05, (case, result)
  assert max(out["exact_clip_0.2"]["grad_norms"]) > 2 * 0.2  # clipping is active
  assert out["exact_divergence"] == []


def test_each_replica_draws_its_own_reproducible_noise(children):
  seeds = children["mirrored"]["seeds"]
  assert seeds["drawn"] == seeds["expected"]  # fold_in((seed, counter), replica id)
  for per_replica in seeds["drawn"]:
    assert per_replica[0] != per_replica[1]
  assert seeds["counters"] == [2, 2]  # one counter, advanced once per call
  assert seeds["one_replica"] == [7, 1]  # unchanged without replication


def test_batch_not_divisible_by_replicas_is_a_clear_error(children):
  message = children["mirrored"]["bad_batch_error"]
  assert message and "train.batch_size=51" in message and "2 replicas" in message


def test_dvae_persistent_chains_under_two_replicas(children):
  dvae = children["mirrored"]["dvae"]
  assert all(np.isfinite(v).all() for v in dvae["losses"].values())
  assert min(dvae["chains_moved_per_block"]) > 0  # both blocks left the all-zero start
  assert dvae["advance_matches_blocks"]  # block r = Gibbs(block r, fold_in(seed, r))
  assert dvae["advance_returns_full_state"] and dvae["blocks_differ"]
  assert dvae["divergence"] == []  # chains, batch-norm statistics, counters


def test_laplacian_batch_norm_uses_global_batch_statistics(children):
  result = children["mirrored"]["laplacian"]
  assert result["output_diff"] < 1e-5 and result["moving_diff"] < 1e-6


def test_cp_vae_aggregated_posterior_under_two_replicas(children):
  cp = children["mirrored"]["cp_vae"]
  assert all(np.isfinite(v).all() for v in cp["losses"].values())
  assert abs(cp["trained_qc_sum"] - 1) < 1e-5
  assert cp["count"] == 64  # every example of both replicas, counted once
  assert abs(cp["prob_sum"] - 64) < 1e-3
  assert cp["running_vs_exact"] < 1e-5
  assert cp["divergence"] == []


# ==================================================== multi-worker (children)
def test_multi_worker_two_processes(children):
  chief, worker = children["worker0"], children["worker1"]
  assert chief["replicas"] == worker["replicas"] == 2
  assert chief["is_chief"] and not worker["is_chief"]
  assert chief["loss"] == worker["loss"] and np.isfinite(chief["loss"]).all()
  assert chief["weights_sum"] == worker["weights_sum"]  # synchronous replicas
  workdir = children["workdir"]
  assert chief["checkpoint"].startswith(os.path.join(workdir, "checkpoints"))
  assert worker["checkpoint"] is None and worker["export"] is None
  assert chief["export"] == os.path.join(workdir, "saved_models", "tiny_vae", "1")
  assert os.listdir(os.path.join(workdir, "saved_models", "tiny_vae")) == ["1"]
  assert sorted(os.listdir(os.path.join(workdir, "checkpoints"))) == [
      "checkpoint", "ckpt-1.data-00000-of-00001", "ckpt-1.index"]
  # The worker wrote into a temporary folder (TMPDIR) and deleted it.
  assert "non-chief worker writing to " + children["temp_root"] in children["outputs"][
      "worker1"]
  assert not [d for d in os.listdir(children["temp_root"]) if d.startswith("tfvae-")]
  import tensorflow as tf  # pylint: disable=g-import-not-at-top
  loaded = tf.saved_model.load(chief["export"])
  out = loaded.signatures["serving_default"](num_samples=tf.constant(2),
                                             seed=tf.constant(1))
  assert out["probs"].shape == (2, 784)


if __name__ == "__main__":
  main(sys.argv[1:])
