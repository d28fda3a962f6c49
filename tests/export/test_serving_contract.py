"""The TF Serving contract of every model family's export.

Each family (``tests/families.py``) is exported with ``export_sampler`` into
``<tmp>/saved_models/<name>/1``. Then:

* the SignatureDefs: ``serving_default`` (= the first endpoint) plus the named endpoints,
  inputs with exactly the dtypes and names of ``serving_endpoints()``, int32/float32
  outputs whose dimensions are all fixed except the batch (and a sequence's time) axis;
* for every signature a ``tensorflow_serving.apis.predict_pb2.PredictRequest`` is built
  from the SignatureDef's input names/dtypes/shapes with ``tf.make_tensor_proto`` and
  round-trips through its wire format;
* ONE client subprocess that never imports tfvae (TensorFlow, numpy and the serving
  protos only) runs, per export, ``saved_model_cli show --all`` and ``saved_model_cli
  run`` of ``serving_default`` and of a signature fed with an array (the CLI's own
  parser and commands, called in-process; ``run`` uses the TF1 session loader of TF
  Serving), then loads the export with plain ``tf.saved_model.load`` and answers every
  PredictRequest with a PredictResponse;
* both answers have the SignatureDef's output names/dtypes/shapes and equal the model's
  own outputs for the same inputs and seed (samplers are stateless in ``seed``).
"""
import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf
from tensorflow.python.tools import saved_model_utils  # pylint: disable=g-direct-tensorflow-import
from tensorflow_serving.apis import predict_pb2

from tests import families
from tfvae.export.sampler import export_sampler

ATOL = 1e-4
#: Output axes that may stay unknown: batch first; generated sequences also over time.
SEQUENCE_FAMILIES = ("vrnn", "lstm_baseline", "gmvrnn_gumbel", "gmvrnn_variational")

_CLIENT = r"""
import contextlib, io, json, os, sys
import numpy as np
import tensorflow as tf
from absl import flags
from tensorflow.python.tools import saved_model_cli
from tensorflow_serving.apis import predict_pb2

plan = json.load(open(sys.argv[1]))
parser = saved_model_cli.create_parser()
report = {}


def cli(argv):
  flags.FLAGS.unparse_flags()  # each command starts from the CLI's defaults
  args = parser.parse_args(argv)
  out = io.StringIO()
  with contextlib.redirect_stdout(out):
    args.func()
  return out.getvalue()


for name, job in plan.items():
  path, entry = job["path"], {"run": {}, "served": {}}
  entry["show"] = cli(["show", "--dir", path, "--all"])
  for sig, feed in job["cli"].items():
    outdir = os.path.join(job["outdir"], "cli", sig)
    argv = ["run", "--dir", path, "--tag_set", "serve", "--signature_def", sig,
            "--outdir", outdir, "--overwrite"]
    if feed["inputs"]:
      argv += ["--inputs", feed["inputs"]]
    if feed["input_exprs"]:
      argv += ["--input_exprs", feed["input_exprs"]]
    entry["run"][sig] = {"stdout": cli(argv), "outdir": outdir}
  loaded = tf.saved_model.load(path)
  entry["signatures"] = sorted(loaded.signatures.keys())
  for sig, request_path in job["requests"].items():
    request = predict_pb2.PredictRequest.FromString(open(request_path, "rb").read())
    fn = loaded.signatures[request.model_spec.signature_name]
    outputs = fn(**{k: tf.constant(tf.make_ndarray(v)) for k, v in request.inputs.items()})
    response = predict_pb2.PredictResponse()
    response.model_spec.CopyFrom(request.model_spec)
    for key, value in outputs.items():
      response.outputs[key].CopyFrom(tf.make_tensor_proto(value.numpy()))
    response_path = request_path.replace(".request.pb", ".response.pb")
    open(response_path, "wb").write(response.SerializeToString())
    entry["served"][sig] = response_path
  report[name] = entry
report["_tfvae_imported"] = sorted(m for m in sys.modules if m.startswith("tfvae"))
print(json.dumps(report))
"""


def _signature_defs(path):
  meta = saved_model_utils.get_meta_graph_def(path, "serve")
  return {k: v for k, v in meta.signature_def.items() if not k.startswith("__")}


def _shape(tensor_info):
  return tf.TensorShape(tensor_info.tensor_shape)


def _contract(signature_def):
  """Names, dtypes and shapes of a SignatureDef's inputs and outputs."""
  return {part: {k: (v.dtype, _shape(v).as_list()) for k, v in
                 getattr(signature_def, part).items()}
          for part in ("inputs", "outputs")}


