"""BAI2 fast path: the transaction detail (16) records in bulk, the rest through the parser.

A large statement is almost all 16 records (with their 88 continuations). For a regular
file (printable ASCII, one record per line, every line starting with its record code)
the 16s of the common layout (no 88, plain fields: ``_split``) are split and checked by
numpy over the file's bytes, their text fields handed over as Arrow string views into
the file (``byteviews``); any other 16 goes with its 88s to DuckDB, which merges the
continuations, splits and checks it (``ingest/bai2_details``). Both are summed per run,
while the few other records (01, 02, 03 with its 88s, 49, 98, 99) go through the parser's
own code (bai2._dispatch) with the 16s' sums put in their place, so the record order,
the type codes and every control total are judged by the same rules. The 16 rows are
then written by one INSERT ... SELECT from the Arrow table (and one from the SQL's).

Anything else returns None and the parser runs (bai2.py): several records on a line, a
text wrapped onto a bare line, a blank 88, a type code, amount or funds type the SQL does
not vouch for, any structural error (the parser names the first bad line), any control
mismatch (the parser flags the file, or rejects it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ops_core import sql
from ops_core.errors import FileRejected
from ops_core.ingest import bai2, byteviews
from ops_core.ingest._common import FileTotals
from ops_core.ingest.bai2_records import RECORD_CODES, Logical, classify
from ops_core.ingest.bulk import BulkJob, Stored
from ops_core.ingest.controls import Controls
from ops_core.ingest.records import StatementBalance
from ops_core.ingest.sinks import TableWriter

PLAIN = bytes(range(0x20, 0x7F)) + b"\r\n"
# what the parser splits into several records (bai2_records._SPLIT, within a line)
_SEVERAL = re.compile(rb"/ +(?:" + b"|".join(sorted(c.encode() for c in RECORD_CODES)) + rb"),")
_CODES = np.array(sorted(int(code) for code in RECORD_CODES), dtype=np.int16)


@dataclass
class _Lines:
    """Every non-blank line: its number, record code (16 for "16,...") and text (from its
    first character up to the next non-blank line: the line break is trimmed later)."""

    number: np.ndarray
    code: np.ndarray
    text: pa.Array
    start: np.ndarray  # where each line starts in the file
    stop: np.ndarray  # where each line's text ends (before its line break)
    raw: np.ndarray  # the file's bytes (uint8)
    data: bytes

    def record(self, index: int) -> tuple[str, str]:
        """(code, body) as the parser splits a stripped line."""
        text = self.text[index].as_py().strip()
        return text[:2], text[3:]


def fast_bai2(cur: duckdb.DuckDBPyConnection, job: BulkJob) -> Stored | None:
    """Load a regular BAI2 file in bulk, or None to let the parser do it."""
    lines = _lines(job.data)
    if lines is None:
        return None
    layout = _layout(lines)
    if layout is None:
        return None
    split = _split(lines, layout)
    runs = _detail_runs(cur, lines, layout, split)
    if runs is None:
        return None
    try:
        walked = _walk(job, lines, layout.others, runs)
    except FileRejected:
        return None  # the parser will raise it, or the first error before it
    if walked is None:
        return None
    state, balances, accounts = walked
    writer = TableWriter(cur, job.file_id)
    for balance in balances:
        writer.add(balance)
    writer.flush()
    cur.register("bai2_accounts", accounts)
    cur.register("bai2_split", byteviews.batched(split.table))
    try:
        sql.execute(cur, "ingest/bai2_insert_split", file_id=job.file_id)
        if split.others:
            sql.execute(cur, "ingest/bai2_insert", file_id=job.file_id)
    finally:
        cur.unregister("bai2_accounts")
        cur.unregister("bai2_split")
        cur.execute("DROP TABLE IF EXISTS temp.bai2_details")
    rows = writer.rows + state.counts["transactions"]
    if job.progress is not None:
        job.progress(rows)
    return Stored(rows, _totals(state))


@dataclass
class _Layout:
    """Which lines are 16 records or 88s continuing one (read in SQL), which are the rest."""

    pieces: np.ndarray  # line indices of 16s and their 88s
    owner: np.ndarray  # for each piece: the index of its 16
    others: list[int]  # line indices of every other record (and its 88s)


def _layout(lines: _Lines) -> _Layout | None:
    codes = lines.code
    index = np.arange(len(codes))
    owner = np.maximum.accumulate(np.where(codes != 88, index, -1))
    if owner[0] < 0:
        return None  # an 88 first: the parser says what is wrong
    detail = codes[owner] == 16
    return _Layout(np.flatnonzero(detail), owner[detail], np.flatnonzero(~detail).tolist())


def _lines(data: bytes) -> _Lines | None:
    """The file's non-blank lines, if every one is a single record starting with its code."""
    if data.translate(None, PLAIN) or _SEVERAL.search(data):
        return None
    raw = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(raw == 10)
    crlf = np.count_nonzero(raw[ends[ends > 0] - 1] == 13)
    if b"\r" in data and np.count_nonzero(raw == 13) != crlf:
        return None  # a CR not followed by a LF
    if data[-1:] != b"\n":
        ends = np.append(ends, len(data))
    starts = np.concatenate(([0], ends[:-1] + 1))
    stops = ends - (raw[np.maximum(ends - 1, 0)] == 13)  # drop the CR of a CRLF
    filled = stops > starts
    if not filled.any():
        return None
    starts, stops = starts[filled], stops[filled]
    if (stops - starts < 3).any() or (raw[starts + 2] != ord(",")).any():
        return None
    tens, units = raw[starts].astype(np.int16) - 48, raw[starts + 1].astype(np.int16) - 48
    if ((tens < 0) | (tens > 9) | (units < 0) | (units > 9)).any():
        return None
    codes = tens * 10 + units
    if not np.isin(codes, _CODES).all():
        return None
    offsets = np.append(starts, len(data)).astype(np.int64)  # zero-copy views of the bytes
    text = pa.LargeStringArray.from_buffers(len(starts), pa.py_buffer(offsets), pa.py_buffer(data))
    return _Lines(np.flatnonzero(filled) + 1, codes, text, starts, stops, raw, data)


