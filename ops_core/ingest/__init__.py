"""Ingest the real file formats of every rail: parsers (one module per format) and the loader.

Parsers: ``formats.PARSERS``; loading: ``loader.load_file`` (``imports.import_bytes`` for a
page); the control-total policy: ``controls``; CLI: ``python -m ops_core.ingest``; the
demo's files: ``demo_files.write_and_load``. See PARSERS.md (what reads what, why, and
what rejects a file) and CARD_SETTLEMENT_FORMAT.md.
"""
