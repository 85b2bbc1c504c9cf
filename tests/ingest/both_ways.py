"""Loading a file with and without the fast paths (ops_core.ingest.formats.FAST), for the
tests that hold each fast path to its parser: the outcome (the error, or the rows, totals,
warnings and every table written) must be the same either way."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ops_core.db import Database, open_db
from ops_core.errors import FileRejected
from ops_core.ingest import formats
from ops_core.ingest.bulk import BulkJob
from ops_core.ingest.loader import load_file

# every table a fast path writes, and the file record
TABLES = (
    "ach_entries", "ach_returns", "ach_nocs", "card_settlements", "bank_statement_lines",
    "bank_balances", "chain_transfers", "iso_status_reports", "iso_payment_messages",
    "payments", "payment_events", "data_version", "source_files",
)  # fmt: skip
# columns that differ between two loads of the same file (on two scratch databases)
VARYING = {"source_files": "loaded_at, file_id", "data_version": "changed_at"}


def outcome(data: bytes, fmt: str, *, fast: bool, strict: bool = False) -> tuple:
    """What loading does, with or without the fast paths: the error, or what was written."""
    saved = dict(formats.FAST)
    if not fast:
        formats.FAST.clear()
    db = open_db(":memory:")
    try:
        result = load_file(db, data, name="f", format=fmt, actor="t", strict=strict)
    except FileRejected as exc:
        db.close()
        return ("rejected", str(exc))
    finally:
        formats.FAST.clear()
        formats.FAST.update(saved)
    try:
        return ("loaded", result.rows, result.totals, result.warnings, result.control_ok,
                dump(db))  # fmt: skip
    finally:
        db.close()


def dump(db: Database) -> dict[str, list[str]]:
    """Every table's rows, but the columns that differ between two loads of the same file."""
    cur = db.cursor()
    try:
        tables = {}
        for table in TABLES:
            columns = {r[0] for r in cur.execute(f"DESCRIBE {table}").fetchall()}
            skip = VARYING.get(table, "source_file_id" if "source_file_id" in columns else "")
            select = f"SELECT * EXCLUDE ({skip})" if skip else "SELECT *"
            rows = cur.execute(f"{select} FROM {table}").fetchall()
            tables[table] = sorted(map(repr, rows))
        return tables
    finally:
        cur.close()


def same_both_ways(data: bytes, fmt: str, strict: bool = False) -> tuple:
    fast = outcome(data, fmt, fast=True, strict=strict)
    slow = outcome(data, fmt, fast=False, strict=strict)
    assert fast == slow
    return fast


def route(data: bytes, fmt: str) -> str:
    """What the format's fast path does with the file, on a scratch database: 'fast' (it
    wrote the file), 'declined' (None: the parser runs), 'failed' (its SQL raised: the
    loader rolls back and the parser runs) or 'rejected' (FileRejected, as the parser
    would)."""
    db = open_db(":memory:")
    try:
        with db.transaction() as cur:
            file_id = cur.execute(
                "INSERT INTO source_files (sha256, original_name, format, size_bytes, row_count,"
                " totals, loaded_at, loaded_by) VALUES ('x', 'f', ?, 0, 0, '{}', now(), 't')"
                " RETURNING file_id",
                [fmt],
            ).fetchone()[0]
            try:
                stored = formats.FAST[fmt](cur, BulkJob(data, "f", file_id))
            except duckdb.Error:
                return "failed"
            except FileRejected:
                return "rejected"
            return "declined" if stored is None else "fast"
    finally:
        db.close()


def took_fast_path(data: bytes, fmt: str) -> bool:
    """Whether the fast path vouched for the file and wrote it."""
    return route(data, fmt) == "fast"


@dataclass(frozen=True)
class Format:
    """The functions above for one format, for a test module about one fast path."""

    fmt: str

    def outcome(self, data: bytes, *, fast: bool, strict: bool = False) -> tuple:
        return outcome(data, self.fmt, fast=fast, strict=strict)

    def same_both_ways(self, data: bytes, strict: bool = False) -> tuple:
        return same_both_ways(data, self.fmt, strict)

    def route(self, data: bytes) -> str:
        return route(data, self.fmt)

    def took_fast_path(self, data: bytes) -> bool:
        return took_fast_path(data, self.fmt)
