"""NACHA fast path: a regular file checked with numpy and written with SQL.

The streaming parser (nacha.py) reads one record at a time in Python, which tops out near
10 MB/s. Most files are regular: 94-character ASCII records, one per line, no blank lines,
forward entries, returns and NOCs in PPD/CCD/WEB-style batches. For those, this module
views the bytes as an N x 94 matrix and does every per-record check of the parser at once:
record order (a transition table over the record type codes), transaction codes, the
direction a batch allows, RDFI check digits, numeric fields, addenda indicators and codes,
entry hash and totals per batch. Batch headers and controls and the file header and
control (a few thousand records at most) go through the parser's own code (Batch,
check_control, the file control and block count), so the rules live in one place. The
entries' text fields are sliced and stripped by numpy on one thread per core into Arrow
string views of the record matrix (_entry_fields, byteviews); the rows are then written by
three INSERT ... SELECT statements over those Arrow tables (ops_core/sql/ingest/nacha_*.sql:
entries; returns and NOCs, sliced there from the addenda records).

Anything the fast path does not handle returns None and the parser runs instead: line
breaks missing or uneven, non-ASCII bytes, IAT or ADV batches, addenda other than 02, 05,
98 and 99, any structural error (the parser then raises it, naming the first bad line),
and any control mismatch (the parser then loads the file flagged, or rejects it). So
both paths accept exactly the same files and write the same rows (tests/ingest/
test_fast_paths.py loads every sample both ways).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pyarrow as pa

from ops_core import sql
from ops_core.errors import FileRejected
from ops_core.ingest import byteviews, nacha
from ops_core.ingest._common import FileTotals
from ops_core.ingest.bulk import BulkJob, Stored
from ops_core.ingest.controls import Controls
from ops_core.ingest.nacha_batch import CREDIT_ONLY_SEC, DEBIT_ONLY_SEC, Batch, read_batch_header
from ops_core.ingest.nacha_fields import Rec
from ops_core.ingest.nacha_rules import (
    CHANGE_CODES,
    CONTESTED_CODES,
    DISHONORED_CODES,
    PRENOTE_CODES,
    RECORD_LENGTH,
    RETURN_CODES,
    ROUTING_WEIGHTS,
    TRANSACTION_CODES,
)

ZERO = ord("0")
FAST_ADDENDA = frozenset({"02", "05", "98", "99"})
# record type -> the types that may follow it: 1 (5 (6 7*)* 8)* 9 9*
FOLLOWS = {"1": "59", "5": "68", "6": "678", "7": "678", "8": "59", "9": "9"}
_ALLOWED = np.zeros((256, 256), dtype=bool)
for _prev, _nexts in FOLLOWS.items():
    for _next in _nexts:
        _ALLOWED[ord(_prev), ord(_next)] = True


def _table(codes: frozenset[str], width: int, offset: int = 0) -> np.ndarray:
    """A lookup table: the numeric value of a code (without its letter prefix) -> allowed."""
    table = np.zeros(10**width, dtype=bool)
    table[[int(c[offset:]) for c in codes]] = True
    return table


TXN_OK = _table(TRANSACTION_CODES, 2)
PRENOTE = _table(PRENOTE_CODES, 2)
RETURN_OK = _table(RETURN_CODES, 2, offset=1)
CHANGE_OK = _table(CHANGE_CODES, 2, offset=1)


def _empty() -> np.ndarray:
    return np.zeros(0, dtype=np.int64)


@dataclass
class _File:
    """The regular file as a matrix, and what the vectorised checks found."""

    recs: np.ndarray  # N x 94 uint8
    types: np.ndarray  # N record type bytes
    entries: np.ndarray  # row indices of 6 records
    addenda: np.ndarray  # row indices of 7 records
    parent: np.ndarray  # for each addenda: the index (into entries) of its entry
    batch_of: np.ndarray = field(default_factory=_empty)  # for each entry: its batch (0-based)
    code: np.ndarray = field(default_factory=_empty)  # transaction code as a number
    amount: np.ndarray = field(default_factory=_empty)
    credit: np.ndarray = field(default_factory=_empty)
    hash8: np.ndarray = field(
        default_factory=_empty
    )  # the first 8 digits of the RDFI routing number
    kind: np.ndarray = field(default_factory=_empty)  # addenda type code as a number


def fast_nacha(cur: duckdb.DuckDBPyConnection, job: BulkJob) -> Stored | None:
    """Load a regular NACHA file in bulk, or None to let the streaming parser do it."""
    recs = _matrix(job.data)
    if recs is None:
        return None
    try:
        checked = _check(recs, job)
    except FileRejected:
        return None  # the parser will raise it, or the first error before it
    if checked is None:
        return None
    file, batches, totals = checked
    rows = _write(cur, job, file, batches)
    if job.progress is not None:
        job.progress(rows)
    return Stored(rows, totals)


def _matrix(data: bytes) -> np.ndarray | None:
    """The records as an N x 94 matrix, if every line is 94 printable ASCII characters
    ended by the same line break; else None."""
    if len(data) < RECORD_LENGTH + 1:
        return None
    eol = data[RECORD_LENGTH : RECORD_LENGTH + 2]
    width = RECORD_LENGTH + (2 if eol == b"\r\n" else 1 if eol[:1] == b"\n" else 0)
    if width == RECORD_LENGTH:
        return None
    remainder = len(data) % width
    if remainder == RECORD_LENGTH:  # the last record has no line break
        data += eol[: width - RECORD_LENGTH]
    elif remainder:
        return None
    raw = np.frombuffer(data, dtype=np.uint8).reshape(-1, width)
    ends = raw[:, RECORD_LENGTH:]
    if not (ends == np.frombuffer(eol[: width - RECORD_LENGTH], np.uint8)).all():
        return None
    recs = raw[:, :RECORD_LENGTH]
    if ((recs < 0x20) | (recs > 0x7E)).any():
        return None
    return recs


def _digits(block: np.ndarray) -> tuple[bool, np.ndarray]:
    """(every cell a digit, the numbers) of an M x k block of ASCII cells."""
    cells = block - np.uint8(ZERO)  # one byte per cell; below "0" wraps to above 9
    if (cells > 9).any():
        return False, np.zeros(len(block), dtype=np.int64)
    value = np.zeros(len(block), dtype=np.int64)
    for j in range(block.shape[1]):  # Horner's rule, a column at a time
        value = value * 10 + cells[:, j]
    return True, value


def _check(recs: np.ndarray, job: BulkJob) -> tuple[_File, list[Batch], FileTotals] | None:
    types = recs[:, 0]
    if types[0] != ord("1") or not _ALLOWED[types[:-1], types[1:]].all():
        return None
    nines = np.flatnonzero(types == ord("9"))
    if not len(nines) or not (recs[nines[0] + 1 :] == ord("9")).all():
        return None
    entries = np.flatnonzero(types == ord("6"))
    addenda = np.flatnonzero(types == ord("7"))
    owner = np.cumsum(types == ord("6")) - 1  # the entry each record follows
    file = _File(recs, types, entries, addenda, owner[addenda])
    state = nacha._FileState(job.name, controls=Controls(job.strict))
    nacha._file_header(state, _rec(job, recs, 0))
    batches = _batches(recs, types, job)
    if batches is None or not _entries_ok(file, batches) or not _addenda_ok(file):
        return None
    _fill_batches(file, batches)
    return _controls(file, batches, state, job)


def _rec(job: BulkJob, recs: np.ndarray, row: int) -> Rec:
    return Rec(job.name, row + 1, recs[row].tobytes().decode("ascii"))


def _batches(recs: np.ndarray, types: np.ndarray, job: BulkJob) -> list[Batch] | None:
    batches = []
    for row in np.flatnonzero(types == ord("5")).tolist():
        batch = read_batch_header(_rec(job, recs, row))
        if batch.is_adv or batch.is_iat:
            return None
        batches.append(batch)
    return batches


def _entries_ok(file: _File, batches: list[Batch]) -> bool:
    """Transaction code, direction, RDFI check digit, amount, indicator, trace, COR amount."""
    e = file.recs[file.entries]
    ok_code, code = _digits(e[:, 1:3])
    ok_rdfi, rdfi = _digits(e[:, 3:12])
    ok_amount, amount = _digits(e[:, 29:39])
    ok_trace, _ = _digits(e[:, 79:94])
    if not (ok_code and ok_rdfi and ok_amount and ok_trace) or not TXN_OK[code].all():
        return False
    weights = np.array(ROUTING_WEIGHTS, dtype=np.int64)
    first8 = (e[:, 3:11].astype(np.int64) - ZERO) @ weights
    if ((10 - first8 % 10) % 10 != rdfi % 10).any():
        return False
    if not np.isin(e[:, 78], (ord("0"), ord("1"))).all():
        return False
    batch_of = np.cumsum(file.types == ord("5"))[file.entries] - 1
    credit = np.isin(e[:, 2], np.frombuffer(b"1234", np.uint8))
    credit_only = np.array([b.service_class == "220" or b.sec in CREDIT_ONLY_SEC for b in batches])
    debit_only = np.array([b.service_class == "225" or b.sec in DEBIT_ONLY_SEC for b in batches])
    cor = np.array([b.sec == "COR" for b in batches])
    if len(batches) and (
        (credit_only[batch_of] & ~credit).any()
        or (debit_only[batch_of] & credit).any()
        or (cor[batch_of] & (amount != 0)).any()
    ):
        return False
    file.batch_of, file.code, file.amount, file.credit = batch_of, code, amount, credit
    file.hash8 = rdfi // 10
    return True


def _addenda_ok(file: _File) -> bool:
    """Addenda follow an entry that announced them, and carry known types and codes."""
    has_addenda = file.recs[file.entries, 78] == ord("1")
    followed = np.zeros(len(file.entries), dtype=bool)
    followed[np.unique(file.parent)] = True
    if (has_addenda != followed).any():
        return False
    a = file.recs[file.addenda]
    ok, kind = _digits(a[:, 1:3])
    if not ok or not np.isin(kind, [int(k) for k in FAST_ADDENDA]).all():
        return False
    letter = a[:, 3]
    ok, number = _digits(a[:, 4:6])
    returns, nocs = kind == 99, kind == 98
    if not ok or (returns & ((letter != ord("R")) | ~RETURN_OK[number])).any():
        return False
    if (nocs & ((letter != ord("C")) | ~CHANGE_OK[number])).any():
        return False
    file.kind = kind
    return True


def _fill_batches(file: _File, batches: list[Batch]) -> None:
    """Each batch's computed figures, as the parser would have summed them."""
    nb = len(batches)
    count = np.bincount(file.batch_of, minlength=nb)
    addenda_batch = file.batch_of[file.parent]
    per_batch = {
        "entry_hash": _sums(file.batch_of, file.hash8, nb),
        "credit": _sums(file.batch_of, np.where(file.credit, file.amount, 0), nb),
        "debit": _sums(file.batch_of, np.where(file.credit, 0, file.amount), nb),
        "addenda": np.bincount(addenda_batch, minlength=nb),
        "returns": np.bincount(addenda_batch[file.kind == 99], minlength=nb),
        "nocs": np.bincount(addenda_batch[file.kind == 98], minlength=nb),
    }
    for i, batch in enumerate(batches):
        batch.entries = int(count[i])
        batch.entry_addenda_count = int(count[i] + per_batch["addenda"][i])
        batch.entry_hash = int(per_batch["entry_hash"][i])
        batch.credit, batch.debit = int(per_batch["credit"][i]), int(per_batch["debit"][i])
        batch.returns, batch.nocs = int(per_batch["returns"][i]), int(per_batch["nocs"][i])


