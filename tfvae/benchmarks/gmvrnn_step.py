"""Times one training step (forward, backward, Adam) of the VRNN and both GMVRNNs.

  python -m tfvae.benchmarks.gmvrnn_step                     # T=28 B=64 H=256, K=5, M=1
  python -m tfvae.benchmarks.gmvrnn_step --models=gmvrnn_variational --num_samples=4

Same shape as tfvae/benchmarks/vrnn_loop.py (sequential MNIST rows, Gaussian output, every MLP
and the LSTM of size H, the model's default ``auto`` loop, ``tf.function`` without XLA).
Prints wall ms/step and process CPU ms/step (user+sys of this process: on a shared
machine the wall time also counts other people's work).
"""
import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

from tfvae.models.recurrent.gmvrnn_gumbel import GumbelMixtureVRNN  # noqa: E402
from tfvae.models.recurrent.gmvrnn_variational import VariationalMixtureVRNN  # noqa: E402
from tfvae.models.recurrent.vrnn import VRNN  # noqa: E402

MODELS = {"vrnn": VRNN, "gmvrnn_gumbel": GumbelMixtureVRNN,
          "gmvrnn_variational": VariationalMixtureVRNN}


def build(name, args):
  keras.utils.set_random_seed(0)
  h = args.hidden
  extra = {}
  if name != "vrnn":
    extra["latent_components"] = args.components
  if name == "gmvrnn_variational":
    extra.update(num_samples=args.num_samples, w_dim=args.w_dim, gm_sizes=(args.gm_hidden,))
  return MODELS[name](input_size=args.input_size, sequence_kind="real",
                      max_length=args.length, output="gaussian", latent_dim=args.latent_dim,
                      rnn_units=h, phi_x_sizes=(h,), phi_z_sizes=(h,), prior_sizes=(h,),
                      encoder_sizes=(h,), decoder_sizes=(h,), **extra)


def time_model(name, args):
  model = build(name, args)
  model.compile(optimizer=keras.optimizers.Adam(1e-3), jit_compile=False)
  x = tf.random.stateless_uniform([args.batch, args.length, args.input_size], seed=[1, 2])
  data = {"x": x, "mask": tf.ones([args.batch, args.length])}
  step = tf.function(model.train_step)
  step(data)  # trace
  for _ in range(3):
    step(data)
  wall, cpu = time.perf_counter(), time.process_time()
  for _ in range(args.steps):
    out = step(data)
  float(out["loss"])
  wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
  return 1e3 * wall / args.steps, 1e3 * cpu / args.steps


def main():
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--models", default=",".join(MODELS))
  parser.add_argument("--length", type=int, default=28)
  parser.add_argument("--batch", type=int, default=64)
  parser.add_argument("--input_size", type=int, default=28)
  parser.add_argument("--hidden", type=int, default=256)
  parser.add_argument("--latent_dim", type=int, default=16)
  parser.add_argument("--components", type=int, default=5)
  parser.add_argument("--w_dim", type=int, default=8)
  parser.add_argument("--gm_hidden", type=int, default=128)
  parser.add_argument("--num_samples", type=int, default=1)
  parser.add_argument("--steps", type=int, default=20)
  args = parser.parse_args()
  print(f"T={args.length} B={args.batch} H={args.hidden} z={args.latent_dim} "
        f"K={args.components} M={args.num_samples}")
  for name in args.models.split(","):
    wall_ms, cpu_ms = time_model(name, args)
    print(f"{name:20s} wall {wall_ms:7.1f} ms/step ({1e3 / wall_ms:5.1f} steps/s)   "
          f"cpu {cpu_ms:7.1f} ms/step")


if __name__ == "__main__":
  main()
