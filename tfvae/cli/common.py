"""Shared bits of the absl command-line apps."""
import logging
import os
import sys
import tempfile
import warnings


def run_app(main, module_name: str) -> None:
  """``app.run(main)`` whose ``--help`` lists ``module_name``'s flags.

  absl's ``--help`` shows the key flags of the module named by ``sys.argv[0]``; under a
  console script (``tfvae-train``) that is the generated wrapper, which defines none,
  so the flags hid behind ``--helpfull``. They are registered for it here.
  """
  import sys  # pylint: disable=g-import-not-at-top
  from absl import app  # pylint: disable=g-import-not-at-top
  from absl import flags  # pylint: disable=g-import-not-at-top
  for flag in flags.FLAGS.get_key_flags_for_module(module_name):
    flags.FLAGS.register_key_flag_for_module(sys.argv[0], flag)
  app.run(main)


def quiet_tensorflow() -> None:
  """Keeps TF's C++ start-up chatter and TFP's import warnings out of the output.

  ``TF_CPP_MIN_LOG_LEVEL=3`` (unless set) hides the C++ log lines, among them the
  "failed call to cuInit" error that every CPU-only command printed. The lines TF writes
  while it loads ("oneDNN custom operations are on", "Could not find cuda drivers"),
  before its log level applies, are captured while TensorFlow is imported here and shown
  only if the import fails.
  """
  os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
  warnings.filterwarnings("ignore", category=DeprecationWarning)
  logging.getLogger("tensorflow").setLevel(logging.ERROR)
  from absl import logging as absl_logging  # pylint: disable=g-import-not-at-top
  absl_logging.set_verbosity(absl_logging.WARNING)
  if "tensorflow" not in sys.modules:
    _import_tensorflow_quietly()


def _import_tensorflow_quietly() -> None:
  """``import tensorflow`` with file descriptor 2 sent to a temporary file."""
  sys.stderr.flush()
  saved = os.dup(2)
  with tempfile.TemporaryFile(mode="w+b") as captured:
    os.dup2(captured.fileno(), 2)
    try:
      import tensorflow  # pylint: disable=g-import-not-at-top,unused-import
    except BaseException:
      os.dup2(saved, 2)
      captured.seek(0)
      sys.stderr.write(captured.read().decode(errors="replace"))
      raise
    finally:
      os.dup2(saved, 2)
      os.close(saved)


def flatten_keys(config, prefix: str = "") -> list:
  """Dotted paths of every leaf of a ConfigDict / dict."""
  keys = []
  for key, value in config.items():
    path = f"{prefix}{key}"
    if hasattr(value, "items"):
      keys.extend(flatten_keys(value, path + "."))
      keys.append(path)
    else:
      keys.append(path)
  return keys


def _load_config_file(path: str):
  """``get_config()`` of ``path``; any error in the file exits with one line naming it."""
  from tfvae.config_files import load_config_file  # pylint: disable=g-import-not-at-top
  if not os.path.exists(path):
    raise SystemExit(f"error: --config file not found: {path}")
  try:
    return load_config_file(path)
  except SyntaxError as e:
    raise SystemExit(f"error: config file {path} has a syntax error at line {e.lineno}: "
                     f"{e.msg}") from None
  except Exception as e:  # pylint: disable=broad-except
    raise SystemExit(f"error: config file {path} failed to load: {type(e).__name__}: "
                     f"{e}") from None


def check_config_overrides(argv, flag_name: str = "config",
                           new_model_keys: bool = False) -> dict:
  """Exits with a clear message if a ``--config.a.b=v`` override names no config key.

  ``--config=<name>`` of a shipped config (``tfvae.configs``) becomes its path in ``argv``.

  ml_collections would raise a bare AttributeError traceback; this lists valid keys.
  With ``new_model_keys``, an override ``--config.model.<key>=<value>`` of a key that the
  config file does not write (any constructor argument of the model, checked when the
  model's registry is imported), or ``--config.train.<key>=<value>`` of an optional train
  setting (``train_settings.TRAIN_DEFAULTS``) that it leaves at its default, is taken out
  of ``argv`` (ml_collections could not set it) and returned as ``{"model.key": value}``
  / ``{"train.key": value}``, the value a Python literal or else a string
  (``apply_model_overrides`` sets them).
  """
  path = None
  overrides = []
  for i, arg in enumerate(list(argv)):
    if i and arg.startswith(f"--{flag_name}="):
      path = _shipped_config_by_name(arg.split("=", 1)[1])
      argv[i] = f"--{flag_name}={path}"
    elif i and arg.startswith(f"--{flag_name}."):
      overrides.append(arg[len(flag_name) + 3:].split("=", 1)[0])
  if path is not None and not os.path.exists(path.split(":", 1)[0]):  # "file.py:arg" form
    raise SystemExit(f"error: --config file not found: {path} (nor a shipped config: "
                     f"{', '.join(_shipped_names())})")
  if path is None or ":" in path:  # "file.py:arg" is left to ml_collections
    return {}
  config = _load_config_file(path)  # a broken file fails here, in one line
  if not overrides:
    return {}
  valid = set(flatten_keys(config))
  unknown = [key for key in overrides if key not in valid]
  extra = {}
  if new_model_keys:
    from tfvae.training.train_settings import TRAIN_DEFAULTS  # pylint: disable=g-import-not-at-top
    addable = [k for k in unknown if k.count(".") == 1 and (
        k.startswith("model.") or (k.startswith("train.") and
                                   k.split(".", 1)[1] in TRAIN_DEFAULTS))]
    for key in addable:
      prefix = f"--{flag_name}.{key}"
      for arg in [a for a in argv[1:] if a == prefix or a.startswith(prefix + "=")]:
        if "=" not in arg:
          raise SystemExit(f"error: {arg} needs a value ({arg}=...)")
        extra[key] = _literal(arg.split("=", 1)[1])
        argv.remove(arg)
      unknown.remove(key)
  if unknown:
    leaves = sorted(k for k in valid)
    raise SystemExit(
        f"error: unknown config key(s) {', '.join(unknown)} for {path}.\n"
        f"Valid keys: {', '.join(leaves)}")
  return extra


def _shipped_names() -> list:
  from tfvae.config_files import shipped_config_names  # pylint: disable=g-import-not-at-top
  return shipped_config_names()


def _shipped_config_by_name(value: str) -> str:
  """``--config=vae_binarized_mnist``: a name that is no file but a shipped config is
  replaced by that config's installed path (``tfvae.configs``)."""
  from tfvae.config_files import resolve_config  # pylint: disable=g-import-not-at-top
  if ":" in value:  # "file.py:arg"
    return value
  return resolve_config(value)


def _literal(text: str):
  """A command-line value: a Python literal (``3``, ``0.5``, ``(300, 300)``, ``True``,
  ``None``; ``true`` / ``false`` too) or else the string itself."""
  import ast  # pylint: disable=g-import-not-at-top
  if text.lower() in ("true", "false"):
    return text.lower() == "true"
  try:
    return ast.literal_eval(text)
  except (ValueError, SyntaxError):
    return text


def apply_model_overrides(config, extra: dict) -> None:
  """Sets the ``config.model`` / ``config.train`` keys taken out by
  ``check_config_overrides`` (``{"model.key": value}``)."""
  if not extra:
    return
  with config.unlocked():
    for key, value in extra.items():
      section, name = key.split(".", 1)
      config[section][name] = value
