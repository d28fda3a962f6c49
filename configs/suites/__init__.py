"""The benchmark suites of ``tfvae-benchmark --suite=<name>``, one file per suite.

A suite file defines ``get_suite()`` returning its entries, each a dict of the fields of
``tfvae.benchmarks.suites.Entry``: a config (``configs/<name>.py``; a checkout's file, or
else the shipped config of that name) plus dotted ``overrides`` that fix its training
budget, and how it is evaluated (IWAE k, test examples, paired baseline). ``{shared}`` in
an override is replaced by the shared-data folder (``--shared_data``). Files starting
with ``_`` are not suites. The measured figures of each suite are in the repository's
``docs/benchmarks.md``.
"""
