"""Benchmarks: `make bench` (or `python -m bench`) runs them and prints one table each.

Not tests: they measure against targets and say which were missed. A benchmark is a function
registered with `bench.registry.benchmark`; its module is listed in `bench.__main__`.
"""
