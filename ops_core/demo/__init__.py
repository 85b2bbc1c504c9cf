"""Deterministic demo data: ``python -m ops_core.demo`` (see data/README.md)."""
