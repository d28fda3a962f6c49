"""Cat-VAE and CG-BPEF train on the paper's relaxed objective, which bounds no model's
log p(x): it is logged as ``relaxed_elbo``, and ``elbo`` is the one-sample bound of the
model that the IWAE evaluates, so ``elbo <= IWAE_k`` as for every other family."""
import numpy as np
import pytest
import tensorflow as tf

from tfvae.data import load_dataset
from tfvae.models.exponential_family.cat_vae import CatVAE
from tfvae.models.exponential_family.cg_bpef_vae import CGBPEFVAE

MODELS = {
    "cat_vae": lambda: CatVAE(input_size=784, latent_dim=4, num_categories=5,
                              hidden_sizes=(32,), temperature=0.5, seed=2),
    "cg_bpef_vae": lambda: CGBPEFVAE(input_size=784, latent_dim=4, order=3,
                                     grid_points=21, hidden_sizes=(32,), temperature=0.5,
                                     seed=3),
}


@pytest.fixture(scope="module")
def x():
  return load_dataset({"name": "binarized_mnist"}).test[::500].astype(np.float32)  # 20


@pytest.mark.parametrize("name", sorted(MODELS))
def test_elbo_is_the_one_sample_iwae_bound_and_below_iwae_k(name, x):
  model = MODELS[name]()
  model.compile(optimizer="adam")
  model.fit(x, batch_size=10, epochs=3, verbose=0)  # away from the initialisation
  runs = [model.loss_terms(tf.constant(x)) for _ in range(40)]
  elbo = np.mean([float(t["elbo"]) for t in runs])
  relaxed = np.mean([float(t["relaxed_elbo"]) for t in runs])
  recon_minus_kl = np.mean([float(t["reconstruction"] - t["kl"]) for t in runs])
  assert relaxed == pytest.approx(recon_minus_kl, abs=1e-3)  # the paper's objective
  log_w = model.log_importance_weights(tf.constant(x), 200, tf.constant([4, 5]))
  k1 = float(tf.reduce_mean(log_w))                 # E[log w]: the IWAE bound at k = 1
  k200 = float(tf.reduce_mean(tf.reduce_logsumexp(log_w, axis=0) - np.log(200.0)))
  # elbo is that bound: both average log w over the same 20 images (800 and 4,000 draws);
  # the relaxed objective differs from it by about 1.4 nats here.
  assert abs(elbo - k1) < 0.5
  assert elbo < k200                                # and the IWAE bound is tighter