def _detail_runs(
    cur: duckdb.DuckDBPyConnection, lines: _Lines, layout: _Layout, split: _Split
) -> dict[int, tuple[int, int, int]] | None:
    """Every 16 checked (the common ones by ``_split``, the rest in SQL); per run of
    consecutive 16s (keyed by the position, in ``others``, of the record after it): (sum of
    amounts, 16 records, physical records). None if a 16 is not plainly readable."""
    runs = split.runs()
    if not split.others:
        return runs
    keep = ~split.common
    pieces, owner = layout.pieces[keep], layout.owner[keep]
    seq = pieces - owner
    last = np.ones(len(layout.owner), dtype=bool)  # the run's last piece (no 16s: empty)
    last[:-1] = layout.owner[1:] != layout.owner[:-1]
    table = pa.table({
        "line": lines.number[pieces], "owner": lines.number[owner], "seq": seq,
        "last": last[keep], "continued": split.continued[keep],
        "piece": _bodies(lines.text.take(pa.array(pieces))), "run": split.run[keep],
        "account_no": split.account_no[keep],
    })  # fmt: skip
    cur.register("bai2_lines", table)
    cur.register("bai2_codes", _code_table())
    try:
        sql.execute(cur, "ingest/bai2_details")
    finally:
        cur.unregister("bai2_lines")
        cur.unregister("bai2_codes")
    rows = cur.execute(
        "SELECT run, sum(amount), count(*), sum(1 + continuations), bool_and(readable)"
        " FROM bai2_details GROUP BY run"
    ).fetchall()
    if not all(ok for *_, ok in rows):
        return None
    for r, total, n, records, _ in rows:
        before = runs.get(int(r), (0, 0, 0))
        runs[int(r)] = (before[0] + int(total), before[1] + int(n), before[2] + int(records))
    return runs


