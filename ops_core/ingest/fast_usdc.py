"""USDC explorer CSV fast path: Arrow reads, SQL checks and writes.

The streaming parser (usdc_csv.py) runs every row through Python's csv module, two regular
expressions and a Decimal. For the common export (printable ASCII, every field quoted or
none, ``\\n`` or ``\\r\\n`` line breaks, the same number of cells on every row) Arrow's CSV
reader reads it on every core and one statement, ``ingest/usdc_csv_fast_insert``, types,
checks and writes every row. A file that is not plain returns None; a row the SQL does not
vouch for makes the statement fail, the loader rolls back and the parser runs, so it names
the line and field exactly as before.
"""

from __future__ import annotations

import csv

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from ops_core import sql
from ops_core.errors import FileRejected
from ops_core.ingest._common import FileTotals
from ops_core.ingest.bulk import BulkJob, Stored
from ops_core.ingest.fast_card import BOM, _blank_rows, _data_lines
from ops_core.ingest.usdc import USDC_CONTRACTS
from ops_core.ingest.usdc_csv import FORMAT, WARNING, _columns

PLAIN = bytes(range(0x20, 0x7F)) + b"\r\n"
# the mapped fields, under the names the SQL reads
FIELDS = {
    "tx_hash": "tx_hash", "block": "block", "time": "stamp", "from": "from_address",
    "to": "to_address", "quantity": "quantity", "contract": "contract", "chain": "chain",
}  # fmt: skip


def fast_usdc_csv(cur: duckdb.DuckDBPyConnection, job: BulkJob) -> Stored | None:
    """Load a plain explorer export in bulk, or None for the parser. A row the parser might
    read differently raises duckdb.Error (error() in the SQL): the loader then rolls the
    transaction back and runs the parser."""
    data = job.data[len(BOM) :] if job.data.startswith(BOM) else job.data
    if data.translate(None, PLAIN) or (b"\r" in data and data.count(b"\r") != data.count(b"\r\n")):
        return None  # not printable ASCII lines
    end = data.find(b"\n")
    header = next(csv.reader([data[: end if end >= 0 else len(data)].decode().rstrip("\r")]), [])
    try:
        columns = _columns(header, job.name)
    except FileRejected:
        return None
    source = _read(data, len(header), columns)
    if source is None:
        return None
    cur.register("usdc_source", source)
    try:
        sql.execute(
            cur, "ingest/usdc_csv_fast_insert", file_id=job.file_id, chain="ethereum",
            chains=list(USDC_CONTRACTS), contracts=list(USDC_CONTRACTS.values()),
        )  # fmt: skip
    finally:
        try:
            cur.unregister("usdc_source")
        except duckdb.Error:  # the transaction failed: the loader rolls back and retries
            pass
    rows, total = cur.execute(
        "SELECT count(*), sum(amount_minor) FROM chain_transfers WHERE source_file_id = ?",
        [job.file_id],
    ).fetchone()
    if not rows:
        raise duckdb.InvalidInputException("fast path: no rows (the parser says so)")
    if job.progress is not None:
        job.progress(rows)
    return Stored(rows, FileTotals(FORMAT, rows, {"transfers": rows}, {"USDC": int(total)},
                                   (WARNING,)))  # fmt: skip


def _read(data: bytes, width: int, columns: dict[str, int]) -> pa.Table | None:
    """The mapped columns (Arrow's multi-threaded CSV reader, all text, trimmed of spaces as
    the parser strips them), each row's physical line and whether every cell is blank; None
    if a row has another number of cells, a cell is longer than Python's csv module takes,
    or the rows do not line up with the lines."""
    names = [f"c{i}" for i in range(width)]
    try:
        table = pcsv.read_csv(
            pa.BufferReader(data),
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=1, block_size=4 << 20),
            parse_options=pcsv.ParseOptions(newlines_in_values=False),
            convert_options=pcsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid:
        return None
    lines = _data_lines(data, table.num_rows)
    if table.num_rows != len(lines):
        return None
    if any(
        (pc.max(pc.binary_length(table[c])).as_py() or 0) > csv.field_size_limit() for c in names
    ):
        return None  # csv.Error in the parser ("field larger than field limit")
    trimmed = pa.table({c: pc.utf8_trim(table[c], characters=" ") for c in names})
    empty = pa.array([""] * table.num_rows, pa.string())
    selected = {
        ours: trimmed[f"c{columns[field]}"] if field in columns else empty
        for field, ours in FIELDS.items()
    }
    return (
        pa.table(selected)
        .append_column("line", pa.array(lines))
        .append_column("blank", _blank_rows(trimmed, names))
    )
