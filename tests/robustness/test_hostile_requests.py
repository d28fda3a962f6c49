"""Hostile requests to exported samplers: the serving process survives and stays usable.

Tiny models of every kind of serving signature (``tests/families.py``) are exported with
``export_sampler`` and its default limits (``tfvae.export.limits``: 10000 samples,
``length`` <= 4 x the training length, 10000 Gibbs steps, 10**6 samples x steps) and
served by a client subprocess per group of families that never imports tfvae (plain
``tf.saved_model.load``, as TF Serving loads them). For each hostile request the client
records how it failed, then answers a good request to the same signature. The test
checks that every hostile request was refused with ``InvalidArgumentError`` naming its
bound, that every good request was answered, and that the process exited normally.

Before the limits, ``length=2**31-1`` killed the process (``std::bad_alloc``, exit 134),
``gibbs_steps=2**31-1`` hung it, and oversized, non-finite or badly masked requests were
answered. The client runs under an address-space limit, so a request that is not refused
fails inside the client instead of taking the machine's memory.
"""
import json
import os
import re
import subprocess
import sys

import keras
import numpy as np
import pytest
import tensorflow as tf

from tests import families
from tfvae.export.limits import ServingLimits, serving_limits
from tfvae.export.sampler import export_sampler, shape_checked
from tfvae.training.config_checks import check_values

BIG = 2**31 - 1
#: Address-space limit of the client (it peaks near 2 GiB; a 2**31-sample request needs
#: tens of GiB).
CLIENT_MEMORY = 6 * 2**30

#: One client subprocess per group. The first request of "lstm" killed the old server.
GROUPS = {
    "lstm": ("lstm_baseline",),
    "vrnn_gmvrnn": ("vrnn", "gmvrnn_variational"),
    "feedforward": ("gaussian_vae_diag", "sequence_vae", "cp_vae", "cg_bpef_vae",
                    "discrete_vae"),
}

SAMPLES = r"num_samples must be <= 10000 \(export.max_num_samples\)"
FINITE = r"{} must be finite \(no NaN or Inf\)"
ROWS = r"{} must have at most 10000 rows \(export.max_num_samples\)"
LENGTH = r"length must be <= {} \(export.max_length\)"
MASK_SHAPE = r"prefix_mask must be \[n, P\] for a prefix of \[n, P, D\]"
MASK_VALUES = r"prefix_mask must hold only 0 and 1"
PRODUCT = r"{} \* {} must be <= 1000000 \(export.max_sample_steps\)"


def _set(a, value, index=0):
  a = np.array(a, copy=True)
  a.flat[index] = value
  return a


def _rows(n):
  return lambda a: np.zeros((n,) + a.shape[1:], a.dtype)


