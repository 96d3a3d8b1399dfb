"""Benchmarks with their targets: `make bench` (or `python -m bench`) prints each figure beside its target."""
