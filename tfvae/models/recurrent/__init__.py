"""VRNN, the LSTM baseline and the two Gaussian-mixture VRNNs (vrnn_and_gmvrnn_report);
importing the package registers its families."""
from tfvae.models.recurrent import sequence_model  # noqa: F401
from tfvae.models.recurrent import sequence_outputs  # noqa: F401
from tfvae.models.recurrent import vrnn  # noqa: F401
from tfvae.models.recurrent import vrnn_cell  # noqa: F401
from tfvae.models.recurrent import vrnn_latent  # noqa: F401
from tfvae.models.recurrent import vrnn_loop  # noqa: F401
from tfvae.models.recurrent import lstm_baseline  # noqa: F401
from tfvae.models.recurrent import gmvrnn_latents  # noqa: F401
from tfvae.models.recurrent import gmvrnn_gumbel  # noqa: F401
from tfvae.models.recurrent import gmvrnn_variational  # noqa: F401