@dataclass
class _Split:
    """Every 16 piece's run and account; for the common 16s (``common``), split here, their
    rows (``table``): line, run, account_no, amount (signed as written), debit, type_code,
    bank_reference, customer_reference, text."""

    run: np.ndarray  # per piece
    account_no: np.ndarray  # per piece
    continued: np.ndarray  # per piece: its 16 has 88s
    common: np.ndarray  # per piece: split here (the rest go through bai2_details)
    table: pa.Table
    amount: np.ndarray  # per common 16

    @property
    def others(self) -> bool:
        return not self.common.all()

    def runs(self) -> dict[int, tuple[int, int, int]]:
        """(sum of amounts, 16 records, physical records) per run, for the common 16s."""
        run = self.run[self.common]
        if not len(run):
            return {}
        keys, first = np.unique(run, return_index=True)  # runs ascend with the lines
        counts = np.diff(np.append(first, len(run)))
        if np.abs(self.amount).max(initial=0) < 2**63 // (len(run) + 1):
            totals = np.add.reduceat(self.amount, first).tolist()
        else:  # a sum could overflow 64 bits: Python's integers
            totals = [sum(part) for part in np.split(self.amount.astype(object), first[1:])]
        return {
            int(k): (int(t), int(c), int(c))
            for k, t, c in zip(keys.tolist(), totals, counts.tolist(), strict=True)
        }


_SPACE, _SLASH, _COMMA, _PLUS, _MINUS = (ord(c) for c in " /,+-")


def _split(lines: _Lines, layout: _Layout) -> _Split:
    """Split the 16s of the common layout with numpy over the file's bytes, as
    ``ingest/bai2_details`` would: no 88s, at least six fields, a detail type code, an
    amount of 1 to 18 digits with an optional sign (or blank), a funds type without extra
    fields (blank, 0, 1, 2, Z), no space to trim around a field and no "/" left to drop
    after the one the parser drops. The strings point into the file (``byteviews``)."""
    raw, pieces, owner = lines.raw, layout.pieces, layout.owner
    run = np.searchsorted(np.array(layout.others, dtype=np.int64), owner)
    account_no = np.cumsum(lines.code == 3)[owner] - 1
    continued = np.isin(owner, owner[pieces != owner])
    candidates = np.flatnonzero(~continued)
    commas = np.flatnonzero(raw == _COMMA)
    ok, table, amount = byteviews.joined(
        byteviews.chunked(
            len(candidates), lambda part: _split_rows(lines, commas, pieces[candidates[part]])
        )
    )
    at = candidates[ok]
    common = np.zeros(len(pieces), dtype=bool)
    common[at] = True
    table = table.append_column("run", pa.array(run[at])).append_column(
        "account_no", pa.array(account_no[at])
    )
    return _Split(run, account_no, continued, common, table, amount)


_FUNDS = np.zeros(256, dtype=bool)  # a funds type without extra fields (or none)
_FUNDS[list(b"012Zz")] = True


def _split_rows(
    lines: _Lines, commas: np.ndarray, line: np.ndarray
) -> tuple[np.ndarray, pa.Table, np.ndarray]:
    """For these 16 lines: which are of the common layout, and their rows and amounts."""
    raw = lines.raw
    start, stop = lines.start[line] + 3, lines.stop[line]
    ok = (stop > start) & (raw[stop - 1] != _SPACE) & (len(raw) < 2**31)
    end = stop - (raw[stop - 1] == _SLASH)  # the one "/" the parser drops
    first = np.searchsorted(commas, start)
    ok &= first + 4 < len(commas)
    cut = [commas[np.minimum(first + k, len(commas) - 1)] for k in range(5)]
    ok &= cut[4] < end
    fields = [(start, cut[0])] + [(cut[k] + 1, cut[k + 1]) for k in range(4)]
    for a, b in fields:
        filled = b > a
        ok &= ~filled | ((raw[np.minimum(a, b - 1)] != _SPACE) & (raw[b - 1] != _SPACE))
    text_start = cut[4] + 1
    filled = end > text_start
    last = raw[np.maximum(end - 1, 0)]
    ok &= ~filled | ((raw[np.minimum(text_start, len(raw) - 1)] != _SPACE) & (last != _SPACE))
    text_end = end - (filled & (last == _SLASH))
    ok &= (text_end <= text_start) | (raw[np.maximum(text_end - 1, 0)] != _SPACE)
    (code_a, code_b), (amount_a, amount_b), (funds_a, funds_b) = fields[:3]
    code, code_ok = byteviews.digits(raw, code_a, code_b, 3)
    side = _sides()[code]
    ok &= code_ok & (code_b - code_a == 3) & (side > 0)
    signed = raw[np.minimum(amount_a, amount_b)]
    sign = (amount_b > amount_a) & ((signed == _PLUS) | (signed == _MINUS))
    amount, amount_ok = byteviews.digits(raw, amount_a + sign, amount_b, 18)
    ok &= amount_ok | (amount_b - amount_a == sign)  # blank, "+" or "-": 0
    amount = np.where(sign & (signed == _MINUS), -amount, amount)
    funds = raw[np.minimum(funds_a, len(raw) - 1)]
    ok &= (funds_b == funds_a) | ((funds_b - funds_a == 1) & _FUNDS[funds])

    def text(a: np.ndarray, b: np.ndarray) -> pa.Array:
        return byteviews.views(lines.data, raw, a[ok], b[ok])

    table = pa.table({
        "line": lines.number[line[ok]], "amount": amount[ok], "debit": side[ok] == 2,
        "type_code": text(code_a, code_b), "bank_reference": text(*fields[3]),
        "customer_reference": text(*fields[4]), "text": text(text_start, text_end),
    })  # fmt: skip
    return ok, table, amount[ok]