def _request(name, signature, signature_def, inputs):
  """A PredictRequest with one tensor per SignatureDef input: its name, its dtype and a
  value of a compatible shape (``inputs`` gives the example values by name)."""
  request = predict_pb2.PredictRequest()
  request.model_spec.name = name
  request.model_spec.signature_name = signature
  for key, info in signature_def.inputs.items():
    value = np.asarray(inputs[key], tf.as_dtype(info.dtype).as_numpy_dtype)
    assert _shape(info).is_compatible_with(value.shape), (name, signature, key)
    request.inputs[key].CopyFrom(tf.make_tensor_proto(value, dtype=info.dtype))
  return request


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
  """Per family: export path, its signature defs, example inputs and the model's own
  outputs for them (computed in this process)."""
  root = tmp_path_factory.mktemp("serving")
  base = os.path.join(root, "saved_models")
  out = {}
  for name in families.NAMES:
    _, splits, model = families.build_family(name, compile_model=False)
    path = export_sampler(model, base, name)
    endpoints = model.serving_endpoints()
    inputs, expected, specs = {}, {}, {}
    for endpoint, (fn, signature) in endpoints.items():
      inputs[endpoint] = families.endpoint_inputs(splits, signature)
      expected[endpoint] = families.call_endpoint(fn, inputs[endpoint])
      specs[endpoint] = {s.name: s for s in signature}
    default = next(iter(endpoints))
    for table in (inputs, expected, specs):
      table["serving_default"] = table[default]
    out[name] = dict(path=path, base=base, default=default, inputs=inputs,
                     expected=expected, specs=specs, defs=_signature_defs(path),
                     workdir=os.path.join(root, "client", name))
  return out


def _cli_runs(e):
  """The signatures ``saved_model_cli run`` executes: ``serving_default`` and the first
  one fed with an array (each run loads the export into a fresh TF1 session, ~0.3 s)."""
  with_array = [s for s in e["defs"] if s != "serving_default"
                and any(v.ndim for v in e["inputs"][s].values())]
  return ["serving_default"] + with_array[:1]


def _cli_feed(sig, inputs, workdir):
  """``--inputs`` (``.npy`` files for arrays) and ``--input_exprs`` (scalars)."""
  files, exprs = [], []
  for key, value in inputs.items():
    if value.ndim == 0:
      exprs.append(f"{key}={int(value)}")
    else:
      file = os.path.join(workdir, f"{sig}.{key}.npy")
      np.save(file, value)
      files.append(f"{key}={file}")
  return {"inputs": ";".join(files), "input_exprs": ";".join(exprs)}


@pytest.fixture(scope="module")
def served(exported):
  """Runs the client subprocess once; returns its JSON report."""
  plan = {}
  for name, e in exported.items():
    os.makedirs(e["workdir"], exist_ok=True)
    job = {"path": e["path"], "outdir": e["workdir"], "cli": {}, "requests": {}}
    for sig in _cli_runs(e):
      job["cli"][sig] = _cli_feed(sig, e["inputs"][sig], e["workdir"])
    for sig, sig_def in e["defs"].items():
      request_path = os.path.join(e["workdir"], f"{sig}.request.pb")
      with open(request_path, "wb") as f:
        f.write(_request(name, sig, sig_def, e["inputs"][sig]).SerializeToString())
      job["requests"][sig] = request_path
    plan[name] = job
  plan_path = os.path.join(os.path.dirname(next(iter(plan.values()))["outdir"]), "plan.json")
  with open(plan_path, "w") as f:
    json.dump(plan, f)
  env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH="")
  result = subprocess.run([sys.executable, "-c", _CLIENT, plan_path], capture_output=True,
                          text=True, env=env, cwd=os.path.dirname(plan_path), timeout=600,
                          check=False)
  assert result.returncode == 0, result.stderr[-3000:]
  return json.loads(result.stdout.strip().splitlines()[-1])


def _check_outputs(where, outputs, signature_def, expected):
  assert set(outputs) == set(signature_def.outputs), (where, sorted(outputs))
  for key, value in outputs.items():
    info = signature_def.outputs[key]
    assert value.dtype == tf.as_dtype(info.dtype).as_numpy_dtype, (where, key, value.dtype)
    assert _shape(info).is_compatible_with(value.shape), (where, key, value.shape)
    assert value.shape == expected[key].shape, (where, key, value.shape)
    np.testing.assert_allclose(value, expected[key], atol=ATOL, err_msg=f"{where} {key}")