# (signature, {input: value or function of the good value}, refusal pattern) per family.
_SEQUENCE_PRIME = [
    ("prime", dict(length=BIG), LENGTH),
    ("prime", dict(prefix_mask=lambda m: m[:1]), MASK_SHAPE),       # batch 1 for 2
    ("prime", dict(prefix_mask=lambda m: m[:, :2]), MASK_SHAPE),    # time 2 for 3
    ("prime", dict(prefix_mask=lambda m: np.full_like(m, 0.5)), MASK_VALUES),
    ("prime", dict(prefix_mask=lambda m: _set(m, np.nan)), MASK_VALUES),
    ("prime", dict(prefix=lambda p: _set(p, np.nan)), FINITE.format("prefix")),
    ("prime", dict(prefix=lambda p: _set(p, -np.inf, -1)), FINITE.format("prefix")),
]
HOSTILE = {
    "lstm_baseline": [  # seq MNIST: 28 steps, so length <= 112
        ("sample", dict(num_samples=1, length=BIG), LENGTH.format(112)),
        ("sample", dict(num_samples=1, length=10**6), LENGTH.format(112)),
        ("sample", dict(num_samples=10001), SAMPLES),
        ("sample", dict(num_samples=10000, length=112), PRODUCT.format("num_samples",
                                                                       "length")),
        ("serving_default", dict(num_samples=-1), r"num_samples must be a positive integer"),
    ] + [(s, i, p.format(112) if p == LENGTH else p) for s, i, p in _SEQUENCE_PRIME] + [
        ("prime", dict(prefix=_rows(10001), prefix_mask=_rows(10001)), ROWS.format("prefix")),
        ("prime", dict(prefix=_rows(9000), prefix_mask=_rows(9000), length=112),
         PRODUCT.format("rows of prefix", "length")),
    ],
    "vrnn": [  # strokes cut to 8 steps: length <= 32
        ("sample", dict(num_samples=1, length=BIG), LENGTH.format(32)),
        ("serving_default", dict(num_samples=BIG), SAMPLES),
        ("prime", dict(length=33), LENGTH.format(32)),
        ("prime", dict(prefix_mask=lambda m: np.full_like(m, 2.0)), MASK_VALUES),
        ("prime", dict(prefix=lambda p: _set(p, np.inf)), FINITE.format("prefix")),
    ],
    "gmvrnn_variational": [
        ("sample", dict(num_samples=1, length=BIG), LENGTH.format(32)),
        ("prime", dict(prefix_mask=lambda m: m[:1]), MASK_SHAPE),
        ("prime", dict(prefix=lambda p: _set(p, np.nan)), FINITE.format("prefix")),
    ],
    "gaussian_vae_diag": [
        ("sample", dict(num_samples=10001), SAMPLES),
        ("serving_default", dict(num_samples=BIG), SAMPLES),
        ("reconstruct", dict(x=lambda x: _set(x, np.nan)), FINITE.format("x")),
        ("reconstruct", dict(x=lambda x: _set(x, np.inf, -1)), FINITE.format("x")),
        ("reconstruct", dict(x=_rows(10001)), ROWS.format("x")),
        ("encode", dict(x=lambda x: _set(x, -np.inf)), FINITE.format("x")),
        ("encode", dict(x=_rows(10001)), ROWS.format("x")),
    ],
    "sequence_vae": [
        ("sample", dict(num_samples=BIG), SAMPLES),
        ("reconstruct", dict(x=lambda x: _set(x, np.nan)), FINITE.format("x")),
    ],
    "cp_vae": [
        ("sample", dict(num_samples=BIG), SAMPLES),
        ("sample_category", dict(num_samples=10001), SAMPLES),
        ("sample_category", dict(category=2), r"category must be < 2"),
        ("reconstruct", dict(x=lambda x: _set(x, np.nan)), FINITE.format("x")),
    ],
    "cg_bpef_vae": [
        ("sample", dict(num_samples=BIG), SAMPLES),
        ("reconstruct", dict(x=lambda x: _set(x, np.inf)), FINITE.format("x")),
    ],
    "discrete_vae": [
        ("sample", dict(num_samples=10001), SAMPLES),
        ("sample", dict(gibbs_steps=10001), r"gibbs_steps must be <= 10000 "
                                            r"\(export.max_gibbs_steps\)"),
        ("sample", dict(num_samples=10000, gibbs_steps=101),
         PRODUCT.format("num_samples", "gibbs_steps")),
        ("reconstruct", dict(x=lambda x: _set(x, np.nan)), FINITE.format("x")),
        ("sample", dict(num_samples=2, gibbs_steps=BIG), r"gibbs_steps must be <= 10000"),
    ],
}
assert set(HOSTILE) == {n for names in GROUPS.values() for n in names}

_CLIENT = r"""
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
import numpy as np
import tensorflow as tf

loaded, report = {}, []


def call(job, which):
  with np.load(job[which]) as f:
    inputs = {k: tf.constant(f[k]) for k in f.files}
  return loaded[job["export"]].signatures[job["signature"]](**inputs)


for i, job in enumerate(json.load(open(sys.argv[1]))):
  if job["export"] not in loaded:
    loaded[job["export"]] = tf.saved_model.load(job["export"])
  print(f"request {i}: {job['what']}", file=sys.stderr, flush=True)
  entry = {"what": job["what"]}
  try:
    out = call(job, "hostile")
    entry["hostile"] = "answered: " + str({k: v.shape.as_list() for k, v in out.items()})
  except tf.errors.InvalidArgumentError as e:
    entry["hostile"] = "refused: " + e.message
  except Exception as e:  # e.g. ResourceExhaustedError: recorded, the test fails on it
    entry["hostile"] = f"{type(e).__name__}: {e}"
  out = call(job, "good")
  entry["good"] = {k: v.shape.as_list() for k, v in out.items()}
  entry["good_finite"] = all(bool(np.isfinite(v.numpy()).all()) for v in out.values()
                             if v.dtype.is_floating)
  report.append(entry)
print(json.dumps({"requests": report,
                  "tfvae_imported": sorted(m for m in sys.modules if m.startswith("tfvae"))}))
"""


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
  """``get(name) -> (path, splits, model)``: family ``name`` exported once."""
  root, cache = tmp_path_factory.mktemp("hostile"), {}

  def get(name):
    if name not in cache:
      keras.backend.clear_session()
      _, splits, model = families.build_family(name, compile_model=False)
      cache[name] = (export_sampler(model, str(root / "saved_models"), name), splits, model)
    return cache[name]
  return get


