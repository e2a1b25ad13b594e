"""Helpers shared by the tests and the benchmarks: saved-page paths, page sets for the local
site, generated pages, sample sources, database URLs and the extraction scorers.

Tests and benchmarks import this package; nothing here imports a test module or a benchmark,
so neither side depends on the other (an import contract in tests/project checks it).
"""
