"""USDC Transfer logs fast path: every log read as the first log's layout, by numpy.

The parser (usdc.py) reads the whole eth_getLogs result with the json module, a dict per
log, then checks each log with regular expressions and ``int(..., 16)``; building and
freeing a million small Python objects is most of its time (orjson and msgspec build them
too, only faster). But a node or an explorer writes every log of a result the same way:
the same keys in the same order, the same spacing; only the values differ. So the fast
path reads the first log with the json module, cuts its bytes at its value strings into a
layout, and vouches for the file only if every log is that layout byte for byte, other
values in the value strings:

* the file is ASCII (a UTF-8 byte order mark at most) with no backslash in the logs, so
  every ``"`` opens or closes a string and numpy finds them all; each log must hold as
  many as the first;
* the logs are the last member of the document (a bare list, ``{"chain", "result"}``, a
  JSON-RPC response), whose other members the json module reads and the parser's own
  ``usdc._logs`` judges (the chain);
* the first log has only fields eth_getLogs returns, text where the parser reads text,
  ``removed`` true or false (the one literal that may differ between logs), three topics;
* the bytes between two value strings, and between two logs, are the first log's;
* every value is of the form the parser's checks want (``transfer_from_log``): the USDC
  contract of the chain and the Transfer signature in any case, a hash of 64 hex digits,
  address topics of 24 zeros and 40 hex digits, numbers as 0x + at most 16 hex digits
  (the data also as the ABI's 64, the first 48 zeros), under 2^63, a time at most 10^11.

Each log then reads, for the json module, exactly as the first log with those values, so
numpy takes the values straight out of the file's bytes (one gather a log for each run of
values as long as the first log's, the bytes between them compared on the way) and one
statement, ``ingest/usdc_logs_fast_insert``, writes them; a sixteenth of the file at a
time, DuckDB writing on a thread while numpy reads on. Anything else returns None before a
row is written and the parser runs. A part found irregular after one was written, a log
index beyond the table's INTEGER or a repeated (transactionHash, logIndex) raises
duckdb.Error: the loader rolls back and the parser runs. So rows, totals and messages are
always the parser's (tests/ingest/test_fast_usdc_logs.py loads files both ways).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
from numpy.lib.stride_tricks import sliding_window_view

from ops_core import sql
from ops_core.errors import FileRejected
from ops_core.ingest._common import FileTotals
from ops_core.ingest.bulk import BulkJob, Stored
from ops_core.ingest.fast_card import BOM  # the json module reads a file with one
from ops_core.ingest.usdc import FORMAT, TRANSFER_TOPIC, USDC_CONTRACTS, _logs

WHITESPACE = b" \t\n\r"  # JSON's (RFC 8259 section 2), and the json module's
FIRST_LOG_MAX = 1 << 16  # bytes the first log may take
TEXT_FIELDS = ("address", "data", "blockNumber", "transactionHash", "logIndex")
OPTIONAL_FIELDS = ("blockTimestamp", "blockHash", "transactionIndex")  # text or null
QUOTE = ord('"')
PADDED = b"0x" + b"0" * 24  # an address topic: 0x, 12 zero bytes, then the address
PREFIX = np.frombuffer(b"0x", np.uint8)
HEX_DIGITS = b"0123456789abcdefABCDEF"
NIBBLES = np.full(256, 255, dtype=np.uint8)  # byte -> its hex digit's value, 255 if none
NIBBLES[np.frombuffer(HEX_DIGITS, np.uint8)] = [*range(16), *range(10, 16)]
MICROS = pa.timestamp("us", tz="UTC")
MAX_SECONDS = 10**11  # usdc._block_time refuses a later time
SCAN = 1 << 20  # bytes searched for quotes at a time
PARTS = 16  # DuckDB writes parts of the logs while numpy reads the next ones
FIXED = {"address": 42, "topics0": 66, "transactionHash": 66}  # as long in every log


@dataclass(frozen=True)
class _Layout:
    """The first log cut at its value strings: ``literals[k]`` runs from the quote closing
    value k - 1 to the quote opening value k, both included (``literals[0]`` from the
    log's first byte, ``literals[-1]`` to its last); ``columns[k]``: which of the log's
    quotes opens value k; ``fields[k]``: its field (``topics1`` for the second topic);
    ``flag``: (literal, offset in it) of removed's true or false, if the log has one."""

    literals: tuple[bytes, ...]
    columns: tuple[int, ...]
    fields: tuple[str, ...]
    quotes: int
    flag: tuple[int, int] | None


def fast_usdc_logs(cur: duckdb.DuckDBPyConnection, job: BulkJob) -> Stored | None:
    """Load an eth_getLogs result whose logs share one layout in bulk, or None for the
    parser. The logs are read a part of the file at a time and written on a thread while
    numpy reads the next parts (each write takes the parts read since the last one); a part
    found irregular once an earlier one is written, a log index the table cannot hold or a
    repeated (transactionHash, logIndex) raises duckdb.Error: the loader then rolls the
    transaction back and runs the parser."""
    data = job.data[len(BOM) :] if job.data.startswith(BOM) else job.data
    found = _document(data, job.name)
    if found is None:
        return None
    chain, first, close = found
    count = 0
    with ThreadPoolExecutor(1) as writer:
        written, read = None, []
        for source in _parts(data, first, close, USDC_CONTRACTS[chain]):
            if source is None and written is None:
                return None  # nothing written yet
            if source is None:
                written.result()
                raise duckdb.InvalidInputException("fast path: the parser must read a log")
            read.append(source)
            count += source.num_rows
            if written is None or written.done():
                if written is not None:
                    written.result()
                written, read = writer.submit(_write, cur, job.file_id, chain, read), []
        if written is not None:
            written.result()
        if read:
            _write(cur, job.file_id, chain, read)
    return _stored(cur, job, chain, count)


def _write(cur: duckdb.DuckDBPyConnection, file_id: int, chain: str, read: list[pa.Table]) -> None:
    """Insert parts of the logs (on the writer thread)."""
    cur.register("usdc_logs_source", pa.concat_tables(read))
    try:
        sql.execute(cur, "ingest/usdc_logs_fast_insert", file_id=file_id, chain=chain,
                    contract=USDC_CONTRACTS[chain])  # fmt: skip
    finally:
        try:
            cur.unregister("usdc_logs_source")
        except duckdb.Error:  # the transaction failed: the loader rolls back and retries
            pass


def _document(data: bytes, name: str) -> tuple[str, int, int] | None:
    """(chain, where the first log starts, where the list of logs closes) if the file is
    ASCII and the list is its last member; the rest of the document read by the json module
    and judged by the parser's ``_logs``."""
    if not data.isascii():
        return None  # (the json module also reads UTF-16 and UTF-32)
    begin = _skip(data, 0)
    close = data.rfind(b"]")
    bare = data.startswith(b"[", begin)
    opening = begin if bare else data.find(b"[", begin)
    if opening < 0 or close < opening:
        return None
    first = _skip(data, opening + 1)
    tail = data[close + 1 :].strip(WHITESPACE)
    if tail != (b"" if bare else b"}") or not data.startswith(b"{", first):
        return None
    if data.find(b"\\", first, close) >= 0:
        return None  # a JSON escape: a quote might not delimit a string
    if bare:
        return "ethereum", first, close
    try:
        document = json.loads(data[begin:opening] + b"[]" + data[close + 1 :],
                              object_pairs_hook=_unique)  # fmt: skip
        chain, _ = _logs(document, name)
    except (ValueError, RecursionError, FileRejected):
        return None
    key = list(document)[-1]  # the list's: the last member
    if key != "result" and (key != "logs" or "result" in document):
        return None  # not the list the parser reads
    return chain, first, close


def _skip(data: bytes, at: int) -> int:
    """Where the first byte that is not JSON whitespace is from ``at`` (within 64 KiB)."""
    head = data[at : at + FIRST_LOG_MAX]
    return at + len(head) - len(head.lstrip(WHITESPACE))


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object of the document, refused if a key repeats (the json module keeps the
    last; the fast path does not follow)."""
    if len({key for key, _ in pairs}) != len(pairs):
        raise ValueError("a key repeats")
    return dict(pairs)


def _layout(data: bytes, first: int) -> tuple[_Layout, int] | None:
    """The first log's layout and its length in bytes; None if it is not a log of the
    fields and types above (the json module reads it)."""
    try:
        log, size = json.JSONDecoder().raw_decode(data[first : first + FIRST_LOG_MAX].decode())
    except ValueError:
        return None
    if not isinstance(log, dict) or not _plain(log):
        return None
    text = data[first : first + size]
    quotes = [at for at, byte in enumerate(text) if byte == QUOTE]
    fields, columns, string, flag_key = [], [], 0, None
    for key, value in log.items():
        if key == "removed":
            flag_key = quotes[2 * string + 1]  # the key's closing quote
        string += 1
        texts = value if key == "topics" else [value] if isinstance(value, str) else []
        for n, _ in enumerate(texts):
            fields.append(f"topics{n}" if key == "topics" else key)
            columns.append(2 * string)
            string += 1
    if 2 * string != len(quotes):
        return None  # (a repeated key: the json module keeps the last)
    cuts = [0, *[quotes[c + d] for c in columns for d in (0, 1)], len(text) - 1]
    literals = tuple(text[cuts[k] : cuts[k + 1] + 1] for k in range(0, len(cuts), 2))
    flag = None
    if flag_key is not None:  # true or false after the colon
        at = _skip(text, text.index(b":", flag_key) + 1)
        k = next(k for k in range(len(literals)) if cuts[2 * k] <= at <= cuts[2 * k + 1])
        flag = (k, at - cuts[2 * k])
    return _Layout(literals, tuple(columns), tuple(fields), len(quotes), flag), size


def _plain(log: dict[str, Any]) -> bool:
    """The fields eth_getLogs returns, each as the fast path reads it."""
    known = {"topics", "removed", *TEXT_FIELDS, *OPTIONAL_FIELDS}
    topics = log.get("topics")
    return (
        set(log) <= known
        and all(isinstance(log.get(f), str) for f in TEXT_FIELDS)
        and isinstance(topics, list) and len(topics) == 3
        and all(isinstance(t, str) for t in topics)
        and isinstance(log.get("removed", False), bool)
        and all(isinstance(log.get(f), str | None) for f in OPTIONAL_FIELDS)
    )  # fmt: skip


def _parts(data: bytes, first: int, close: int, contract: str) -> Iterator[pa.Table | None]:
    """The logs from ``first`` to the bracket at ``close`` as the parser would store them,
    read a part of the file at a time (Arrow, in file order); None, and no more, at the
    first part that is not the first log's layout with values of the forms above. A part
    holds the logs whose quotes it holds but the last, which waits for the next part: the
    bytes between it and the next log are checked (and may hold its removed flag)."""
    found = _layout(data, first)
    separator = _separator(data, first + found[1], close) if found is not None else None
    if found is None or separator is None:
        yield None
        return
    layout, raw = found[0], np.frombuffer(data, np.uint8)
    flag, at = layout.flag or (-1, 0)
    head = flag >= 0 and layout.literals[flag].startswith(b"true", at)  # the next log's
    carried = np.zeros(0, dtype=np.int64)
    for part in range(PARTS):
        start, end = (first + (close - first) * k // PARTS for k in (part, part + 1))
        quotes = np.concatenate([carried, _quotes(raw, start, end)])
        rows = quotes[: len(quotes) - len(quotes) % layout.quotes].reshape(-1, layout.quotes)
        final = part == PARTS - 1
        if final and len(quotes) % layout.quotes:
            yield None
            return
        if len(rows) <= (0 if final else 1):
            carried = quotes
            continue
        read = len(rows) if final else len(rows) - 1
        carried = quotes[read * layout.quotes :]
        joins = _match(raw, rows[:-1, layout.columns[-1] + 1], rows[1:, layout.columns[0]] + 1,
                       *_join(layout, separator))  # fmt: skip
        tail = _tail(data, rows[-1], layout, close) if final else False
        inside = _inside(raw, rows[:read], layout)
        columns = _columns(raw, inside[0], contract) if inside is not None else None
        if joins is None or tail is None or columns is None:
            yield None
            return
        flags = inside[1]
        if flags is None and flag == len(layout.literals) - 1:  # at a log's end
            flags = np.append(joins, tail) if final else joins
        elif flags is None:  # at a log's start (a log's flag is in the join before it)
            flags = np.concatenate([[head], joins])[:read] if flag == 0 else np.zeros(read, bool)
            head = bool(joins[-1]) if flag == 0 and not final else head
        yield pa.table({**columns, "removed": flags})


def _separator(data: bytes, end: int, close: int) -> bytes | None:
    """The bytes from the first log's end to the second log (a comma among spaces), empty
    if the first is the only log; None if neither."""
    after = _skip(data, end)
    if after == close:
        return b""
    separator = data[end : _skip(data, after + 1)]
    return separator if separator.strip(WHITESPACE) == b"," else None


def _join(layout: _Layout, separator: bytes) -> tuple[bytes, int | None]:
    """The bytes from a log's last value to the next log's first (the first log's end,
    the separator, its start) and where in them the removed flag is, if there."""
    literals, last = layout.literals, len(layout.literals) - 1
    flag, at = layout.flag or (-1, 0)
    shift = {last: at, 0: len(literals[last]) + len(separator) + at}.get(flag)
    return literals[last] + separator + literals[0], shift


def _tail(data: bytes, row: np.ndarray, layout: _Layout, close: int) -> bool | None:
    """The last log's removed flag if it sits at its end (else False), if the bytes from
    its last value to the closing bracket are the first log's end and spaces; else None."""
    last = len(layout.literals) - 1
    flag, at = layout.flag or (-1, 0)
    tail = data[row[layout.columns[-1] + 1] : close].rstrip(WHITESPACE)
    if tail not in _variants(layout.literals[last], at if flag == last else None):
        return None
    return flag == last and tail.startswith(b"true", at)


def _quotes(raw: np.ndarray, start: int, end: int) -> np.ndarray:
    """Where every quote from ``start`` to ``end`` is, found a MiB at a time (a third
    faster than at once: the comparison's booleans stay in the cache)."""
    found = [
        np.flatnonzero(raw[at : min(at + SCAN, end)] == QUOTE) + at
        for at in range(start, end, SCAN)
    ]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


Piece = np.ndarray | tuple[np.ndarray, np.ndarray]  # rows of bytes, or (starts, lengths)


def _inside(
    raw: np.ndarray, quotes: np.ndarray, layout: _Layout
) -> tuple[dict[str, Piece], np.ndarray | None] | None:
    """Each log's values and, if the removed flag sits between two of them, its flags;
    None unless the bytes between two values of every log are the first log's. A value as
    long in every log as in the first comes as rows of bytes: runs of such values and the
    bytes between them are read with one gather a log. Other values come as (starts,
    lengths)."""
    literals, fields = layout.literals, layout.fields
    opens = quotes[:, list(layout.columns)]
    closes = quotes[:, [c + 1 for c in layout.columns]]
    lengths = closes - opens - 1
    flag = layout.flag[0] if layout.flag else -1
    for k in range(1, len(fields)):
        if k != flag and not (opens[:, k] - closes[:, k - 1] + 1 == len(literals[k])).all():
            return None
    fixed = [bool((lengths[:, k] == lengths[0, k]).all()) for k in range(len(fields))]
    pieces: dict[str, Piece] = {}
    flags, run = None, []
    for item in [(kind, k) for k in range(len(fields)) for kind in ("l", "v") if k or kind == "v"]:
        kind, k = item
        if fixed[k] if kind == "v" else k != flag:
            run.append(item)
            continue
        if not _gather(raw, run, opens, closes, lengths[0], layout, pieces):
            return None
        run = []
        if kind == "v":
            pieces[fields[k]] = (opens[:, k] + 1, lengths[:, k])
        else:
            flags = _match(raw, closes[:, k - 1], opens[:, k] + 1, literals[k], layout.flag[1])
            if flags is None:
                return None
    if not _gather(raw, run, opens, closes, lengths[0], layout, pieces):
        return None
    return pieces, flags


def _gather(
    raw: np.ndarray,
    run: list[tuple[str, int]],
    opens: np.ndarray,
    closes: np.ndarray,
    widths: np.ndarray,
    layout: _Layout,
    pieces: dict[str, Piece],
) -> bool:
    """One run of values and literals of fixed lengths, read with one gather a log: the
    values into ``pieces``; False if a literal is not the first log's."""
    if not run:
        return True
    kind, k = run[0]
    starts = opens[:, k] + 1 if kind == "v" else closes[:, k - 1]
    sizes = [int(widths[k]) if kind == "v" else len(layout.literals[k]) for kind, k in run]
    block = sliding_window_view(raw, sum(sizes))[starts]
    at = 0
    for (kind, k), size in zip(run, sizes, strict=True):
        part = block[:, at : at + size]
        if kind == "v":
            pieces[layout.fields[k]] = part
        elif not (part == np.frombuffer(layout.literals[k], np.uint8)).all():
            return False
        at += size
    return True


def _match(
    raw: np.ndarray, starts: np.ndarray, ends: np.ndarray, literal: bytes, at: int | None
) -> np.ndarray | None:
    """Per row, whether the flag at ``at`` is true, if the bytes from ``starts`` to
    ``ends`` are the literal (or, with ``at``, it with the other flag); None otherwise."""
    found = np.full(len(starts), -1, dtype=np.int8)
    for option in _variants(literal, at):
        rows = np.flatnonzero(ends - starts == len(option))
        same = sliding_window_view(raw, len(option))[starts[rows]] == np.frombuffer(
            option, np.uint8
        )
        found[rows[same.all(axis=1)]] = at is not None and option.startswith(b"true", at)
    return None if (found < 0).any() else found.astype(bool)


def _variants(literal: bytes, at: int | None) -> tuple[bytes, ...]:
    """The literal, and with the other removed flag at ``at`` if given."""
    if at is None:
        return (literal,)
    word, other = (b"true", b"false") if literal.startswith(b"true", at) else (b"false", b"true")
    return literal, literal[:at] + other + literal[at + len(word) :]


def _columns(
    raw: np.ndarray, pieces: dict[str, Piece], contract: str
) -> dict[str, pa.Array] | None:
    """The values as the parser stores them, if each is of the form its checks want;
    None otherwise."""
    address, topic0, tx_hash = (_rows(pieces[f], w) for f, w in FIXED.items())
    if address is None or topic0 is None or tx_hash is None:
        return None
    count = len(address)
    if address.tobytes().lower() != contract.encode() * count:
        return None
    if topic0.tobytes().lower() != TRANSFER_TOPIC.encode() * count:
        return None
    tx_hash = _lowered(tx_hash)  # (the parser lower-cases the hash, then checks it)
    parties = [_address(_rows(pieces[f"topics{k}"], 66)) for k in (1, 2)]
    numbers = [_integers(raw, pieces[f]) for f in ("data", "blockNumber", "logIndex")]
    time = _time(raw, pieces.get("blockTimestamp"), count)
    if tx_hash is None or time is None or any(v is None for v in (*parties, *numbers)):
        return None
    if not all(_printable(raw, pieces[f]) for f in OPTIONAL_FIELDS[1:] if f in pieces):
        return None
    amount, block, index = (pa.array(v) for v in numbers)
    return {"tx_hash": _text(tx_hash, 66), "from_address": parties[0],
            "to_address": parties[1], "amount": amount, "block_number": block,
            "log_index": index, "block_time": time}  # fmt: skip


def _rows(piece: Piece, width: int) -> np.ndarray | None:
    """The piece as rows, if every log's value is ``width`` long."""
    return piece if isinstance(piece, np.ndarray) and piece.shape[1] == width else None


def _lowered(rows: np.ndarray | None) -> bytes | None:
    """The rows end to end, lower-cased, if each is 0x + hex digits (either case) once
    lower-cased."""
    if rows is None:
        return None
    text = rows.tobytes().lower()
    head = np.frombuffer(text, np.uint8).reshape(rows.shape)[:, :2]
    if not (head == PREFIX).all() or text.translate(None, HEX_DIGITS[:16]) != b"x" * len(rows):
        return None  # (deleting the digits leaves the x of each 0x, and nothing else)
    return text


def _text(text: bytes, width: int) -> pa.Array:
    """Arrow text of values of one width laid end to end."""
    count = len(text) // width
    offsets = np.arange(0, count * width + 1, width, dtype=np.int32)
    return pa.StringArray.from_buffers(count, pa.py_buffer(offsets), pa.py_buffer(text))


def _address(rows: np.ndarray | None) -> pa.Array | None:
    """``0x`` + the last 40 hex digits lower-cased, if every topic is an address padded to
    32 bytes (``usdc._address_topic``: 0x, 24 zeros, 40 hex digits, as written)."""
    if rows is None or not (rows[:, : len(PADDED)] == np.frombuffer(PADDED, np.uint8)).all():
        return None
    address = rows[:, len(PADDED) - 2 :].copy()  # two of the zeros, then the 40 digits
    address[:, :2] = PREFIX
    text = _lowered(address)
    return None if text is None else _text(text, 42)


def _integers(raw: np.ndarray, piece: Piece) -> np.ndarray | None:
    """0x + 1 to 16 hex digits (a Transfer's data also as the ABI's 64, 48 of them leading
    zeros) as integers, if each is under 2^63 (``usdc._int``, ``usdc._max_amount``)."""
    if isinstance(piece, np.ndarray):  # as long in every log: the digits are columns
        if piece.shape[1] == 66 and not (piece[:, 2:50] == ord("0")).all():
            return None
        digits = piece[:, 50:] if piece.shape[1] == 66 else piece[:, 2:]
        if not 1 <= digits.shape[1] <= 16 or not (piece[:, :2] == PREFIX).all():
            return None
        nibbles = np.zeros((len(piece), 16), dtype=np.uint8)
        nibbles[:, 16 - digits.shape[1] :] = NIBBLES[digits]
    else:  # the last 16 bytes up to each value's end, the ones before its digits zeroed
        starts, lengths = piece
        count, ends = lengths - 2, starts + lengths
        if not ((count >= 1) & (count <= 16)).all() or ends.min() < 16:
            return None
        if not ((raw[starts] == ord("0")) & (raw[starts + 1] == ord("x"))).all():
            return None
        nibbles = NIBBLES[sliding_window_view(raw, 16)[ends - 16]]
        nibbles[np.arange(16) < 16 - count[:, None]] = 0
    if (nibbles == 255).any():
        return None  # a byte that is not a hex digit
    packed = np.ascontiguousarray((nibbles[:, 0::2] << 4) | nibbles[:, 1::2])
    values = packed.view(">u8")[:, 0]
    return values.astype(np.int64) if (values < 2**63).all() else None


def _time(raw: np.ndarray, piece: Piece | None, count: int) -> pa.Array | None:
    """blockTimestamp as UTC times (null where the layout has none or null), if each is
    at most 10^11 seconds (``usdc._block_time``)."""
    if piece is None:
        return pa.nulls(count, MICROS)
    seconds = _integers(raw, piece)
    if seconds is None or seconds.max() > MAX_SECONDS:
        return None
    return pa.array(seconds * 1_000_000, MICROS)


def _printable(raw: np.ndarray, piece: Piece) -> bool:
    """No control character in a value the parser does not read (the json module refuses
    one in a string)."""
    if isinstance(piece, np.ndarray):
        return bool((piece >= 0x20).all())
    starts, lengths = piece
    width = int(lengths.max())
    if width > 256 or int(starts.max()) + width > len(raw):
        return False
    rows = sliding_window_view(raw, width)[starts]
    return bool(((rows >= 0x20) | (np.arange(width) >= lengths[:, None])).all())


def _stored(cur: duckdb.DuckDBPyConnection, job: BulkJob, chain: str, logs: int) -> Stored:
    """What was written, totalled as the parser totals it; duckdb.Error if a
    (transactionHash, logIndex) repeats (the parser refuses the file and names the second)."""
    rows, keys, total = cur.execute(
        "SELECT count(*), count(DISTINCT (tx_hash, log_index)),"
        " coalesce(sum(amount_minor) FILTER (WHERE NOT removed), 0)"
        " FROM chain_transfers WHERE source_file_id = ?",
        [job.file_id],
    ).fetchone()
    if keys != rows or rows != logs:
        raise duckdb.InvalidInputException("fast path: a duplicate log (the parser names it)")
    if job.progress is not None:
        job.progress(rows)
    totals = FileTotals(FORMAT, rows, {"transfers": rows}, {"USDC": int(total)},
                        kind=f"chain {chain}")  # fmt: skip
    return Stored(rows, totals)
