"""Card settlement CSV fast path (canonical layout): DuckDB reads, SQL checks and writes.

The streaming parser (card_csv.py) runs every row through Python's csv module and
Decimal. For the common file (the canonical layout, plain ASCII, no quoting, ``\\n`` or
``\\r\\n`` line breaks) Arrow's CSV reader reads it on every core and one statement,
``ingest/card_fast_insert``, types, checks and writes every row. A file that is not
plain returns None; a row the SQL does not vouch for (an amount or date of another form,
an unknown currency, a net that does not add up) makes the
statement fail, the loader rolls back and the parser runs, so it names the line and
field, flags the file, or rejects it when strict, exactly as before.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from ops_core import sql
from ops_core.ingest._common import ISO_4217_EXTRA, FileTotals
from ops_core.ingest.bulk import BulkJob, Stored
from ops_core.ingest.card_profile import OUR_COLUMNS
from ops_core.ingest.mapped_csv import MAX_FIELD
from ops_core.money import EXPONENT

BOM = b"\xef\xbb\xbf"
CURRENCIES = {**ISO_4217_EXTRA, **EXPONENT}
PLAIN = bytes(range(0x20, 0x7F)) + b"\r\n"


def fast_card(cur: duckdb.DuckDBPyConnection, job: BulkJob) -> Stored | None:
    """Load a plain canonical card settlement CSV in bulk, or None for the parser. A row the
    parser might read differently raises duckdb.Error (error() in the SQL): the loader then
    rolls the transaction back and runs the parser."""
    data = job.data[len(BOM) :] if job.data.startswith(BOM) else job.data
    header = _header(data)
    if header is None or not _plain(data):
        return None
    source = _read(data, header)
    if source is None:
        return None
    cur.register("card_source", source)
    try:
        sql.execute(
            cur, "ingest/card_fast_insert", file_id=job.file_id, currencies=list(CURRENCIES),
            exponents=list(CURRENCIES.values()),
        )  # fmt: skip
    finally:
        try:
            cur.unregister("card_source")
        except duckdb.Error:  # the transaction failed: the loader rolls back and retries
            pass
    return _stored(cur, job)


def _read(data: bytes, header: list[str]) -> pa.Table | None:
    """The canonical columns (Arrow's multi-threaded CSV reader, all text), each row's
    physical line and whether every cell is blank; None if a row has too few or too many
    cells, a cell is longer than the parser takes, or the rows do not line up with the
    lines."""
    names = [c or f"unnamed_{i}" for i, c in enumerate(header, start=1)]
    read = read_text_rows(data, names, pcsv.ParseOptions(quote_char=False, escape_char=False))
    if read is None:
        return None
    table, lines = read
    if any((pc.max(pc.binary_length(table[c])).as_py() or 0) > MAX_FIELD for c in names):
        return None  # the parser refuses the row ("field too long")
    if b" " in data and _padded(table, names):
        table = pa.table({c: pc.utf8_trim(table[c], characters=" ") for c in names})
    return (
        table.select(list(OUR_COLUMNS))
        .append_column("line", pa.array(lines))
        .append_column("blank", _blank_rows(table, names))
    )


def read_text_rows(
    data: bytes, names: list[str], parse: pcsv.ParseOptions
) -> tuple[pa.Table, np.ndarray] | None:
    """Every row after the header as text (Arrow's multi-threaded CSV reader) and the
    physical line of each; None if a row has another number of cells or the rows do not line
    up with the non-empty lines (a line break inside a value)."""
    try:
        table = pcsv.read_csv(
            pa.BufferReader(data),
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=1, block_size=4 << 20),
            parse_options=parse,
            convert_options=pcsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid:
        return None
    lines = _data_lines(data, table.num_rows)
    if table.num_rows != len(lines):
        return None
    return table, lines


def _padded(table: pa.Table, names: list[str]) -> bool:
    """Whether some cell starts or ends with a space (the parser strips cells)."""
    return any(
        pc.any(pc.or_(pc.starts_with(table[c], " "), pc.ends_with(table[c], " "))).as_py()
        for c in names
    )


def _blank_rows(table: pa.Table, names: list[str]) -> pa.ChunkedArray | pa.Array:
    """Per row: every cell empty (the parser skips such a row)."""
    blank = pc.equal(pc.utf8_length(table[names[0]]), 0)
    if not pc.any(blank).as_py():
        return pa.repeat(False, table.num_rows) if table.num_rows else pa.array([], pa.bool_())
    for column in names[1:]:
        blank = pc.and_(blank, pc.equal(pc.utf8_length(table[column]), 0))
    return blank


def _data_lines(data: bytes, rows: int) -> np.ndarray:
    """The physical line of every row the CSV reader yields: after the header, not empty."""
    if rows == data.count(b"\n") - (data[-1:] == b"\n"):  # no line skipped: one row a line
        return np.arange(2, rows + 2, dtype=np.int64)
    raw = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(raw == 10)
    if len(data) and data[-1:] != b"\n":
        ends = np.append(ends, len(data))
    starts = np.concatenate(([0], ends[:-1] + 1))
    length = ends - starts - (raw[np.maximum(ends - 1, 0)] == 13)  # without a CR before LF
    keep = length > 0
    keep[:1] = False  # the header
    return np.flatnonzero(keep) + 1


def _stored(cur: duckdb.DuckDBPyConnection, job: BulkJob) -> Stored | None:
    nets = cur.execute(
        "SELECT currency, sum(net_minor), count(*) FROM card_settlements"
        " WHERE source_file_id = ? GROUP BY currency ORDER BY min(source_line)",
        [job.file_id],
    ).fetchall()
    rows = sum(n for _, _, n in nets)
    if not rows:
        raise duckdb.InvalidInputException("fast path: no rows (the parser says so)")
    amounts = {f"net_{currency}": int(total) for currency, total, _ in nets}
    if job.progress is not None:
        job.progress(rows)
    return Stored(rows, FileTotals("card_csv", rows, {"rows": rows}, amounts,
                                   kind="profile canonical"))  # fmt: skip


def _header(data: bytes) -> list[str] | None:
    """The header's column names, if line 1 names every canonical column once."""
    end = data.find(b"\n")
    first = data[: end if end >= 0 else len(data)].rstrip(b"\r").decode("ascii", errors="replace")
    cells = [c.strip() for c in first.split(",")]
    if len(set(cells)) != len(cells) or not set(OUR_COLUMNS) <= set(cells):
        return None
    return cells


def _plain(data: bytes) -> bool:
    """Printable ASCII lines ended by \\n or \\r\\n, no quotes."""
    if b'"' in data or (b"\r" in data and data.count(b"\r") != data.count(b"\r\n")):
        return False
    return not data.translate(None, PLAIN)  # anything left is not printable ASCII or a break
