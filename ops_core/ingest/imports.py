"""Imports as a person sees them: one outcome per uploaded file, and the history.

``import_bytes`` never raises for a bad file: a rejection becomes an outcome that names
the file, the line or XML path, the field and what was expected, so a page (or a
scheduled job) can report every file of a batch, good and bad, side by side.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import duckdb
import pandas as pd

from ops_core import sql
from ops_core.db import Database
from ops_core.errors import FileRejected
from ops_core.ingest.loader import load_file
from ops_core.money import EXPONENT

AUTO = "auto"


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one file: loaded, already loaded (a no-op), or rejected."""

    name: str
    status: str  # 'loaded' | 'already loaded' | 'rejected'
    format: str = ""
    rows: int = 0
    totals: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    control_ok: bool = True
    sha256: str = ""
    error: str = ""  # the whole message: file, line or path, field, expected
    line: int | None = None
    path: str | None = None
    field: str | None = None
    expected: str | None = None

    @property
    def ok(self) -> bool:
        return self.status != "rejected"


def import_bytes(
    db: Database, data: bytes, name: str, *, format: str = AUTO, actor: str, strict: bool = False
) -> ImportOutcome:
    """Load one uploaded file (bytes; its name is display text only) into ``db``."""
    try:
        result = load_file(
            db, data, name=name, format=None if format == AUTO else format, actor=actor,
            strict=strict,
        )  # fmt: skip
    except FileRejected as exc:
        return ImportOutcome(
            name=exc.file, status="rejected", error=str(exc), line=exc.line, path=exc.path,
            field=exc.field, expected=exc.expected, format="" if format == AUTO else format,
        )  # fmt: skip
    return ImportOutcome(
        name=result.name, status="already loaded" if result.already_loaded else "loaded",
        format=result.format, rows=result.rows, totals=result.totals, warnings=result.warnings,
        control_ok=result.control_ok, sha256=result.sha256,
    )  # fmt: skip


def history(cur: duckdb.DuckDBPyConnection, limit: int = 500) -> pd.DataFrame:
    """Loaded files, newest first, with their totals decoded and summarised."""
    df = sql.query(cur, "ingest/history", limit=limit)
    df["totals"] = [summarise(json.loads(t)) for t in df["totals"]]
    df["warnings"] = ["\n".join(json.loads(w)) for w in df["warnings"]]
    return df


def summarise(totals: dict[str, Any]) -> str:
    """'2 batches, 6 entries; debit 150.00 USD, credit 268.20 USD' from a totals dict."""
    counts = ", ".join(f"{n:,} {k}" for k, n in totals.get("counts", {}).items() if n)
    money = ", ".join(_amount(k, v) for k, v in totals.get("amounts", {}).items())
    kind = totals.get("kind", "")
    return "; ".join(part for part in (kind, counts, money) if part)


def _amount(key: str, minor: int) -> str:
    """'debit_USD' -> 'debit 1,234.56 USD'; a bare currency key -> '1,234.56 USDC'."""
    label, _, currency = key.rpartition("_")
    places = EXPONENT.get(currency)
    if places is None:  # a BAI2 control total carries no currency of its own
        return f"{key.replace('_', ' ')} {minor:,}"
    value = f"{Decimal(minor).scaleb(-places):,.{places}f}"
    return f"{label} {value} {currency}".strip()
