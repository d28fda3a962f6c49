"""``quick``: every family for a few hundred steps, minutes in all.

A smoke-level regression check of loss, speed and memory, not a result: 3 short epochs
(the first compiles; the median of the other two is the speed). Speed windows are at
least ~1 s for the fast MLP models (shorter ones are noise). ``speed_target`` is the
examples/s that the config's train step should reach at batch 100 (tuned settings, an
idle machine); ``flops_target`` the fraction of the fp32 matmul peak at ``flops_batch``.
"""
MNIST_IDX = {"dataset.idx_dir": "{shared}/mnist"}
SHORT = {"train.epochs": 3, "train.steps_per_epoch": 100, "train.sample_every": 0,
         "train.validation_every": 3, "export.enabled": False, "train.verbose": 0}
SHORT_SEQ = dict(SHORT, **{"train.steps_per_epoch": 20})
EVAL_SEQ = {"eval.chunk_size": 20}


def _quick(name, config, extra=None, **settings):
  return dict(name=name, config=config, overrides=dict(SHORT, **(extra or {})), **settings)


def get_suite():
  return [
      _quick("vae_diag", "configs/vae_binarized_mnist.py", flops_batch=256,
             flops_target=0.4, speed_steps=500, speed_target=22000),
      _quick("vae_full_cov", "configs/vae_fullcov_binarized_mnist.py", speed_steps=300),
      _quick("vae_planar10", "configs/vae_planar10_binarized_mnist.py", speed_steps=300,
             speed_target=15000),
      _quick("vae_iaf", "configs/vae_iaf_binarized_mnist.py", speed_steps=300,
             speed_target=15000),
      _quick("sequence_vae", "configs/sequence_vae_architectures.py",
             dict(SHORT_SEQ, **{"eval.chunk_size": 50}), iwae_samples=50,
             eval_examples=256, speed_steps=20),
      _quick("vrnn", "configs/vrnn_seq_mnist.py", dict(SHORT_SEQ, **EVAL_SEQ),
             iwae_samples=20, eval_examples=200, speed_steps=10),
      _quick("lstm_baseline", "configs/lstm_seq_mnist.py", dict(SHORT_SEQ, **EVAL_SEQ),
             iwae_samples=1, eval_examples=200, speed_steps=10),
      _quick("gmvrnn_gumbel", "configs/gmvrnn_gumbel_seq_mnist.py",
             dict(SHORT_SEQ, **EVAL_SEQ), iwae_samples=20, eval_examples=200,
             speed_steps=10),
      _quick("gmvrnn_variational", "configs/gmvrnn_variational_seq_mnist.py",
             dict(SHORT_SEQ, **EVAL_SEQ), iwae_samples=20, eval_examples=200,
             speed_steps=10),
      _quick("dvae", "configs/dvae_binarized_mnist.py",
             {"train.steps_per_epoch": 50, "eval.batch_size": 100,
              "eval.log_z": {"method": "ais", "num_chains": 100,
                             "num_temperatures": 1000}},
             iwae_samples=100, eval_examples=500, speed_steps=20),
      _quick("cp_vae_c10", "configs/cp_vae_c10_mnist.py", MNIST_IDX, speed_steps=100),
      _quick("vamp_prior_c10", "configs/vp_c10_mnist.py", MNIST_IDX, speed_steps=100),
      # The VampPrior speed target is for 500 pseudo-inputs.
      _quick("vamp_prior_500", "configs/vp_c10_mnist.py",
             dict(MNIST_IDX, **{"model.num_pseudo_inputs": 500}), speed_steps=100,
             speed_target=4500),
      _quick("hvae", "configs/hvae_mnist.py", MNIST_IDX, speed_steps=100),
      _quick("gauss_vae_t1a", "configs/gauss_vae_mnist_t1a.py", speed_steps=200),
      _quick("cat_vae_t05", "configs/cat_vae_t05_mnist.py", iwae_samples=1),
      _quick("cg_bpef_t05", "configs/cg_bpef_t05_mnist.py", iwae_samples=1),
  ]
