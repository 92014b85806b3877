"""Anonymised aggregation: the only place in ``reports`` that reads raw returns.

``sums`` turns a cycle's submitted returns into per-group sums with grouped SQL; ``disclosure``
turns those sums into publishable cells under the small-cell rules. Nothing else in the reports
app may import ``pledges.models.DataReturn`` (an import-linter contract says so).
"""
