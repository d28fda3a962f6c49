"""``full``: the configs' own training budgets, hundreds of epochs each.

IWAE k = 5000 over the whole test split where the model's bound is an importance-sampling
one (k = 1 for the relaxed-objective families and the LSTM baseline).
"""
MNIST_IDX = {"dataset.idx_dir": "{shared}/mnist"}
EVAL = dict(iwae_samples=5000, eval_examples=0, speed_steps=100)


def get_suite():
  return [
      dict(name="vae_diag", config="configs/vae_binarized_mnist.py", flops_batch=256,
           flops_target=0.4, **EVAL),
      dict(name="vae_warmup", config="configs/vae_warmup_binarized_mnist.py", **EVAL),
      dict(name="vae_full_cov", config="configs/vae_fullcov_binarized_mnist.py", **EVAL),
      dict(name="vae_planar10", config="configs/vae_planar10_binarized_mnist.py", **EVAL),
      dict(name="vae_planar80", config="configs/vae_planar80_binarized_mnist.py", **EVAL),
      dict(name="vae_iaf", config="configs/vae_iaf_binarized_mnist.py", **EVAL),
      dict(name="vrnn", config="configs/vrnn_seq_mnist.py", iwae_samples=100,
           eval_examples=0, speed_steps=20),
      dict(name="lstm_baseline", config="configs/lstm_seq_mnist.py", iwae_samples=1,
           eval_examples=0, speed_steps=20),
      dict(name="dvae", config="configs/dvae_binarized_mnist.py", iwae_samples=5000,
           eval_examples=0, speed_steps=20),
      dict(name="dvae_no_rbm", config="configs/dvae_binarized_mnist_no_rbm.py",
           iwae_samples=5000, eval_examples=0, speed_steps=20),
      dict(name="cp_vae_c10", config="configs/cp_vae_c10_mnist.py", overrides=MNIST_IDX,
           **EVAL),
      dict(name="vamp_prior_c10", config="configs/vp_c10_mnist.py", overrides=MNIST_IDX,
           **EVAL),
      dict(name="hvae", config="configs/hvae_mnist.py", overrides=MNIST_IDX, **EVAL),
      dict(name="gauss_vae_t1a", config="configs/gauss_vae_mnist_t1a.py", iwae_samples=1,
           eval_examples=0),
      dict(name="cat_vae_t08", config="configs/cat_vae_t08_mnist.py", iwae_samples=1,
           eval_examples=0),
      dict(name="cg_bpef_t08", config="configs/cg_bpef_t08_mnist.py", iwae_samples=1,
           eval_examples=0),
  ]