def _sums(groups: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Exact int64 sums of values per group, groups ascending (np.bincount sums in float)."""
    running = np.concatenate(([0], np.cumsum(values, dtype=np.int64)))
    bounds = np.searchsorted(groups, np.arange(n + 1))
    return running[bounds[1:]] - running[bounds[:-1]]


def _controls(
    file: _File, batches: list[Batch], state: nacha._FileState, job: BulkJob
) -> tuple[_File, list[Batch], FileTotals] | None:
    """Batch and file controls through the parser's own checks; None on any mismatch."""
    controls = state.controls
    for batch, row in zip(batches, np.flatnonzero(file.types == ord("8")).tolist(), strict=True):
        batch.check_control(_rec(job, file.recs, row), controls)
        if batch.pending:
            return None
    state.batches = batches
    state.header_seen, state.records = True, len(file.recs)
    control = int(np.flatnonzero(file.types == ord("9"))[0])
    nacha._file_control(state, _rec(job, file.recs, control))
    totals = nacha._totals(state)
    if controls.mismatches:
        return None
    return file, batches, totals


def _write(cur: duckdb.DuckDBPyConnection, job: BulkJob, file: _File, batches: list[Batch]) -> int:
    n = len(file.recs)
    offsets = np.arange(0, (n + 1) * RECORD_LENGTH, RECORD_LENGTH, dtype=np.int32)
    text = pa.StringArray.from_buffers(
        n, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(file.recs))
    )
    addenda_count = np.bincount(file.parent, minlength=len(file.entries))
    category = _categories(file)
    tables = {
        "nacha_fast_entries": pa.table({
            "line": file.entries + 1, "text": text.take(pa.array(file.entries)),
            "batch": file.batch_of, "addenda_count": addenda_count, "category": category,
            "amount_minor": file.amount, "credit": file.credit, **_entry_fields(file),
        }),
        "nacha_fast_addenda": pa.table({
            "line": file.addenda + 1, "text": text.take(pa.array(file.addenda)),
            "entry_line": file.entries[file.parent] + 1,
        }),
        "nacha_fast_batches": pa.table({
            "batch": np.arange(len(batches)), "batch_number": [b.number for b in batches],
            "service_class": [b.service_class for b in batches],
            "sec_code": [b.sec for b in batches],
            "company_name": [b.header_fields[0] for b in batches],
            "company_id": [b.company_id for b in batches],
            "description": [b.header_fields[1] for b in batches],
            "effective_date": [b.header_fields[2] for b in batches],
        }),
    }  # fmt: skip
    for name, table in tables.items():
        cur.register(name, byteviews.batched(table))
    try:
        sql.execute(cur, "ingest/nacha_entries", file_id=job.file_id)
        codes = {"contested": sorted(CONTESTED_CODES), "dishonored": sorted(DISHONORED_CODES)}
        sql.execute(cur, "ingest/nacha_returns", file_id=job.file_id, **codes)
        sql.execute(cur, "ingest/nacha_nocs", file_id=job.file_id)
    finally:
        for name in tables:
            cur.unregister(name)
    return len(file.entries) + int(np.isin(file.kind, (98, 99)).sum())


