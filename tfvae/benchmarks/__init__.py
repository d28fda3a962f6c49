"""Benchmarks: training throughput variants and quality suites."""
