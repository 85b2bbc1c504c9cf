"""Failure, return, decline and change codes of every scheme, as data (codes_*.csv).

One CSV per scheme, named ``codes_<scheme>.csv``, with the columns of the DuckDB table ``codes``
(migration 001). ``uncertain`` is true when any fact in the row (title, window, category) could
not be checked against a primary source (the ⚠️ items of domain.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ops_core.errors import ConfigError
from ops_core.reference.csvload import REFERENCE_DIR, CsvRow, read_rows

COLUMNS = (
    "scheme",
    "code",
    "title",
    "description",
    "category",
    "return_window",
    "retry_category",
    "source",
    "effective_from",
    "uncertain",
)

# The vocabulary of `category` per scheme; a typo in a CSV is an error, not a new category.
CATEGORIES: dict[str, frozenset[str]] = {
    # domain.md §1.2 rate buckets; §1.4 dishonored / contested dishonored returns.
    "nacha_return": frozenset(
        {"unauthorized", "administrative", "other", "dishonored", "contested"}
    ),
    # domain.md §1.3: NOCs (RDFI → ODFI) and refused NOCs C61-C69 (ODFI → RDFI).
    "nacha_noc": frozenset({"noc", "refused_noc"}),
    # domain.md §4.2: groupings for triage (what the sender can do about it).
    "iso20022": frozenset(
        {
            "account",
            "amount",
            "timeout",
            "technical",
            "data",
            "duplicate",
            "fraud",
            "regulatory",
            "other",
        }
    ),
    "iso8583": frozenset({"approved", "decline"}),  # domain.md §5.2
    "chain": frozenset({"technical"}),  # Railyard's own on-chain statuses (domain.md §8.3)
    "spei_return": frozenset({"account", "amount", "data", "other"}),  # domain.md §9.3
    "upi": frozenset({"customer", "risk", "timeout", "technical", "other"}),  # domain.md §9.2
}

# domain.md §5.2: Visa retry categories 1-4 (blank = approved or not known).
RETRY_CATEGORIES = frozenset({"1", "2", "3", "4"})

_OPTIONAL = ("description", "category", "return_window", "retry_category")


def code_files() -> list[Path]:
    """The codes_*.csv files, one per scheme, in name order."""
    return sorted(REFERENCE_DIR.glob("codes_*.csv"))


def read_codes(files: list[Path] | None = None) -> pd.DataFrame:
    """Every code of every scheme, checked; raises ConfigError naming the file and line."""
    records: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], CsvRow] = {}
    for path in code_files() if files is None else files:
        scheme = _scheme_of(path)
        for row in read_rows(path, COLUMNS):
            record = _parse(row, scheme)
            key = (record["scheme"], record["code"])
            if key in seen:
                first = seen[key]
                raise row.error(
                    f"duplicate code {key[1]} (first at {first.file}, line {first.line})"
                )
            seen[key] = row
            records.append(record)
    return pd.DataFrame.from_records(records, columns=list(COLUMNS))


def sync_codes(cur: duckdb.DuckDBPyConnection) -> int:
    """Replace the contents of table ``codes`` from the CSVs, inside the caller's transaction.

    Validates everything before touching the table, so a bad CSV leaves it unchanged.
    """
    frame = read_codes()
    cur.execute("DELETE FROM codes")
    cur.register("codes_csv", frame)
    try:
        cur.execute("INSERT INTO codes BY NAME SELECT * FROM codes_csv")
    finally:
        cur.unregister("codes_csv")
    return len(frame)


def _scheme_of(path: Path) -> str:
    scheme = path.stem.removeprefix("codes_")
    if scheme not in CATEGORIES:
        raise ConfigError(
            f"{path}: unknown scheme {scheme!r} (expected one of {sorted(CATEGORIES)})"
        )
    return scheme


def _parse(row: CsvRow, scheme: str) -> dict[str, Any]:
    if row.required("scheme") != scheme:
        raise row.error(f"scheme is {row.values['scheme']!r} but the file holds {scheme!r}")
    record: dict[str, Any] = {f: row.required(f) for f in ("scheme", "code", "title", "source")}
    record.update({f: row.text(f) for f in _OPTIONAL})
    record["effective_from"] = row.iso_date("effective_from")
    record["uncertain"] = row.boolean("uncertain")
    category, retry = record["category"], record["retry_category"]
    if category is not None and category not in CATEGORIES[scheme]:
        allowed = sorted(CATEGORIES[scheme])
        raise row.error(f"category {category!r} is not one of {allowed} for {scheme}")
    if retry is not None and retry not in RETRY_CATEGORIES:
        raise row.error(f"retry_category {retry!r} (expected blank or one of 1, 2, 3, 4)")
    return record
