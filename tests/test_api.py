"""The Python API's errors and estimator (tfvae/api.py)."""
import numpy as np
import pytest

import tfvae


def test_unknown_model_and_setting_list_the_valid_ones():
  with pytest.raises(KeyError, match=r"unknown model 'gaussian_vea'; known models: .*"
                                     r"gaussian_vae"):
    tfvae.make_model("gaussian_vea")
  with pytest.raises(TypeError, match=r"bad settings for model 'gaussian_vae': .*"
                                      r"latent_dims.*valid settings: .*latent_dim"):
    tfvae.make_model("gaussian_vae", input_size=784, latent_dims=3)


def test_iwae_nll_is_below_the_negative_elbo_and_matches_the_per_example_mean():
  rng = np.random.default_rng(0)
  x = (rng.random((40, 784)) < 0.2).astype(np.float32)
  model = tfvae.make_model("gaussian_vae", input_size=784, latent_dim=4, hidden_sizes=(16,),
                           likelihood="bernoulli")
  model(x[:2])
  one = tfvae.iwae_nll(model, x, num_samples=1, batch_size=20, seed=3)
  many = tfvae.iwae_nll(model, x, num_samples=200, batch_size=20, chunk_size=50, seed=3)
  assert one["per_example"].shape == (40,)
  assert np.isclose(many["nll"], many["per_example"].mean())
  assert many["nll"] < one["nll"]  # L_200 >= L_1 (Burda et al. 2016, theorem 1)
  assert 0 < many["stderr"] < 5


def test_predict_reconstructs_and_keras_export_points_to_the_sampler(tmp_path):
  rng = np.random.default_rng(1)
  x = (rng.random((10, 784)) < 0.2).astype(np.float32)
  model = tfvae.make_model("gaussian_vae", input_size=784, latent_dim=4, hidden_sizes=(16,),
                           likelihood="bernoulli")
  model(x[:2])
  out = model.predict(x, batch_size=5, verbose=0)
  assert out.shape == (10, 784) and np.all((out > 0) & (out < 1))
  np.testing.assert_allclose(out, model.reconstruct(x).numpy(), rtol=1e-5, atol=1e-6)
  with pytest.raises(NotImplementedError, match=r"tfvae.export_sampler"):
    model.export(str(tmp_path / "m"))