@pytest.mark.parametrize("name", families.NAMES)
def test_signature_defs_have_fixed_dtypes_and_documented_shapes(exported, name):
  e = exported[name]
  assert e["path"] == os.path.join(e["base"], name, "1")
  assert os.path.exists(os.path.join(e["path"], "saved_model.pb"))
  defs = e["defs"]
  assert set(defs) == set(e["specs"])  # the endpoints and serving_default
  assert _contract(defs["serving_default"]) == _contract(defs[e["default"]])
  for sig, sig_def in defs.items():
    specs = e["specs"][sig]
    assert set(sig_def.inputs) == set(specs), (name, sig)
    for key, info in sig_def.inputs.items():
      assert info.dtype == specs[key].dtype.as_datatype_enum, (name, sig, key)
      assert _shape(info).as_list() == specs[key].shape.as_list(), (name, sig, key)
      assert info.dtype in (tf.int32.as_datatype_enum, tf.float32.as_datatype_enum)
    free = 2 if name in SEQUENCE_FAMILIES else 1
    for key, info in sig_def.outputs.items():
      assert info.dtype in (tf.int32.as_datatype_enum, tf.float32.as_datatype_enum), (
          name, sig, key)
      dims = _shape(info).as_list() if not info.tensor_shape.unknown_rank else None
      assert dims, (name, sig, key, dims)  # known rank, at least the batch axis
      assert None not in dims[free:], (name, sig, key, dims)


@pytest.mark.parametrize("name", families.NAMES)
def test_predict_requests_follow_the_signature_defs(exported, served, name):
  e = exported[name]
  for sig, sig_def in e["defs"].items():
    request_path = served[name]["served"][sig].replace(".response.pb", ".request.pb")
    with open(request_path, "rb") as f:
      request = predict_pb2.PredictRequest.FromString(f.read())
    assert request.model_spec.name == name and request.model_spec.signature_name == sig
    assert set(request.inputs) == set(sig_def.inputs), (name, sig)
    for key, proto in request.inputs.items():
      info = sig_def.inputs[key]
      assert proto.dtype == info.dtype, (name, sig, key)
      shape = tf.TensorShape(proto.tensor_shape)
      assert _shape(info).is_compatible_with(shape), (name, sig, key, shape)
      np.testing.assert_array_equal(tf.make_ndarray(proto), e["inputs"][sig][key])


@pytest.mark.parametrize("name", families.NAMES)
def test_plain_tensorflow_serves_every_signature(exported, served, name):
  assert served["_tfvae_imported"] == []
  e = exported[name]
  assert set(served[name]["signatures"]) == set(e["defs"])
  for sig, response_path in served[name]["served"].items():
    with open(response_path, "rb") as f:
      response = predict_pb2.PredictResponse.FromString(f.read())
    outputs = {k: tf.make_ndarray(v) for k, v in response.outputs.items()}
    _check_outputs(f"{name}/{sig} (tf.saved_model.load)", outputs, e["defs"][sig],
                   e["expected"][sig])


@pytest.mark.parametrize("name", families.NAMES)
def test_saved_model_cli_shows_and_runs_the_export(exported, served, name):
  e = exported[name]
  shown = served[name]["show"]
  for sig, sig_def in e["defs"].items():
    assert f"signature_def['{sig}']:" in shown, (name, sig)
    for key in sig_def.inputs:
      assert f"inputs['{key}'] tensor_info" in shown, (name, sig, key)
  # serving_default (scalar inputs) and a signature fed with an array (.npy file).
  assert sorted(served[name]["run"]) == sorted(_cli_runs(e)) and len(_cli_runs(e)) == 2
  for sig, run in served[name]["run"].items():
    sig_def = e["defs"][sig]
    outputs = {}
    for key in sig_def.outputs:
      assert f"Result for output key {key}:" in run["stdout"], (name, sig, key)
      outputs[key] = np.load(os.path.join(run["outdir"], f"{key}.npy"))
    _check_outputs(f"{name}/{sig} (saved_model_cli run)", outputs, sig_def,
                   e["expected"][sig])


def _readme_rest_bodies():
  """``{registry name: REST body}`` from the ``### names`` sections of the README."""
  with open(os.path.join(families.REPO_ROOT, "saved_models", "README.md")) as f:
    text = f.read()
  bodies = {}
  for section in re.split(r"^### ", text, flags=re.M)[1:]:
    names = [n.strip() for n in section.splitlines()[0].split(",")]
    body = json.loads(re.search(r"^REST body: `(.*)`$", section, flags=re.M).group(1))
    bodies.update({n: body for n in names})
  return bodies


def test_readme_rest_bodies_fit_the_signatures(exported):
  """The README's sample request of each family names a signature and exactly its
  inputs, with JSON integers for the int32 scalars."""
  bodies = _readme_rest_bodies()
  registered = {families.MODELS[n][0]["name"]: n for n in families.NAMES}
  assert set(bodies) == set(registered)
  for registry_name, body in bodies.items():
    defs = exported[registered[registry_name]]["defs"]
    sig_def = defs[body.get("signature_name", "serving_default")]
    assert set(body["inputs"]) == set(sig_def.inputs), registry_name
    for key, value in body["inputs"].items():
      assert sig_def.inputs[key].dtype == tf.int32.as_datatype_enum and isinstance(value, int)

