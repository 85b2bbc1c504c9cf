"""Bulk loading through DuckDB: a file staged with ``read_csv``/``read_parquet``, checked
in SQL, written with ``INSERT ... SELECT``, all inside the loader's transaction.

Used by the ledger importer (ledger.py) and the fast paths of the line formats
(fast_nacha.py, fast_card.py). DuckDB reads a file from a path, so the bytes the loader
already holds (and hashed) are written to a private temporary file that is removed
afterwards; the user's file name is never part of that path.

Line numbers: DuckDB's CSV reader skips blank lines and gives no line number for a good
row, so ``row_lines`` rebuilds each row's physical line from the file's bytes and the
newlines inside its quoted fields. Reader errors come with a byte offset, turned into a
line the same way.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from ops_core.errors import FileRejected
from ops_core.ingest._common import FileTotals


@dataclass(frozen=True)
class BulkJob:
    """One file being loaded: its bytes, display name and the source_files row it fills."""

    data: bytes
    name: str
    file_id: int
    strict: bool = False
    progress: Callable[[int], None] | None = None


@dataclass(frozen=True)
class Stored:
    """What a bulk loader wrote: rows inserted and the file's totals."""

    rows: int
    totals: FileTotals


BulkLoader = Callable[[duckdb.DuckDBPyConnection, BulkJob], Stored]
# A fast path returns None when it cannot vouch for the file; the parser then runs.
FastPath = Callable[[duckdb.DuckDBPyConnection, BulkJob], Stored | None]


@contextmanager
def staged_file(data: bytes, suffix: str) -> Iterator[str]:
    """The bytes in a private temporary file (its name is ours, never the user's)."""
    folder = tempfile.mkdtemp(prefix="railyard_ingest_")
    path = Path(folder) / f"upload{suffix}"
    try:
        with open(path, "wb") as handle:
            handle.write(data)
        yield str(path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def line_at(data: bytes, byte_position: int) -> int:
    """The 1-based line holding the byte at ``byte_position`` (0-based)."""
    return data.count(b"\n", 0, max(byte_position, 0)) + 1


def blank_lines(data: bytes) -> np.ndarray:
    """Physical lines (1-based) that are empty or only a carriage return."""
    raw = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(raw == 10)
    starts = np.concatenate(([0], ends + 1))[: len(ends)]
    length = ends - starts
    crlf = length == 1
    crlf[crlf] = raw[starts[crlf]] == 13
    return np.flatnonzero((length == 0) | crlf) + 1


def row_lines(data: bytes, newlines: np.ndarray, first_line: int = 2) -> np.ndarray:
    """The physical line each parsed CSV row starts on.

    ``newlines[i]`` counts the line feeds inside row i's quoted fields; rows follow one
    another from ``first_line`` (the line after the header), skipping the blank lines
    DuckDB skips. A blank line inside a quoted field belongs to its row, not skipped."""
    spans = 1 + newlines.astype(np.int64)
    if not len(spans):
        return np.zeros(0, dtype=np.int64)
    starts = first_line + np.concatenate(([0], np.cumsum(spans)[:-1]))
    physical = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    if physical == first_line - 1 + int(spans.sum()):
        return starts  # the rows fill every line: no blank line to look for
    blanks = blank_lines(data)
    blanks = blanks[blanks >= first_line]
    if not len(blanks):
        return starts
    lines = np.empty(len(spans), dtype=np.int64)
    skip, current = set(blanks.tolist()), first_line
    for i, span in enumerate(spans.tolist()):
        while current in skip:
            current += 1
        lines[i] = current
        current += span
    return lines


def reader_error(
    cur: duckdb.DuckDBPyConnection, data: bytes, name: str, rejects: str
) -> FileRejected | None:
    """The first row DuckDB's CSV reader refused (``store_rejects``), as FileRejected."""
    rows = cur.execute(
        f"SELECT line_byte_position, column_name, error_type, error_message FROM {rejects}"
        " ORDER BY line_byte_position LIMIT 1"
    ).fetchall()
    if not rows:
        return None
    position, column, kind, message = rows[0]
    first = message.splitlines()[0] if message else kind
    return FileRejected(
        name,
        f"unreadable CSV row: {first}",
        line=line_at(data, int(position)),
        field=column,
        expected="one value per header column, quotes closed, UTF-8",
    )
