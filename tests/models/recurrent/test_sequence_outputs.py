"""Per-step output heads: densities against TFP, sampler moments against the maths."""
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp

from tfvae.models.recurrent.sequence_outputs import SequenceOutput

tfd = tfp.distributions


def _params(head, lead, seed=0):
  return tf.random.stateless_normal(lead + [head.params_size], seed=[seed, 1])


def test_gmm_log_prob_matches_mixture_same_family():
  head = SequenceOutput("gmm", 4, num_components=3)
  params = _params(head, [5, 2])
  x = tf.random.stateless_normal([5, 2, 4], seed=[2, 3])
  p = head._split(params)
  reference = tfd.MixtureSameFamily(
      tfd.Categorical(logits=p["mix_logits"]),
      tfd.MultivariateNormalDiag(loc=p["loc"], scale_diag=p["scale"]))
  np.testing.assert_allclose(head.log_prob(params, x).numpy(),
                             reference.log_prob(x).numpy(), rtol=1e-5, atol=1e-5)
  np.testing.assert_allclose(head.distribution(params).log_prob(x).numpy(),
                             reference.log_prob(x).numpy(), rtol=1e-5, atol=1e-5)


def test_pen_gmm_is_xy_mixture_plus_separate_bernoulli():
  head = SequenceOutput("pen_gmm", 3, num_components=2)
  params = _params(head, [6])
  xy = tf.random.stateless_normal([6, 2], seed=[4, 4])
  pen = tf.constant([0., 1., 0., 0., 1., 1.])
  x = tf.concat([xy, pen[:, None]], -1)
  parts = head.log_prob_parts(params, x)
  p = head._split(params)
  mixture = tfd.MixtureSameFamily(tfd.Categorical(logits=p["mix_logits"]),
                                  tfd.MultivariateNormalDiag(p["loc"], p["scale"]))
  bern = tfd.Bernoulli(logits=p["pen_logit"])
  np.testing.assert_allclose(parts["xy"].numpy(), mixture.log_prob(xy).numpy(), atol=1e-5)
  np.testing.assert_allclose(parts["pen"].numpy(), bern.log_prob(pen).numpy(), atol=1e-5)
  np.testing.assert_allclose(head.distribution(params).log_prob(x).numpy(),
                             head.log_prob(params, x).numpy(), atol=1e-5)


@pytest.mark.parametrize("kind,size", [("gaussian", 3), ("bernoulli", 4)])
def test_simple_heads_match_tfp(kind, size):
  head = SequenceOutput(kind, size)
  params = _params(head, [7])
  x = (tf.cast(tf.random.stateless_uniform([7, size], seed=[1, 1]) < 0.5, tf.float32)
       if kind == "bernoulli" else tf.random.stateless_normal([7, size], seed=[1, 1]))
  np.testing.assert_allclose(head.log_prob(params, x).numpy(),
                             head.distribution(params).log_prob(x).numpy(), atol=1e-5)


def test_mixture_sampler_moments_within_monte_carlo_error():
  """Mean and second moment of 20k Gumbel-max draws vs the mixture's closed form."""
  head = SequenceOutput("pen_gmm", 3, num_components=3)
  params = tf.repeat(_params(head, [1], seed=5), 20000, axis=0)
  draws = head.sample(params, tf.constant([7, 8])).numpy()
  dist = head.distribution(params[:1])
  mean = head.mean(params[:1]).numpy()[0]
  np.testing.assert_allclose(dist.mean().numpy()[0], mean, atol=1e-5)
  p = head._split(params[:1])
  w = tf.nn.softmax(p["mix_logits"]).numpy()[0]
  second = (w[:, None] * (p["scale"].numpy()[0] ** 2 + p["loc"].numpy()[0] ** 2)).sum(0)
  sd = np.sqrt(np.append(second - mean[:2] ** 2, mean[2] * (1 - mean[2])))
  stderr = sd / np.sqrt(len(draws))
  assert np.all(np.abs(draws.mean(0) - mean) < 4.5 * stderr + 1e-6)
  assert set(np.unique(draws[:, 2])) <= {0.0, 1.0}


@pytest.mark.parametrize("kind", ["pen_gmm", "gaussian", "bernoulli"])
def test_temperature_one_is_the_model_draw(kind):
  head = SequenceOutput(kind, 3, num_components=3)
  params = _params(head, [50], seed=2)
  np.testing.assert_array_equal(head.sample(params, tf.constant([3, 4])).numpy(),
                                head.sample(params, tf.constant([3, 4]), 1.0).numpy())


def test_tempered_draw_matches_the_tempered_distribution():
  """At tau the pen bit is Bernoulli(sigmoid(l / tau)), the component Categorical(logits /
  tau) and its Gaussian's sd scale * sqrt(tau): Monte Carlo moments vs those closed forms."""
  head = SequenceOutput("pen_gmm", 3, num_components=3)
  tau = 0.4
  params = tf.repeat(_params(head, [1], seed=5), 20000, axis=0)
  draws = head.sample(params, tf.constant([7, 8]), tau).numpy()
  p = {k: v.numpy()[0] for k, v in head._split(params[:1]).items()}
  w = tf.nn.softmax(p["mix_logits"] / tau).numpy()
  mean_xy = (w[:, None] * p["loc"]).sum(0)
  second = (w[:, None] * (tau * p["scale"] ** 2 + p["loc"] ** 2)).sum(0)
  lift = 1.0 / (1.0 + np.exp(-p["pen_logit"] / tau))
  sd = np.sqrt(np.append(second - mean_xy ** 2, lift * (1 - lift)))
  stderr = sd / np.sqrt(len(draws))
  mean = np.append(mean_xy, lift)
  assert np.all(np.abs(draws.mean(0) - mean) < 4.5 * stderr + 1e-6)
  # The untempered moments are a different distribution: the test can tell them apart.
  untempered = head.mean(params[:1]).numpy()[0]
  assert np.any(np.abs(draws.mean(0) - untempered) > 6 * stderr)


def test_cold_draw_is_the_most_likely_component_mean_and_pen_bit():
  head = SequenceOutput("pen_gmm", 3, num_components=4)
  params = _params(head, [200], seed=9)
  draw = head.sample(params, tf.constant([1, 2]), 1e-6).numpy()
  p = {k: v.numpy() for k, v in head._split(params).items()}
  best = p["mix_logits"].argmax(-1)
  np.testing.assert_allclose(draw[:, :2], p["loc"][np.arange(200), best], atol=1e-2)
  np.testing.assert_array_equal(draw[:, 2], (p["pen_logit"] > 0).astype(np.float32))
