"""``sequences``: the VRNN report, VRNN bound vs LSTM likelihood (and the two GMVRNNs).

Nats per sequence, on binarized sequential MNIST (2 epochs) and the aaron_sheep strokes
(3 epochs). Evaluated on the whole test split (the binarized test split is sorted by
label: a prefix would be almost all zeros), each latent-variable model paired with the
LSTM baseline of its dataset on the same sequences.
"""
SEQ = {"train.validation_every": 100, "train.sample_every": 0, "export.enabled": False,
       "train.verbose": 0, "eval.chunk_size": 20, "eval.batch_size": 100}
SEQ_MNIST = dict(SEQ, **{"train.epochs": 2})
SHEEP = dict(SEQ, **{"train.epochs": 3,
                     "dataset.path": "{shared}/strokes/aaron_sheep_flat.npz"})
EVAL = dict(iwae_samples=20, eval_examples=0, speed_steps=20)
LSTM_EVAL = dict(EVAL, iwae_samples=1)


def _latent(name, config, budget, lstm):
  """A latent-variable model, paired with the LSTM baseline ``lstm``."""
  return dict(name=name, config=config, overrides=budget, paired_with=lstm, **EVAL)


def _lstm(name, config, budget):
  return dict(name=name, config=config, overrides=budget, **LSTM_EVAL)


def get_suite():
  return [
      _latent("vrnn_seq_mnist", "configs/vrnn_seq_mnist.py", SEQ_MNIST, "lstm_seq_mnist"),
      _lstm("lstm_seq_mnist", "configs/lstm_seq_mnist.py", SEQ_MNIST),
      _latent("gmvrnn_gumbel_seq_mnist", "configs/gmvrnn_gumbel_seq_mnist.py", SEQ_MNIST,
              "lstm_seq_mnist"),
      _latent("gmvrnn_variational_seq_mnist", "configs/gmvrnn_variational_seq_mnist.py",
              SEQ_MNIST, "lstm_seq_mnist"),
      _latent("vrnn_sheep", "configs/vrnn_sheep.py", SHEEP, "lstm_sheep"),
      _lstm("lstm_sheep", "configs/lstm_sheep.py", SHEEP),
      _latent("gmvrnn_gumbel_sheep", "configs/gmvrnn_gumbel_sheep.py", SHEEP,
              "lstm_sheep"),
      _latent("gmvrnn_variational_sheep", "configs/gmvrnn_variational_sheep.py", SHEEP,
              "lstm_sheep"),
  ]
