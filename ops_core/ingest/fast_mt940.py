"""MT940 fast path: the statement lines (:61: with their :86:) in bulk, the rest through
the parser's own code.

A large MT940 file is almost all :61: lines and their :86: details. For a regular file
(printable ASCII, no SWIFT ``{n:...}`` blocks, no preamble, no blank line, only known
tags, no MT942 interim report) numpy sorts the lines into tags, continuation lines and
``-`` terminators and splits them into statements as mt940._statements does; the few
other tags of each statement (:20:, :25:, :28C:, :60F:, :62F:, :64:, :65:) go through the
parser's own helpers (mt940._find, mt940._balance), and DuckDB parses and checks every
:61: at once (``ingest/mt940_lines``: the parser's regular expression, its dates, amounts
and structured-:86: rule) and sums the movements per statement for the balance check.
The lines are written by one INSERT ... SELECT.

Anything else returns None and the parser runs (mt940.py): an irregular layout, a line
the SQL does not vouch for, any structural error (the parser names the first bad line),
any balance that does not add up (the parser flags the file, or rejects it).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ops_core import sql
from ops_core.errors import FileRejected
from ops_core.ingest import mt940
from ops_core.ingest._common import FileTotals, currency_exponent
from ops_core.ingest.bulk import BulkJob, Stored
from ops_core.ingest.controls import Controls
from ops_core.ingest.records import StatementBalance
from ops_core.ingest.sinks import TableWriter

PLAIN = bytes(range(0x20, 0x7F)) + b"\r\n"
TERMINATOR_CHARS = "-}{5:"


@dataclass
class _Lines:
    """Every line: number, kind (tag, continuation, terminator), tag name, text."""

    starts: np.ndarray
    stops: np.ndarray
    is_tag: np.ndarray
    is_end: np.ndarray
    code: np.ndarray  # tag name per line as a number (0 for other lines), see _code
    data: bytes

    def text(self, index: int) -> str:
        return self.data[self.starts[index] : self.stops[index]].decode("ascii")

    def name(self, index: int) -> str:
        return _name(int(self.code[index]))


def _code(name: str) -> int:
    """'61' -> a number: its two or three characters in base 256."""
    a, b, c = (name.encode() + b"\0")[:3]
    return a << 16 | b << 8 | c


def _name(code: int) -> str:
    return bytes(c for c in (code >> 16, code >> 8 & 255, code & 255) if c).decode()


CODE_20, CODE_61, CODE_86 = _code("20"), _code("61"), _code("86")


def fast_mt940(cur: duckdb.DuckDBPyConnection, job: BulkJob) -> Stored | None:
    """Load a regular MT940 file in bulk, or None to let the parser do it."""
    lines = _lines(job.data)
    if lines is None:
        return None
    try:
        statements = _statements(job, lines)
    except FileRejected:
        return None  # the parser will raise it, or the first error before it
    if not statements:
        return None
    return _load(cur, job, lines, statements)


def _lines(data: bytes) -> _Lines | None:
    if data.translate(None, PLAIN) or b"{" in data:
        return None
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None
    raw = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(raw == 10)
    if data[-1:] != b"\n":
        ends = np.append(ends, len(data))
    starts = np.concatenate(([0], ends[:-1] + 1))
    stops = ends - (raw[np.maximum(ends - 1, 0)] == 13)
    while len(stops) and _blank(data, starts[-1], stops[-1]):  # trailing blank lines
        starts, stops = starts[:-1], stops[:-1]
    if not len(starts):
        return None
    pad = np.concatenate((raw, np.zeros(6, dtype=np.uint8)))
    head = np.stack([pad[np.minimum(starts + k, stops + 5)] for k in range(6)], axis=1)
    length = stops - starts
    digit = (head >= 48) & (head <= 57)
    colon = head == ord(":")
    tag4 = colon[:, 0] & digit[:, 1] & digit[:, 2] & (head[:, 3] >= 65) & (head[:, 3] <= 90)
    tag4 &= colon[:, 4] & (length >= 5)
    tag3 = colon[:, 0] & digit[:, 1] & digit[:, 2] & colon[:, 3] & (length >= 4) & ~tag4
    ns = colon[:, 0] & (head[:, 1] == ord("N")) & (head[:, 2] == ord("S")) & colon[:, 3]
    is_tag = tag3 | tag4 | (ns & (length >= 4))
    is_end = ~is_tag & (head[:, 0] == ord("-"))
    if (length == 0).any() or not is_tag[0]:
        return None  # a blank line or a preamble: the parser's leniencies
    wide = head.astype(np.int64)
    code = np.where(is_tag, wide[:, 1] << 16 | wide[:, 2] << 8 | np.where(tag4, wide[:, 3], 0), 0)
    lines = _Lines(starts, stops, is_tag, is_end, code, data)
    for i in np.flatnonzero(is_end).tolist():
        if lines.text(i).rstrip().strip(TERMINATOR_CHARS).strip():
            is_end[i] = False  # "-abc" continues the tag before it
    if not {_name(int(c)) for c in np.unique(code[is_tag])} <= mt940.KNOWN_TAGS:
        return None  # the parser may read an unknown tag inside :86: as text
    kind = np.where(is_tag, 1, np.where(is_end, 2, 0))
    after_end = np.flatnonzero((kind[1:] == 0) & (kind[:-1] == 2))
    if len(after_end):
        return None  # text after a terminator: the parser skips it as a preamble
    return lines


def _blank(data: bytes, start: int, stop: int) -> bool:
    return not data[start:stop].strip()


@dataclass
class _Statement:
    account: str
    currency: str
    statement_id: str
    opening: int
    closing: mt940._Tag
    balances: list[StatementBalance]


def _statements(job: BulkJob, lines: _Lines) -> list[_Statement] | None:
    """Each statement's tags other than :61:/:86:, read by the parser's helpers."""
    out = []
    for block in _blocks(lines):
        if not block or block[0].name != "20":
            return None
        if any(t.name in ("34F", "13D") for t in block):
            return None  # an MT942 interim report
        out.append(_statement(job.name, block))
    return out


def _blocks(lines: _Lines) -> list[list[mt940._Tag]]:
    """Statements as mt940._statements splits them (at '-' and at :20:), with their
    :61:/:86: tags left out (stood in by a marker tag so the order checks still hold)."""
    marks = np.flatnonzero(lines.is_tag | lines.is_end)
    detail = lines.is_tag[marks] & np.isin(lines.code[marks], (CODE_61, CODE_86))
    first = detail & ~np.concatenate(([False], detail[:-1]))  # where a run of them starts
    blocks: list[list[mt940._Tag]] = []
    block: list[mt940._Tag] = []
    keep = ~detail | first
    for i, is_detail in zip(marks[keep].tolist(), first[keep].tolist(), strict=True):
        if lines.is_end[i]:
            if block:
                blocks.append(block)
            block = []
            continue
        if is_detail:
            block.append(mt940._Tag(i + 1, "61/86", [""]))
            continue
        name = lines.name(i)
        if name == "20" and block:
            blocks.append(block)
            block = []
        text = lines.text(i).rstrip()
        block.append(mt940._Tag(i + 1, name, [text[len(name) + 2 :]]))
    if block:
        blocks.append(block)
    return blocks


def _statement(file: str, tags: list[mt940._Tag]) -> _Statement:
    account = mt940._find(file, tags, ("25",), True).first  # type: ignore[union-attr]
    number = mt940._find(file, tags, ("28C", "28"), True).first  # type: ignore[union-attr]
    opening = mt940._find(file, tags, ("60F", "60M"), True)
    closing = mt940._find(file, tags, ("62F", "62M"), True)
    statement_id = f"{tags[0].first}/{number}"
    open_bal = mt940._balance(file, opening, account, statement_id)  # type: ignore[arg-type]
    close_bal = mt940._balance(file, closing, account, statement_id)  # type: ignore[arg-type]
    extra = [mt940._balance(file, t, account, statement_id) for t in tags if t.name in ("64", "65")]
    return _Statement(
        account,
        open_bal.currency,
        statement_id,
        open_bal.amount_minor,
        closing,  # type: ignore[arg-type]
        [open_bal, close_bal, *extra],
    )


def _load(
    cur: duckdb.DuckDBPyConnection, job: BulkJob, lines: _Lines, statements: list[_Statement]
) -> Stored | None:
    tables, infos = _tables(lines, statements)
    if infos is None:
        return None
    tables["mt940_statements"] = infos
    for name, table in tables.items():
        cur.register(name, table)
    try:
        sql.execute(cur, "ingest/mt940_lines")
        sums = dict(cur.execute(
            "SELECT statement_no, sum(amount_minor) FROM mt940_fast GROUP BY ALL"
        ).fetchall())  # fmt: skip
        readable = cur.execute("SELECT coalesce(bool_and(readable), TRUE) FROM mt940_fast")
        if not readable.fetchall()[0][0]:
            return None
        for n, statement in enumerate(statements):
            closing = statement.balances[1].amount_minor
            if statement.opening + int(sums.get(n, 0)) != closing:
                return None  # the parser flags the file (or rejects it when strict)
        writer = TableWriter(cur, job.file_id)
        for statement in statements:
            for balance in statement.balances:
                writer.add(balance)
        writer.flush()
        sql.execute(cur, "ingest/mt940_insert", file_id=job.file_id)
        count = cur.execute("SELECT count(*) FROM mt940_fast").fetchall()[0][0]
    finally:
        for name in tables:
            cur.unregister(name)
        cur.execute("DROP TABLE IF EXISTS temp.mt940_fast")
    rows = writer.rows + count
    if job.progress is not None:
        job.progress(rows)
    counts = {"statements": len(statements), "lines": count}
    return Stored(rows, FileTotals(mt940.FORMAT, count, counts, {}, Controls().warnings()))


def _texts(lines: _Lines, rows: np.ndarray, skip: int) -> pa.Array:
    """The text of the lines ``rows`` without their line break and first ``skip``
    characters, spaces trimmed at both ends (the lines are ASCII)."""
    offsets = np.append(lines.starts, len(lines.data)).astype(np.int64)
    text = pa.LargeStringArray.from_buffers(
        len(lines.starts), pa.py_buffer(offsets), pa.py_buffer(lines.data)
    )
    text = pc.ascii_rtrim(text.take(pa.array(rows, pa.int64())), "\r\n")
    return pc.ascii_trim(pc.utf8_slice_codeunits(text, skip) if skip else text, " ")


def _tables(
    lines: _Lines, statements: list[_Statement]
) -> tuple[dict[str, pa.Table], pa.Table | None]:
    """The :61: lines (each with the tag after it, its :86: when it is one), the
    continuation lines of any tag (each line's text without its tag and line break, spaces
    trimmed), and the statements."""
    kind = np.where(lines.is_tag, 1, np.where(lines.is_end, 2, 0))
    index = np.arange(len(kind))
    owner = np.maximum.accumulate(np.where(kind != 0, index, 0))  # a continuation's tag
    start = lines.is_tag & (lines.code == CODE_20)
    start[1:] |= lines.is_tag[1:] & (kind[:-1] == 2)
    start[0] = True
    statement_no = np.cumsum(start) - 1
    tags = np.flatnonzero(kind == 1)
    after = np.append(tags[1:], -1)  # the next tag line of each tag (-1: none)
    details = lines.is_tag[tags] & (lines.code[tags] == CODE_61)
    statement_lines, following = tags[details], after[details]
    detail = np.where((following >= 0) & (lines.code[following] == CODE_86), following, -1)
    continued = np.flatnonzero(kind == 0)
    tables = {
        "mt940_items": pa.table({
            "idx": statement_lines, "line": statement_lines + 1,
            "statement_no": statement_no[statement_lines],
            "content": _texts(lines, statement_lines, 4), "detail_idx": detail,
            "detail": _texts(lines, np.maximum(detail, 0), 4),
        }),
        "mt940_continuations": pa.table({
            "idx": continued, "owner": owner[continued],
            "content": _texts(lines, continued, 0),
        }),
    }  # fmt: skip
    exponents = [currency_exponent(s.currency) for s in statements]
    if any(e is None for e in exponents) or statement_no[-1] + 1 != len(statements):
        return tables, None
    infos = pa.table({
        "statement_no": np.arange(len(statements)),
        "account": [s.account for s in statements], "currency": [s.currency for s in statements],
        "exponent": exponents, "statement_id": [s.statement_id for s in statements],
    })  # fmt: skip
    return tables, infos
