"""Ingest the real file formats of every rail: parsers (one module per format) and the loader.

Parsers: ``formats.PARSERS``; loading: ``loader.load_file``; CLI: ``python -m ops_core.ingest``.
See PARSERS.md (what reads what, and why) and CARD_SETTLEMENT_FORMAT.md.
"""
