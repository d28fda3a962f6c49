"""The shipped configs, one ``get_config()`` per file; installed as ``tfvae.configs`` so
that ``tfvae-train --config=<name>`` and ``tfvae.load_config("<name>")`` find them by
name from any folder (``tfvae/config_files.py``)."""
