"""``vrnn_report``: the VRNN report's sequential-MNIST protocol (section 4.2), every
model at a quarter of the report's widths.

The report's sizes (``configs/*_seq_mnist_report.py``: VRNN 2 x 1500 LSTM with 300-unit
networks; LSTM baseline 2 x 2000 with 500-unit MLPs) do not train in about 10 hours on
the 2-CPU machine (docs/benchmarks.md, section 3c, has the measured step); every width
is divided by 4 here (about 1/16 of the weights). Everything else is the report's: grayscale rows with a Gaussian
output, batch 100, 60k iterations (LSTM 40k) with the learning-rate steps, no warm-up.
Test: the whole test split, IWAE k = 100 for the latent-variable models (the LSTM's
likelihood is exact), each paired with the LSTM on the same images.
"""
MNIST_IDX = {"dataset.idx_dir": "{shared}/mnist"}
BUDGET = dict(MNIST_IDX, **{"train.sample_every": 10, "export.enabled": False,
                            "train.verbose": 0, "eval.chunk_size": 20,
                            "eval.batch_size": 100})
QUARTER_MLP = (75, 75)
QUARTER_VRNN = {"model.rnn_units": 375, "model.phi_x_sizes": QUARTER_MLP,
                "model.phi_z_sizes": QUARTER_MLP, "model.prior_sizes": QUARTER_MLP,
                "model.encoder_sizes": QUARTER_MLP, "model.decoder_sizes": QUARTER_MLP}
QUARTER_LSTM = {"model.rnn_units": 500, "model.input_sizes": (125, 500),
                "model.output_sizes": (125,)}
EVAL = dict(iwae_samples=100, eval_examples=0, speed_steps=0, report_terms=("kl",))


def _latent(name, config, extra=None):
  overrides = dict(BUDGET, **QUARTER_VRNN, **(extra or {}))
  return dict(name=name, config=config, overrides=overrides, paired_with="lstm", **EVAL)


def get_suite():
  return [
      _latent("vrnn", "configs/vrnn_seq_mnist_report.py"),
      dict(name="lstm", config="configs/lstm_seq_mnist_report.py",
           overrides=dict(BUDGET, **QUARTER_LSTM), **dict(EVAL, iwae_samples=1,
                                                          report_terms=())),
      _latent("gmvrnn_gumbel", "configs/gmvrnn_gumbel_seq_mnist_report.py"),
      _latent("gmvrnn_variational", "configs/gmvrnn_variational_seq_mnist_report.py"),
      # Figure 9: the KL term discounted by 0.1 (samples only in the report).
      _latent("vrnn_kl01", "configs/vrnn_seq_mnist_report.py",
              {"model.kl_discount": 0.1}),
  ]
