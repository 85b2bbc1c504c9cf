"""The rails table as data (ops_core/reference/rails.csv), synced into DuckDB."""

from __future__ import annotations

from pathlib import Path

import duckdb

RAILS_CSV = Path(__file__).parent / "rails.csv"


def sync_rails(cur: duckdb.DuckDBPyConnection) -> int:
    """Replace the rails reference rows from the CSV; idempotent, inside the caller's txn."""
    cur.execute("DELETE FROM rails")
    cur.execute(
        "INSERT INTO rails BY NAME "
        "SELECT * FROM read_csv($path, header = true, auto_detect = true)",
        {"path": str(RAILS_CSV)},
    )
    return cur.execute("SELECT count(*) FROM rails").fetchone()[0]
