"""Ingest the real file formats of every rail: parsers (one module per format) and the loader.

Parsers: ``formats.PARSERS``; fast paths for regular NACHA, BAI2, MT940 and card CSV files
(``fast_*.py``, falling back to the parsers); the ledger export's bulk loader
(``ledger.py``); CSVs mapped by saved profiles (``mapped_csv.py``, ``csv_profiles.py``).
Loading: ``loader.load_file`` (``imports.import_bytes`` for a page); the control-total
policy: ``controls``; CLI: ``python -m ops_core.ingest``; the demo's files:
``demo_files.write_and_load``. See PARSERS.md (what reads what, why, and what rejects a
file), LEDGER_FORMAT.md and CARD_SETTLEMENT_FORMAT.md. Card dispute reports
(``dispute_csv.py``, profiles in ``dispute_profile.py``) open and advance dispute cases in
the load's transaction: DISPUTE_REPORT_FORMAT.md.
"""