def _bodies(text: pa.Array) -> pa.Array:
    """Each line as the parser splits it: stripped, without its "NN," record code."""
    return pc.ascii_rtrim(pc.utf8_slice_codeunits(text, 3), "\r\n ")  # the file is ASCII


@cache
def _code_table() -> pa.Table:
    """Every three-digit code the parser accepts on a 16 (a detail code) and its side."""
    codes, sides = [], []
    for n in range(1000):
        code = f"{n:03d}"
        kind = classify(code)
        if kind and kind[0] in ("CR", "DB") and kind[1] != "Summary":
            codes.append(code)
            sides.append(kind[0])
    return pa.table({"code": codes, "txn": sides})


@cache
def _sides() -> np.ndarray:
    """The same codes as numbers: 1 a credit, 2 a debit, 0 not a detail code."""
    out = np.zeros(1000, dtype=np.int8)
    table = _code_table()
    for code, txn in zip(table["code"].to_pylist(), table["txn"].to_pylist(), strict=True):
        out[int(code)] = 1 if txn == "CR" else 2
    return out


def _walk(
    job: BulkJob, lines: _Lines, others: list[int], runs: dict[int, tuple[int, int, int]]
) -> tuple[bai2._File, list[StatementBalance], pa.Table] | None:
    """The other records through the parser's state machine, each run of 16s folded in
    where it stood."""
    state = bai2._File(job.name, controls=Controls(job.strict))
    balances: list[StatementBalance] = []
    accounts: dict[str, list] = {"account_no": [], "account": [], "currency": [], "as_of": []}
    for position, record in _logical(job, lines, others):
        if not _fold(state, runs.get(position)):
            return None
        state.records += 1 + record.continuations
        if state.done:
            return None
        for out in bai2._dispatch(state, record):
            balances.append(out)
        if record.code == "03":
            account = state.group.account
            accounts["account_no"].append(len(accounts["account_no"]))
            accounts["account"].append(account.number)
            accounts["currency"].append(account.currency)
            accounts["as_of"].append(state.group.as_of)
    if not _fold(state, runs.get(len(others))) or not state.done:
        return None
    if state.controls.mismatches or state.controls.notes:
        return None
    return state, balances, pa.table(accounts)


def _fold(state: bai2._File, run: tuple[int, int, int] | None) -> bool:
    """A run of 16 records, as the parser would have counted them; False if a 16 is not
    allowed where it stands."""
    if run is None:
        return True
    total, count, records = run
    group = state.group
    if state.done or group is None or group.account is None:
        return False
    group.account.total += total
    group.account.records += records
    state.records += records
    state.counts["transactions"] += count
    return True


def _logical(job: BulkJob, lines: _Lines, others: list[int]) -> Iterator[tuple[int, Logical]]:
    """The non-16 lines as logical records (88s merged), each with the position (in
    ``others``) of its first line, which keys the run of 16s before it."""
    pending: tuple[int, Logical] | None = None
    for position, index in enumerate(others):
        code, body = lines.record(index)
        if code == "88":
            if pending is None:
                raise FileRejected(job.name, "continuation (88) first", line=1)
            pending[1].extend(body)
            continue
        if pending is not None:
            yield pending
        pending = (position, Logical(int(lines.number[index]), code, body))
    if pending is not None:
        yield pending


def _totals(state: bai2._File) -> FileTotals:
    return FileTotals(
        bai2.FORMAT, state.records, {"groups": state.groups, **state.counts},
        {"control_total": state.total}, state.controls.warnings(), control_ok=state.controls.ok,
    )  # fmt: skip
