"""Reference data kept as CSV next to this file (rule tables as data, STYLE.md) and synced into
DuckDB inside the caller's transaction.

- codes: failure / return / decline / change codes of every scheme (``codes_*.csv``).
"""

from __future__ import annotations

from ops_core.reference.codes import code_files, read_codes, sync_codes
from ops_core.reference.csvload import REFERENCE_DIR

__all__ = ["REFERENCE_DIR", "code_files", "read_codes", "sync_codes"]
