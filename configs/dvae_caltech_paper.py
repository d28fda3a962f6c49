"""Discrete VAE (Rolfe 2016) on Caltech-101 Silhouettes: the paper's architecture.

The data are not shipped: set --config.dataset.path to caltech101_silhouettes_28_split1.mat
(e.g. ../shared/data/caltech101_silhouettes/ in this project; ``invert=True``: ink = 1).
The quick, CPU-sized model is ``dvae_caltech.py``; this file is the appendix-H / table-2
model, as far as ``tfvae.models.discrete.discrete_vae`` supports it. Paper quotes are from
/work/shared/papers/discrete_vae_rolfe2016.md (arXiv:1609.02200).

Paper setting -> config (source):

* RBM: "RBMs have 128 units (64 units per side, with full bipartite connections between
  the two sides)" -> ``rbm_sides=(64, 64)``, ``rbm_couplings=True`` (app. H).
* Hierarchical posterior over the RBM: "with 4 layers of hierarchy in the approximating
  posterior" -> ``posterior_groups=4`` (app. H; sec. 3, eq. 10).
* Posterior networks: "All neural networks implementing components of the approximating
  posterior contain two hidden layers of 2000 units." -> ``posterior_hidden=(2000,
  2000)`` (the four RBM groups) and ``continuous_posterior_hidden=(2000, 2000)`` (the
  12 Gaussian layers) (app. H).
* Negative phase: "We use 100 iterations of block Gibbs sampling, with 20 persistent
  chains per element of the minibatch" -> ``rbm_gibbs_steps=100`` and
  ``rbm_chains = 20 * train.batch_size`` (app. H; sec. 5 "block Gibbs sampling on
  persistent Markov chains"). The model keeps one pool of ``rbm_chains`` chains, all
  advanced 100 sweeps per step, whose mean gives the negative phase of eq. 11; the pool
  is a ``FieldReference`` of ``train.batch_size``, so ``--config.train.batch_size=B``
  gives 20 * B chains (an explicit ``--config.model.rbm_chains`` wins).
  ``rbm_rao_blackwell=False``: the plain chain states, as in the paper (the
  implementation's Rao-Blackwellised statistics are an extra, off here).
* Table 2, "Caltech-101 Sil | 12 | 80 | 100 | complete" (num layers, vars per layer,
  hids per prior layer, param sharing) -> ``continuous_layers=12``,
  ``continuous_dim=80``, ``prior_hidden=(100,)`` ("all other neural networks in the
  prior have only one hidden layer", sec. 5), ``prior_sharing="complete"`` ("each
  p(z_m|z_{l<m}, theta) and p(x|z, theta) is a function of sum_{l<m} z_l ... all
  p(z_{m>=1}|z_{l<m}, theta) share parameters. The RBM layer z_0 is rendered compatible
  with this parameterization by using a trainable linear transformation of zeta,
  M * zeta", app. H): one prior network for all 12 layers; the decoder reads
  M zeta + sum_m zz_m.
* Linear p(x | z): "we use conditional distributions over the input p(x|zeta, theta)
  without any deterministic hidden layers, except on Omniglot" -> ``decoder_hidden=()``,
  ``likelihood="bernoulli"`` (sec. 5).
* Layers: "Each layer of the neural networks ... consists of a linear transformation,
  batch normalization ... (but see Appendix H.2), and a rectified-linear point-wise
  nonlinearity (ReLU)" -> ``activation="relu"``, ``norm="laplacian"`` (sec. 5, app. H.2).
* Constrained Laplacian batch norm: "For the approximating posterior over the RBM units,
  we bound 2 <= s <= 3, and -s <= o <= s" -> ``posterior_logit_bounds=(2.0, 3.0)``
  (app. H.2).
* Smoothing: "We use the spike-and-exponential transformation described in Section 2.1.
  The exponent is a trainable parameter, but it is bounded above by a value that
  increases linearly with the number of training epochs." ->
  ``smoothing="spike_and_exponential"``, ``beta_trainable=True`` and the
  ``beta_cap`` schedule, linear in the epoch (app. H).
* Warm-ups: "We use warm-up with strength 20 for 5 epochs, and additional warm-up of
  strength 2 on the RBM alone for 20 epochs" -> ``kl_weight`` 1/20 -> 1 over 5 epochs
  (all KL terms) and ``rbm_kl_weight`` 1/2 -> 1 over 20 epochs (the RBM KL is scaled by
  ``kl_weight * rbm_kl_weight``) (app. H).
* Optimizer: "We minimize the ELBO using ADAM (Kingma & Ba, 2015) with a decaying step
  size." -> Adam (the trainer's optimizer) with ``train.lr_schedule`` (sec. 5).
* Evaluation: "computed using the method of (Burda et al., 2016) with 10^4
  importance-weighted samples" -> ``eval.iwae_samples=10000`` (sec. 5); log Z by
  "bridge sampling ... sampled with a parallel tempering routine ... We make a
  conservative estimate for burn-in (0.5 of total run time)" ->
  ``eval.log_z.method="parallel_tempering"``, ``burn_in=0.5`` (app. H.1).
* Sample figure: "We perform 100 iterations of block-Gibbs sampling on the RBM between
  successive rows. Each horizontal group of 5 uses a single, shared sample from the
  RBM" -> ``figure_gibbs_steps=100``, ``figure_group=5`` (fig. 13).

Not given by the paper (choices of this config, not the paper's numbers):

* Batch size, epochs and the step-size schedule: the paper states none of them, and no
  public code of the paper was found. ``batch_size=100`` and about 10^6 optimizer steps
  (24,400 epochs of the 41 steps of the 4,100 training images: 1,000,400 steps) follow
  the defaults ``train_batchsize=100`` and ``num_train_iter=1e6`` of the public DVAE#
  code (github.com/QuadrantAI/dvae, Vahdat et al. 2018, which re-implements "DVAE (spike
  and exp)" as a baseline on MNIST and Omniglot, not Caltech; it is not this paper's
  code). This is the step budget of ``dvae_binarized_mnist_paper.py``, not its epochs:
  on this small training set the paper's 5- and 20-epoch warm-ups last 205 and 820
  steps. The DVAE# code's piecewise-constant step size (3e-3 with Adam epsilon 1e-3 and
  a 2 % warm start) is not copied: here Adam 1e-3 (the other configs' rate) decays
  exponentially to 1e-4 over the whole run (``lr_schedule`` kind ``exponential``).
* The beta bound: the paper gives neither its start nor its slope. beta starts at 2 and
  its bound rises linearly from 2 (epoch 0) to 12 (last epoch), as in
  ``dvae_binarized_mnist_paper.py``.
* Initial RBM couplings N(0, 0.01^2) (``rbm_weight_scale``), zero biases, chains started
  at the all-zero state; batch-norm epsilon 1e-3 and momentum 0.99 of the moving
  averages; the log-Z run lengths (``eval.log_z``): the paper says it chose "the total
  length of run, and number of repeated experiments, to achieve sufficient statistical
  accuracy" without numbers.
* ``train.epochs``, the bound's schedule and the step-size decay share
  ``FieldReference``s: ``--config.train.epochs=N`` stretches the decay and the bound's
  ramp to N epochs (the warm-ups keep the paper's 5 and 20 epochs).
* Speed settings: ``precision="mixed_bfloat16"`` (bfloat16 matmuls on AMX or
  AVX512-BF16 units) and ``jit_compile=False``, the fastest of float32 / bf16 with and
  without XLA on the 2-core CPU (docs/benchmarks.md, "The paper's architecture: train
  step on this CPU"), where XLA also slows the 100-sweep Gibbs loop alone
  (``tfvae-benchmark --micro=gibbs_loop --config=<this file>``). Variables, the RBM,
  its chains and every distribution stay float32.
* ``validation_every=10``, ``checkpoint_every=100``, ``sample_every=500`` and
  ``steps_per_execution=41`` (one epoch): a 41-step epoch is short, so per-epoch work
  is spread out (bookkeeping only).

Differences the implementation forces:

* Gaussian layers: "the neural networks output the mean and log-standard deviation of a
  diagonal-covariance Gaussian distribution using a linear final layer" (sec. 5). The
  model has that parameterization (``continuous_scale="exp"``, sigma = exp(u)), but with
  this implementation's initialisation (Glorot-uniform kernels, Laplacian batch norm) it
  overflows on the first real batch: sigma = exp(u) of layer m scales the sample that
  layer m + 1 reads, so the log-scales grow layer by layer (measured at initialisation,
  training mode, 100 validation images: in the Caltech config the largest u of layers
  1-4 is 4.4, 9.3, 51 and 89, layer 4 draws an infinite sample and every later layer is
  NaN; the MNIST config's loss is NaN too). This config therefore keeps
  ``continuous_scale="softplus"``: sigma = softplus(u) + 1e-3, finite at initialisation
  (MNIST config: median |zz| about 0.9, max about 13, in all 20 layers). The paper
  gives no initialisation that would tell how it avoided this.
* Posterior group order: the 128 RBM units are split, in the order [left side, right
  side], into 4 contiguous groups of 32 (groups 1-2 on the left side, 3-4 on the right);
  the paper does not say how its groups map onto the two sides.
* log Z (app. H.1): the paper uses Bennett's acceptance ratio with temperatures "chosen
  to approximately equalize replica exchange rates at 0.5"; the implementation's
  parallel tempering uses the geometric bridge between neighbouring temperatures and a
  fixed ``linear`` (or ``geometric``) ladder of betas.
* "The reported log-likelihoods for discrete VAEs are the average of 16 runs": one run
  per config here (vary ``train.seed``).

Size: 107,496,733 trainable parameters (RBM posterior 22,960,384; Gaussian posteriors
84,433,920; the shared prior network 24,460; M 10,240; decoder 63,504; RBM 4,224; beta
1). The Gaussian posterior networks dominate: q_m reads [x, zeta, zz_1..zz_{m-1}] (784 +
128 + 80 (m - 1) inputs) through 2000 + 2000 units. This needs a GPU; on a CPU, check it
with ``--config.train.batch_size=2 --config.train.steps_per_epoch=1
--config.train.epochs=1``.
"""
import ml_collections


