"""Sync every reference table (rails, codes) from its CSV, inside the caller's transaction."""

from __future__ import annotations

import duckdb

from ops_core.reference.codes import sync_codes
from ops_core.reference.rails import sync_rails


def sync_reference(cur: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {"rails": sync_rails(cur), "codes": sync_codes(cur)}
