"""Maxout units: each output is the max over its window of the layer's affine pieces."""
import numpy as np
import pytest
import tensorflow as tf

from tfvae.export.sampler import export_sampler
from tfvae.models.vae.gaussian_vae import GaussianVAE
from tfvae.nets.conv32 import Conv32Decoder, Conv32Encoder
from tfvae.nets.gated import GatedDense
from tfvae.nets.maxout import Maxout, maxout_pieces
from tfvae.nets.mlp import mlp
from tfvae.nets.normalized_mlp import NormalizedMLP


def test_maxout_matches_formula():
  layer = Maxout(5, pieces=3)
  x = tf.random.stateless_normal([4, 6], seed=[0, 1])
  y = layer(x).numpy()
  kernel, bias = (v.numpy() for v in layer.linear.weights)
  pre = (x.numpy() @ kernel + bias).reshape(4, 5, 3)  # unit i owns columns 3i .. 3i+2
  np.testing.assert_allclose(y, pre.max(axis=-1), rtol=1e-5, atol=1e-6)
  # Not the max over a strided window (the other reshape a bug would give).
  assert not np.allclose(y, (x.numpy() @ kernel + bias).reshape(4, 3, 5).max(axis=1))


def test_window_from_activation_name():
  assert maxout_pieces("maxout4") == 4
  assert maxout_pieces("relu") is None
  with pytest.raises(ValueError, match="at least 2 pieces"):
    maxout_pieces("maxout1")


@pytest.mark.parametrize("build", [
    lambda a: Conv32Encoder(a), lambda a: Conv32Decoder(1, a),
    lambda a: GatedDense(8, a), lambda a: NormalizedMLP((8,), activation=a)])
def test_nets_without_maxout_refuse_it_by_name(build):
  with pytest.raises(ValueError, match="'maxout4' is maxout, which only the MLP nets"):
    build("maxout4")
  build("relu")  # element-wise activations still work


def test_maxout_mlp_shapes_and_weights():
  net = mlp((7, 6), "maxout4", output_size=3)
  assert net(tf.zeros([2, 5])).shape == (2, 3)
  assert net(tf.zeros([4, 2, 5])).shape == (4, 2, 3)
  kernels = [v.shape for v in net.trainable_variables if len(v.shape) == 2]
  assert kernels == [(5, 28), (7, 24), (6, 3)]


def test_maxout_vae_exports_and_reconstructs(tmp_path):
  model = GaussianVAE(input_size=12, latent_dim=3, hidden_sizes=(8,),
                      activation="maxout4", posterior="planar",
                      posterior_kwargs=dict(num_flows=2, amortized=True), seed=2)
  x = (np.random.default_rng(0).random((4, 12)) > 0.5).astype(np.float32)
  model(x)
  loaded = tf.saved_model.load(export_sampler(model, str(tmp_path), "vae_maxout"))
  rec = loaded.signatures["reconstruct"](x=tf.constant(x))
  np.testing.assert_allclose(rec["probs"].numpy(), model.reconstruct(x).numpy(),
                             atol=1e-6)