def get_config():
  config = ml_collections.ConfigDict()
  batch_size = ml_collections.FieldReference(100)
  epochs = ml_collections.FieldReference(24400)
  learning_rate = ml_collections.FieldReference(1e-3)
  config.model = dict(
      name="discrete_vae", rbm_sides=(64, 64), rbm_couplings=True,
      rbm_chains=batch_size * 20, rbm_gibbs_steps=100, rbm_rao_blackwell=False,
      rbm_weight_scale=0.01, posterior_groups=4, posterior_hidden=(2000, 2000),
      posterior_logit_bounds=(2.0, 3.0), smoothing="spike_and_exponential", beta=2.0,
      beta_trainable=True, beta_cap=2.0, continuous_layers=12, continuous_dim=80,
      continuous_posterior_hidden=(2000, 2000), prior_hidden=(100,),
      prior_sharing="complete", continuous_scale="softplus", decoder_hidden=(),
      likelihood="bernoulli", activation="relu", norm="laplacian", sample_gibbs_steps=1000,
      figure_gibbs_steps=100, figure_chains=4, figure_group=5)
  config.dataset = dict(name="caltech101_silhouettes",
                        path="../shared/data/caltech101_silhouettes/"
                             "caltech101_silhouettes_28_split1.mat", invert=True)
  config.train = dict(
      batch_size=batch_size, epochs=epochs, learning_rate=learning_rate, clipnorm=0.0,
      seed=0, jit_compile=False, steps_per_execution=41, steps_per_epoch=0,
      precision="mixed_bfloat16", early_stopping_patience=0, checkpoint_every=100,
      sample_every=500, validation_every=10, eval_batch_size=1000, verbose=1,
      schedules={
          "kl_weight": dict(kind="linear", start=1.0 / 20, end=1.0, duration=5),
          "rbm_kl_weight": dict(kind="linear", start=1.0 / 2, end=1.0, duration=20),
          # beta <= beta_cap, which rises linearly with the epochs (appendix H).
          "beta_cap": dict(kind="linear", start=2.0, end=12.0, duration=epochs),
      },
      lr_schedule=dict(kind="exponential", start=learning_rate, end=1e-4,
                       duration=epochs, unit="epoch"))
  config.eval = dict(iwae_samples=10000, chunk_size=500, batch_size=20, seed=0,
                     log_z=dict(method="parallel_tempering", num_temperatures=100,
                                num_sweeps=20000, num_runs=16, burn_in=0.5))
  config.export = dict(enabled=True, name="dvae_caltech_paper", base_dir="")
  # Serving limits of the export (tfvae/export/limits.py, saved_models/README.md).
  config.export.max_num_samples = 10000
  config.export.max_gibbs_steps = 10000
  config.export.max_sample_steps = 10**6
  return config
