"""Tiny configs of the VRNN family; ``while`` loops keep trace time flat."""
from tests.tiny_datasets import SEQ_MNIST, SHEEP_STROKES

_RNN = dict(rnn_units=8, num_layers=1, activation="relu", loop="while")
_VRNN = dict(_RNN, latent_dim=2, phi_x_sizes=(8,), phi_z_sizes=(8,), prior_sizes=(8,),
             encoder_sizes=(8,), decoder_sizes=(8,), kl_discount=1.0)

TINY = {
    "vrnn": (dict(_VRNN, name="vrnn", output="pen_gmm", num_components=2), SHEEP_STROKES),
    "lstm_baseline": (dict(_RNN, name="lstm_baseline", output="bernoulli", num_components=1,
                           input_sizes=(8,), output_sizes=(8,), num_layers=2), SEQ_MNIST),
    "gmvrnn_gumbel": (dict(_VRNN, name="gmvrnn_gumbel", output="pen_gmm", num_components=2,
                           latent_components=2, sampling="relaxed",
                           initial_temperature=1.0), SHEEP_STROKES),
    "gmvrnn_variational": (dict(_VRNN, name="gmvrnn_variational", output="pen_gmm",
                                num_components=2, w_dim=2, latent_components=2,
                                num_samples=1, gm_sizes=(8,), kl_estimator="eq19"),
                           SHEEP_STROKES),
}
