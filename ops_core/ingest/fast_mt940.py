"""MT940 fast path: the statement lines (:61: with their :86:) in bulk, the rest through
the parser's own code.

A large MT940 file is almost all :61: lines and their :86: details. For a regular file
(printable ASCII, no SWIFT ``{n:...}`` blocks, no preamble, no blank line, only known
tags, no MT942 interim report) numpy sorts the lines into tags, continuation lines and
``-`` terminators and splits them into statements as mt940._statements does; the few
other tags of each statement (:20:, :25:, :28C:, :60F:, :62F:, :64:, :65:) go through the
parser's own helpers (mt940._find, mt940._balance). The :61: lines of the common layout
(no continuation lines, plain fields: ``_split``) are split and checked by numpy over the
file's bytes, their text fields handed over as Arrow string views into the file
(``byteviews``); DuckDB parses and checks any other :61: (``ingest/mt940_lines``: the
parser's regular expression, its dates, amounts and structured-:86: rule). The movements
are summed per statement for the balance check, and the lines written by one INSERT ...
SELECT from the Arrow table (and one from the SQL's).

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
from ops_core.ingest import byteviews, mt940
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
    raw = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(raw == 10)
    crlf = np.count_nonzero(raw[ends[ends > 0] - 1] == 13)
    if b"\r" in data and np.count_nonzero(raw == 13) != crlf:
        return None  # a CR not followed by a LF
    if data[-1:] != b"\n":
        ends = np.append(ends, len(data))
    starts = np.concatenate(([0], ends[:-1] + 1))
    stops = ends - (raw[np.maximum(ends - 1, 0)] == 13)
    while len(stops) and _blank(data, starts[-1], stops[-1]):  # trailing blank lines
        starts, stops = starts[:-1], stops[:-1]
    if not len(starts):
        return None
    head = byteviews.window(raw, starts, 6)  # each line's first 6 bytes (0 past the file)
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
    tables, infos, split = _tables(lines, statements)
    if infos is None or split is None:
        return None
    tables["mt940_statements"] = infos
    tables["mt940_split"] = byteviews.batched(split.table)
    for name, table in tables.items():
        cur.register(name, table)
    try:
        sums = split.sums()
        count = split.table.num_rows
        if split.others:
            sql.execute(cur, "ingest/mt940_lines")
            for n, total in cur.execute(
                "SELECT statement_no, sum(amount_minor) FROM mt940_fast GROUP BY ALL"
            ).fetchall():
                sums[int(n)] = sums.get(int(n), 0) + int(total or 0)
            readable = cur.execute(
                "SELECT coalesce(bool_and(readable), TRUE), count(*) FROM mt940_fast"
            ).fetchall()[0]
            if not readable[0]:
                return None
            count += readable[1]
        for n, statement in enumerate(statements):
            closing = statement.balances[1].amount_minor
            if statement.opening + int(sums.get(n, 0)) != closing:
                return None  # the parser flags the file (or rejects it when strict)
        writer = TableWriter(cur, job.file_id)
        for statement in statements:
            for balance in statement.balances:
                writer.add(balance)
        writer.flush()
        sql.execute(cur, "ingest/mt940_insert_split", file_id=job.file_id)
        if split.others:
            sql.execute(cur, "ingest/mt940_insert", file_id=job.file_id)
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
) -> tuple[dict[str, pa.Table], pa.Table | None, _Split | None]:
    """The statements; the :61: lines of the common layout split by numpy (``_split``);
    for the rest (read in SQL) the :61: lines (each with the tag after it, its :86: when it
    is one) and the continuation lines of any tag (each line's text without its tag and
    line break, spaces trimmed)."""
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
    exponents = [currency_exponent(s.currency) for s in statements]
    if any(e is None for e in exponents) or statement_no[-1] + 1 != len(statements):
        return {}, None, None
    infos = pa.table({
        "statement_no": np.arange(len(statements)),
        "account": [s.account for s in statements], "currency": [s.currency for s in statements],
        "exponent": exponents, "statement_id": [s.statement_id for s in statements],
    })  # fmt: skip
    exps = np.array(exponents, dtype=np.int64)
    split = _Split.joined(
        byteviews.chunked(
            len(statement_lines),
            lambda part: _split(
                lines, kind, statement_lines[part], detail[part], statement_no, exps
            ),
        )
    )
    rest, rest_detail = statement_lines[~split.common], detail[~split.common]
    continued = np.flatnonzero(kind == 0)
    tables = {
        "mt940_items": pa.table({
            "idx": rest, "line": rest + 1, "statement_no": statement_no[rest],
            "content": _texts(lines, rest, 4), "detail_idx": rest_detail,
            "detail": _texts(lines, np.maximum(rest_detail, 0), 4),
        }),
        "mt940_continuations": pa.table({
            "idx": continued, "owner": owner[continued],
            "content": _texts(lines, continued, 0),
        }),
    }  # fmt: skip
    return tables, infos, split


@dataclass
class _Split:
    """Which :61: lines (``common``) numpy split, and their rows (``table``): line,
    statement_no, amount_minor (signed), debit, reversal, type_code, booking_date,
    value_date, bank_reference, customer_reference, text."""

    common: np.ndarray
    table: pa.Table
    statement_no: np.ndarray
    amount: np.ndarray

    @classmethod
    def joined(cls, parts: list[_Split]) -> _Split:
        """The splits of consecutive slices of the :61: lines as one (``byteviews.chunked``)."""
        fields = [(p.common, p.table, p.statement_no, p.amount) for p in parts]
        return cls(*byteviews.joined(fields))

    @property
    def others(self) -> bool:
        return not self.common.all()

    def sums(self) -> dict[int, int]:
        """The movements per statement (statement_no -> sum of signed minor units)."""
        if not len(self.amount):
            return {}
        keys, first = np.unique(self.statement_no, return_index=True)  # ascending
        if np.abs(self.amount).max() < 2**63 // (len(self.amount) + 1):
            totals = np.add.reduceat(self.amount, first).tolist()
        else:  # a sum could overflow 64 bits: Python's integers
            totals = [sum(part) for part in np.split(self.amount.astype(object), first[1:])]
        return dict(zip(keys.tolist(), totals, strict=True))


_SPACE, _SLASH, _COMMA, _QUESTION = (ord(c) for c in " /,?")
_C, _D, _R, _E = (ord(c) for c in "CDRE")
_WIDTH = 48  # at most this many bytes of a :61: line are read by position (up to the type)


def _split(
    lines: _Lines,
    kind: np.ndarray,
    items: np.ndarray,
    detail: np.ndarray,
    statement_no: np.ndarray,
    exponents: np.ndarray,
) -> _Split:
    """Split the :61: lines of the common layout with numpy over the file's bytes, as
    ``ingest/mt940_lines`` (and the parser's regular expression) would: no continuation
    line on the :61: or its :86:, no space to trim around the line, its references or its
    :86:, value date and entry date (MMDD, within 183 days), mark (C, D, RC, RD, EC, ED),
    an optional funds letter, an amount of at most 15 whole digits with no more decimals
    than the currency has, and an optional type; not a structured :86: (``NNN?``). The
    strings point into the file (``byteviews``); any other :61: is left to the SQL."""
    data, n = lines.data, len(items)
    raw = np.frombuffer(data, dtype=np.uint8)
    last = len(kind) - 1
    start, stop = lines.starts[items] + 4, lines.stops[items]
    ok = (stop > start) & (len(raw) < 2**31)
    ok &= (raw[np.minimum(start, stop - 1)] != _SPACE) & (raw[stop - 1] != _SPACE)
    ok &= (items == last) | (kind[np.minimum(items + 1, last)] != 0)  # no continuation
    has_detail = detail >= 0
    d = np.maximum(detail, 0)
    d_start, d_stop = lines.starts[d] + 4, lines.stops[d]
    d_start, d_stop = np.where(has_detail, d_start, 0), np.where(has_detail, d_stop, 0)
    d_filled = d_stop > d_start
    ok &= ~has_detail | (d == last) | (kind[np.minimum(d + 1, last)] != 0)
    head = byteviews.window(raw, d_start, 4)
    d_digits = ((head[:, :3] >= 48) & (head[:, :3] <= 57)).all(axis=1)
    ok &= ~(d_filled & d_digits & (head[:, 3] == _QUESTION) & (d_stop - d_start >= 4))
    ok &= ~d_filled | (
        (raw[np.minimum(d_start, d_stop - 1)] != _SPACE) & (raw[d_stop - 1] != _SPACE)
    )
    ok &= ~has_detail | (d_stop >= d_start)
    length = stop - start
    width = int(np.clip(length.max(initial=0) + 6, 16, _WIDTH))  # what the longest needs
    w = byteviews.window(raw, start, width)
    w *= np.arange(width) < length[:, None]  # nothing past the line's end
    digit = (w >= 48) & (w <= 57)
    letter = (w >= 65) & (w <= 90)
    rows = np.arange(n)
    ok &= digit[:, :6].all(axis=1)
    entry = digit[:, 6:10].all(axis=1)
    at = 6 + 4 * entry
    mark0, mark1 = w[rows, at], w[rows, at + 1]
    cd0, cd1 = (mark0 == _C) | (mark0 == _D), (mark1 == _C) | (mark1 == _D)
    two = ((mark0 == _R) | (mark0 == _E)) & cd1
    ok &= cd0 | two
    debit = np.where(two, ((mark0 == _R) & (mark1 == _C)) | ((mark0 == _E) & (mark1 == _D)),
                     mark0 == _D)  # fmt: skip
    reversal = two & (mark0 == _R)
    at = at + 1 + two
    at = at + letter[rows, at]  # the funds letter (an amount must follow)
    columns = np.arange(width)
    after = columns >= at[:, None]
    whole_end = np.argmax(~digit & after, axis=1)
    comma = w[rows, whole_end] == _COMMA
    fraction_end = np.where(comma, np.argmax(~digit & (columns > whole_end[:, None]), axis=1),
                            whole_end)  # fmt: skip
    ok &= (whole_end > at) & (whole_end - at <= 15) & (fraction_end >= whole_end + comma)
    fraction_start = whole_end + comma
    exponent = exponents[statement_no[items]]
    ok &= fraction_end - fraction_start <= exponent
    t = np.minimum(fraction_end, width - 5)
    typed = letter[rows, t] & ((letter | digit)[rows[:, None], t[:, None] + np.arange(1, 4)]).all(1)
    typed &= fraction_end + 4 <= length
    ok &= fraction_end + 5 < width  # the type (or not) inside what was read
    rest = start + fraction_end + 4 * typed
    whole, whole_ok = byteviews.digits(raw, start + at, start + whole_end, 15)
    fraction, _ = byteviews.digits(raw, start + fraction_start, start + fraction_end, 3)
    ok &= whole_ok
    places = fraction_end - fraction_start
    scale = 10 ** np.clip(exponent - places, 0, 18)
    amount = whole * 10 ** np.clip(exponent, 0, 18) + fraction * scale
    amount = np.where(debit, -amount, amount)
    pair, split = _pairs(raw, w, rest, start, stop, length.max(initial=0) < width)
    cref_end = np.where(split, pair, stop)
    bref_start = np.where(split, pair + 2, stop)
    first, final = raw[np.minimum(rest, len(raw) - 1)], raw[np.maximum(cref_end - 1, 0)]
    ok &= (cref_end == rest) | ((first != _SPACE) & (final != _SPACE))
    ok &= (bref_start == stop) | (raw[np.minimum(bref_start, len(raw) - 1)] != _SPACE)
    year = 2000 + (w[:, 0] - 48).astype(np.int64) * 10 + (w[:, 1] - 48)
    year = np.where(year > 2068, year - 100, year)
    value, value_ok = _days(year, _two(w, 2), _two(w, 4))
    ok &= value_ok
    booking = np.zeros(n, dtype=np.int64)
    found = np.zeros(n, dtype=bool)
    for shift in (0, 1, -1):  # the parser's order of years
        day, day_ok = _days(year + shift, _two(w, 6), _two(w, 8))
        hit = entry & ~found & day_ok & (np.abs(day - value) < 183)
        booking = np.where(hit, day, booking)
        found |= hit
    ok &= ~entry | found
    common = ok
    at_rows = items[ok]

    def text(a: np.ndarray, b: np.ndarray) -> pa.Array:
        return byteviews.views(data, raw, a[ok], b[ok])

    type_end = np.where(typed, start + fraction_end + 4, start + fraction_end)
    table = pa.table({
        "line": at_rows + 1, "statement_no": statement_no[at_rows], "amount_minor": amount[ok],
        "debit": debit[ok], "reversal": reversal[ok],
        "type_code": text(start + fraction_end, type_end),
        "booking_date": pa.array(booking[ok].astype("datetime64[D]"), mask=~entry[ok]),
        "value_date": value[ok].astype("datetime64[D]"),
        "bank_reference": text(bref_start, stop), "customer_reference": text(rest, cref_end),
        "text": text(d_start, d_stop),
    })  # fmt: skip
    return _Split(common, table, statement_no[at_rows], amount[ok])


def _pairs(
    raw: np.ndarray,
    w: np.ndarray,
    rest: np.ndarray,
    start: np.ndarray,
    stop: np.ndarray,
    inside: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """(where, found): the first "//" from ``rest`` to ``stop`` of each line: in the bytes
    already read when every line is ``inside`` them (``w``, zero past each line's end),
    else in the whole file."""
    if inside:
        slashes = w == _SLASH
        pairs = slashes[:, :-1] & slashes[:, 1:]
        pairs &= np.arange(w.shape[1] - 1) >= (rest - start)[:, None]
        return start + np.argmax(pairs, axis=1), pairs.any(axis=1)
    pairs = np.flatnonzero((raw[:-1] == _SLASH) & (raw[1:] == _SLASH))
    k = np.searchsorted(pairs, rest)
    pair = pairs[np.minimum(k, len(pairs) - 1)] if len(pairs) else np.full(len(rest), -1)
    return pair, (k < len(pairs)) & (pair >= rest) & (pair + 2 <= stop)


def _two(w: np.ndarray, at: int) -> np.ndarray:
    """The two-digit number at column ``at`` of each row."""
    return (w[:, at] - 48).astype(np.int64) * 10 + (w[:, at + 1] - 48)


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple:
    """(days since 1970-01-01, valid) for each year (1900 or later), month, day: the
    proleptic Gregorian calendar in integer arithmetic (H. Hinnant's days_from_civil)."""
    valid = (month >= 1) & (month <= 12) & (day >= 1)
    m = np.clip(month, 1, 12)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    valid &= day <= _MONTH_DAYS[m] + (leap & (m == 2))
    y = year - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * np.where(m > 2, m - 3, m + 9) + 2) // 5 + day - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468, valid