def _plan(group, exports, folder):
  """The client's jobs (request files written to ``folder``) and their patterns."""
  jobs, patterns = [], []
  for name in GROUPS[group]:
    path, splits, model = exports(name)
    endpoints = model.serving_endpoints()
    endpoints["serving_default"] = next(iter(endpoints.values()))
    for i, (signature, changes, pattern) in enumerate(HOSTILE[name]):
      good = families.endpoint_inputs(splits, endpoints[signature][1])
      hostile = dict(good)
      for key, change in changes.items():
        hostile[key] = (change(good[key]) if callable(change)
                        else np.array(change, good[key].dtype))
      job = dict(export=path, signature=signature,
                 what=f"{name} {signature} {sorted(changes)} #{i}")
      for which, inputs in (("good", good), ("hostile", hostile)):
        job[which] = os.path.join(folder, f"{name}.{i}.{which}.npz")
        np.savez_compressed(job[which], **inputs)
      jobs.append(job)
      patterns.append(pattern)
  return jobs, patterns


@pytest.mark.parametrize("group", list(GROUPS))
def test_hostile_requests_are_refused_and_the_server_survives(group, exports, tmp_path):
  """Each hostile request raises InvalidArgumentError naming its bound, the next good
  request to the signature is answered, and the process exits normally."""
  jobs, patterns = _plan(group, exports, str(tmp_path))
  with open(tmp_path / "plan.json", "w") as f:
    json.dump(jobs, f)
  env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH="")
  try:
    result = subprocess.run([sys.executable, "-c", _CLIENT, str(tmp_path / "plan.json"),
                             str(CLIENT_MEMORY)], capture_output=True, text=True, env=env,
                            cwd=str(tmp_path), timeout=300, check=False)
  except subprocess.TimeoutExpired as e:
    stderr = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
    pytest.fail(f"the server hung (timeout 300 s); last lines:\n{stderr[-1500:]}")
  assert result.returncode == 0, (f"the server died (exit {result.returncode}):\n"
                                  f"{result.stderr[-2000:]}")
  report = json.loads(result.stdout.strip().splitlines()[-1])
  assert report["tfvae_imported"] == []
  assert len(report["requests"]) == len(jobs)
  for entry, pattern in zip(report["requests"], patterns):
    assert re.match(r"refused: .*" + pattern, entry["hostile"], re.S), entry
    assert all(shape[0] == 2 for shape in entry["good"].values()), entry
    assert entry["good_finite"], entry


def test_limits_come_from_config_export(exports):
  """``config.export.max_*`` bound the endpoints; ``max_length`` defaults to 4 x the
  training length."""
  _, _, lstm = exports("lstm_baseline")
  assert serving_limits(None, lstm) == ServingLimits(max_length=112)
  _, _, model = exports("gaussian_vae_diag")
  limits = serving_limits({"max_num_samples": 5, "max_length": None}, model)
  assert limits == ServingLimits(max_num_samples=5)
  fn, signature = model.serving_endpoints()["sample"]
  sample = tf.function(shape_checked(fn, signature, limits), input_signature=signature)
  assert sample(tf.constant(5), tf.constant(0))["samples"].shape[0] == 5
  with pytest.raises(tf.errors.InvalidArgumentError,
                     match=r"num_samples must be <= 5 \(export.max_num_samples\)"):
    sample(tf.constant(6), tf.constant(0))


@pytest.mark.parametrize("key, value", [("max_num_samples", 0), ("max_length", -1),
                                        ("max_gibbs_steps", 2**31), ("max_length", "50"),
                                        ("max_sample_steps", True)])
def test_bad_limit_in_config(key, value):
  """A limit that is not an integer in range fails the config checks and the exporter."""
  config = families.family_config("gaussian_vae_diag")
  config.export[key] = value
  pattern = rf"config\.export\.{key} must be an integer in \["
  with pytest.raises(ValueError, match=pattern):
    check_values(config)
  with pytest.raises(ValueError, match=pattern):
    serving_limits(config.export)
