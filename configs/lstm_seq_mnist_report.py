"""LSTM baseline at the VRNN report's sequential-MNIST protocol (section 4.2, last
paragraph): "two LSTM layers with 2000 units each, surrounded by two MLPs at input and
output, with a single 500 unit hidden layer each", a Gaussian over the next row, trained
"to convergence after 40k iterations" (80 epochs of batch 100).

From the report's code (reference_lstm.py), where the text is silent: the input MLP is
28 -> 500 -> 2000 ReLU units, the output MLP 2000 -> 500, clipping as the VRNN. The
text gives no learning rate for it: the VRNN's first two steps (1e-4, then 3e-5 from
20k iterations). The code predicts rows 2..28 from the rows before; here row 1 is
predicted too (from a zero input), so the likelihood is of the whole image, as the
VRNN's bound.

  tfvae-train --config=configs/lstm_seq_mnist_report.py --workdir=runs/lstm_report \\
      --config.dataset.idx_dir=../shared/data/mnist
"""
from tfvae.config_files import base_config


def get_config():
  config = base_config(__file__, "lstm_seq_mnist")
  config.model.update(output="gaussian", rnn_units=2000, num_layers=2,
                      input_sizes=(500, 2000), output_sizes=(500,))
  config.dataset.update(source="mnist")
  config.train.update(batch_size=100, epochs=80, learning_rate=1e-4, clipnorm=0.0,
                      clipvalue=100.0, steps_per_execution=1, sample_every=10,
                      eval_batch_size=1000,
                      lr_schedule=dict(kind="piecewise", start=1e-4, boundaries=(20000,),
                                       values=(3e-5,), unit="step"))
  config.export.name = "lstm_seq_mnist_report"
  return config
