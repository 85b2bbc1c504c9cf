"""Where each parsed record goes: record type -> table, written in Arrow batches."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import duckdb
import pyarrow as pa

from ops_core.ingest.records import (
    AchEntry,
    AchNoc,
    AchReturn,
    CardSettlement,
    ChainTransfer,
    DisputeReportRow,
    PaymentMessage,
    PaymentStatus,
    StatementBalance,
    StatementLine,
)

TABLES: dict[type, str] = {
    StatementLine: "bank_statement_lines",
    StatementBalance: "bank_balances",
    AchEntry: "ach_entries",
    AchReturn: "ach_returns",
    AchNoc: "ach_nocs",
    PaymentMessage: "iso_payment_messages",
    PaymentStatus: "iso_status_reports",
    CardSettlement: "card_settlements",
    ChainTransfer: "chain_transfers",
    DisputeReportRow: "dispute_report_rows",
}
BATCH_ROWS = 20_000


def columns(record_type: type) -> list[str]:
    """Table columns for a record type: its fields, 'line' stored as 'source_line'."""
    return ["source_line" if f.name == "line" else f.name for f in dataclasses.fields(record_type)]


class TableWriter:
    """Buffers rows per table and appends them through Arrow, all in the caller's
    transaction (so a rejected file leaves nothing behind)."""

    def __init__(
        self,
        cur: duckdb.DuckDBPyConnection,
        file_id: int,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.cur, self.file_id, self.progress = cur, file_id, progress
        self.buffers: dict[type, list[Any]] = {}
        self.rows = 0

    def add(self, record: Any) -> None:
        kind = type(record)
        if kind not in TABLES:
            raise TypeError(f"no table for {kind.__name__}")
        buffer = self.buffers.setdefault(kind, [])
        buffer.append(record)
        self.rows += 1
        if len(buffer) >= BATCH_ROWS:
            self.flush(kind)

    def flush(self, kind: type | None = None) -> None:
        for record_type in [kind] if kind else list(self.buffers):
            records = self.buffers.pop(record_type, [])
            if records:
                self._write(record_type, records)
        if self.progress is not None:
            self.progress(self.rows)

    def _write(self, kind: type, records: list[Any]) -> None:
        names = [f.name for f in dataclasses.fields(kind)]
        data = {
            col: [getattr(r, name) for r in records]
            for col, name in zip(columns(kind), names, strict=True)
        }
        data["source_file_id"] = [self.file_id] * len(records)
        _ingest_batch = pa.table(data)  # read by DuckDB's replacement scan, by this name
        cols = ", ".join(data)
        self.cur.execute(f"INSERT INTO {TABLES[kind]} ({cols}) SELECT {cols} FROM _ingest_batch")