_SPACE = ord(" ")
# Entry Detail fields by 0-based [start, stop) position (domain.md 2.2), and whether the
# parser strips them (Rec.alpha): the fast path's records are printable ASCII, so stripping
# is of spaces only.
ENTRY_FIELDS = {
    "transaction_code": (1, 3, False), "rdfi_routing": (3, 12, False),
    "account": (12, 29, True), "individual_id": (39, 54, True),
    "individual_name": (54, 76, True), "trace_number": (79, 94, False),
}  # fmt: skip


def _entry_fields(file: _File) -> dict[str, pa.Array | pa.ChunkedArray]:
    """The text fields of every entry as Arrow string views into the record matrix
    (``byteviews``): sliced, and stripped of spaces where the parser strips them, by numpy
    on one thread per core instead of DuckDB's substr and trim per row."""
    return byteviews.joined(
        byteviews.chunked(len(file.entries), lambda part: _fields(file.recs, file.entries[part]))
    )


def _fields(recs: np.ndarray, rows: np.ndarray) -> dict[str, pa.Array]:
    matrix = np.ascontiguousarray(recs[rows])
    flat = matrix.reshape(-1)
    base = np.arange(len(matrix), dtype=np.int64) * RECORD_LENGTH
    out = {}
    for name, (a, b, strip) in ENTRY_FIELDS.items():
        start, stop = base + a, base + b
        if strip:
            filled = matrix[:, a:b] != _SPACE
            some = filled.any(axis=1)
            start = np.where(some, start + filled.argmax(axis=1), start)
            stop = np.where(some, stop - filled[:, ::-1].argmax(axis=1), start)
        out[name] = byteviews.views(matrix, flat, start, stop)
    return out


def _categories(file: _File) -> pa.Array:
    """forward | prenote | return (an addenda 99) | noc (an addenda 98), per entry."""
    kind, code = file.kind, file.code
    has_return = np.zeros(len(file.entries), dtype=bool)
    has_noc = np.zeros(len(file.entries), dtype=bool)
    has_return[file.parent[kind == 99]] = True
    has_noc[file.parent[kind == 98]] = True
    labels = pa.array(["forward", "prenote", "noc", "return"])
    index = np.where(has_return, 3, np.where(has_noc, 2, PRENOTE[code].astype(np.int8)))
    return pa.DictionaryArray.from_arrays(pa.array(index.astype(np.int8)), labels)
