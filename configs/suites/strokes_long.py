"""``strokes_long``: the four sequence models trained to convergence on both stroke sets.

sketch-rnn's aaron_sheep (7,400 / 300 / 300 drawings, up to 250 steps, 9 % pen lifts)
and short_kanji (10,000 / 600 / 500, up to 88 steps, 32 % pen lifts) in
``{shared}/strokes/``, with each model's shipped sheep config (batch 64, Adam 1e-3,
length-sorted batches). Budget: at most 200 epochs, early stopping on the validation
ELBO with patience 20, counted after epoch 10 (the VRNNs' KL warm-up is 1,000 steps, about
9 sheep epochs), the best-validation checkpoint evaluated. Test: the whole test split,
IWAE k = 100 for the latent-variable models (the LSTM's likelihood is exact), each paired
with the LSTM of its data set, with pen-lift precision, recall and the lift rate of prior
samples against the data's (``tfvae-evaluate``'s ``pen_lifts``).
"""
SHEEP = {"dataset.path": "{shared}/strokes/aaron_sheep_flat.npz"}
# Kanji drawings are at most 88 steps: samples (the lift rate of prior samples) are drawn
# at the data's scale of 100 steps rather than the sheep's 250.
KANJI = {"dataset.path": "{shared}/strokes/short_kanji_flat.npz", "dataset.max_length": 100}
BUDGET = {"train.epochs": 200, "train.early_stopping_patience": 20,
          "train.early_stopping_start": 10, "train.sample_every": 10,
          "export.enabled": False, "train.verbose": 0, "eval.chunk_size": 20,
          "eval.batch_size": 100}
EVAL = dict(iwae_samples=100, eval_examples=0, speed_steps=0, eval_checkpoint="best",
            report_terms=("kl",))
MODELS = (("vrnn", "configs/vrnn_sheep.py"), ("lstm", "configs/lstm_sheep.py"),
          ("gmvrnn_gumbel", "configs/gmvrnn_gumbel_sheep.py"),
          ("gmvrnn_variational", "configs/gmvrnn_variational_sheep.py"))


def _entries(data_name, data):
  out = []
  for model, config in MODELS:
    is_lstm = model == "lstm"
    out.append(dict(name=f"{model}_{data_name}", config=config,
                    overrides=dict(BUDGET, **data),
                    paired_with="" if is_lstm else f"lstm_{data_name}",
                    **dict(EVAL, iwae_samples=1, report_terms=()) if is_lstm else EVAL))
  return out


def get_suite():
  return _entries("sheep", SHEEP) + _entries("kanji", KANJI)
