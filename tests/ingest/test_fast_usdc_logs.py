"""The USDC Transfer logs fast path (fast_usdc_logs.py) accepts exactly what the parser
(usdc.py) accepts and writes exactly the same rows: the benchmark's file, the demo
generator's files, every JSON sample, layouts it must take, files it must leave to the
parser and mutated files are loaded both ways and compared (outcome, message, totals,
warnings and every table), as tests/ingest/test_fast_paths.py does for the other formats."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops_core.db import Database, open_db
from ops_core.ingest import demo_files, demo_rails, fast_usdc_logs, formats, usdc
from ops_core.ingest.loader import load_file
from ops_core.ingest.usdc import TRANSFER_TOPIC, USDC_CONTRACTS
from tests.conftest import AS_OF
from tests.ingest.both_ways import Format
from tests.ingest.conftest import SAMPLES
from tests.ingest.sample_index import statuses

JSON_SAMPLES = sorted(rel for rel, status in statuses().items() if rel.endswith(".json"))
LOG_SAMPLES = [
    rel for rel in JSON_SAMPLES
    if statuses()[rel] == "VALID" and TRANSFER_TOPIC.encode() in (SAMPLES / rel).read_bytes()
]  # fmt: skip
USDC = USDC_CONTRACTS["ethereum"]
AT = datetime(2026, 11, 19, tzinfo=UTC)


LOGS_FORMAT = Format("usdc_logs")
outcome, took_fast_path = LOGS_FORMAT.outcome, LOGS_FORMAT.took_fast_path
same_both_ways = LOGS_FORMAT.same_both_ways


def log(n: int, **over: object) -> dict:
    """A Transfer log as eth_getLogs returns it (the demo writer's fields), changed by
    ``over`` (None drops a field)."""
    entry = {
        "address": USDC,
        "topics": [TRANSFER_TOPIC, "0x" + "0" * 24 + f"{n + 1:040x}", "0x" + "0" * 24 + "b" * 40],
        "data": f"0x{1_000_000 + n * 7919:064x}",
        "blockNumber": hex(21_000_000 + n // 3),
        "blockTimestamp": hex(1_763_510_400 + n * 4),
        "transactionHash": f"0x{n // 2:064x}",
        "logIndex": hex(n % 2 + (n % 7) * 40),
        "removed": False,
    }
    entry.update(over)
    return {k: v for k, v in entry.items() if v is not None}


def document(logs: list[dict], *, wrap: object = "chain", indent: int | None = 1) -> bytes:
    """The logs as a bare list, ``{"chain", "result"}`` or a JSON-RPC response."""
    body: object = logs
    if wrap == "chain":
        body = {"chain": "ethereum", "result": logs}
    elif wrap == "rpc":
        body = {"jsonrpc": "2.0", "id": 1, "result": logs}
    elif isinstance(wrap, dict):
        body = {**wrap, "result": logs}
    return json.dumps(body, indent=indent).encode()


LOGS = [log(n) for n in range(12)]


# --- files the fast path takes ----------------------------------------------------------


def test_the_benchmarks_file_takes_the_fast_path_and_loads_the_same(tmp_path: Path) -> None:
    from bench.ingest import big_usdc_logs

    data = big_usdc_logs(tmp_path, 3_000_000).read_bytes()
    assert took_fast_path(data)
    result = same_both_ways(data)
    assert result[0] == "loaded" and result[1] == 5_000


def test_the_demo_writers_file_loads_the_same() -> None:
    transfers = [
        demo_rails.Transfer(f"0x{n:064x}", n % 3, f"0x{n + 7:040x}", 10**6 + n, AT)
        for n in range(50)
    ]
    data = demo_rails.usdc_logs_file("base", transfers)
    assert took_fast_path(data)
    assert same_both_ways(data)[2]["kind"] == "chain base"


def test_the_demo_files_usdc_logs_load_the_same_either_way(
    demo_db: Database, tmp_path: Path
) -> None:
    """The real demo generator's usdc/ folder (one file a day, one with a transfer gone)."""
    paths = demo_files.write_demo_files(demo_db, tmp_path, AS_OF, days=4)
    logs = [p for p in paths if p.parent.name == "usdc"]
    assert logs
    for path in logs:
        data = path.read_bytes()
        assert took_fast_path(data) or b'"result": []' in data, path.name
        same_both_ways(data)


def test_the_samples_hold_no_usdc_logs_yet() -> None:
    """shared/samples has no eth_getLogs file (its README lists none), so no sample test runs
    here (a test over no files cannot fail). Should one be added, this fails: load each both
    ways (same_both_ways) in its place."""
    assert LOG_SAMPLES == []


@pytest.mark.parametrize("rel", JSON_SAMPLES)
def test_every_json_sample_loads_the_same_either_way(rel: str) -> None:
    """Public JSON files of other kinds (camt snapshots): refused the same way."""
    same_both_ways((SAMPLES / rel).read_bytes())


TAKEN = {
    "pretty": document(LOGS),
    "compact": document(LOGS, indent=None),
    "indent 4": document(LOGS, indent=4),
    "crlf": document(LOGS).replace(b"\n", b"\r\n"),
    "tabs": document(LOGS).replace(b"\n ", b"\n\t"),
    "json-rpc": document(LOGS, wrap="rpc"),
    "bare list": document(LOGS, wrap=None),
    "logs key": json.dumps({"chain": "ethereum", "logs": LOGS}).encode(),
    "chain in capitals": document(LOGS, wrap={"chain": "BASE"}).replace(
        USDC.encode(), USDC_CONTRACTS["base"].encode()
    ),
    "a byte order mark": b"\xef\xbb\xbf" + document(LOGS),
    "one log": document(LOGS[:1]),
    "two logs": document(LOGS[:2]),
    "removed logs": document([log(n, removed=n % 3 == 0) for n in range(12)]),
    "removed first": document([log(n, removed=n == 5) for n in range(12)]),
    "removed true first": document([log(n, removed=n != 5) for n in range(12)]),
    "removed key first": document([{"removed": n == 3, **log(n, removed=None)} for n in range(9)]),
    "removed key in the middle": document(
        [{"address": USDC, "removed": n == 4, **log(n, removed=None)} for n in range(9)]
    ),
    "no removed key": document([log(n, removed=None) for n in range(9)]),
    "no block time": document([log(n, blockTimestamp=None) for n in range(9)]),
    "null block time": document(
        [log(n, blockTimestamp=None) | {"blockTimestamp": None} for n in range(9)]
    ),
    "node fields": document(
        [log(n, blockHash=f"0x{n:064x}", transactionIndex=hex(n)) for n in range(9)]
    ),
    "null block hash": document([log(n) | {"blockHash": None} for n in range(9)]),
    "checksummed contract": document(
        [log(n, address=USDC.upper().replace("0X", "0x")) for n in range(9)]
    ),
    "upper-case hex": document(
        [
            log(n, data=log(n)["data"].upper().replace("0X", "0x"), transactionHash=f"0x{n:064X}")
            for n in range(9)
        ]
    ),
    "upper-case topic": document(
        [
            log(n, topics=[TRANSFER_TOPIC.upper().replace("0X", "0x"), *log(n)["topics"][1:]])
            for n in range(9)
        ]
    ),
    "short data": document([log(n, data=hex(n * 1000 + 1)) for n in range(9)]),
    "the largest amount": document([log(n, data=f"0x{2**63 - 1 - n:064x}") for n in range(9)]),
    "zero amount": document([log(n, data="0x" + "0" * 64) for n in range(9)]),
    "padded numbers": document([log(n, blockNumber=f"0x{n:016x}") for n in range(9)]),
    "another key order": document([dict(reversed(list(log(n).items()))) for n in range(9)]),
    "the latest time": document([log(n, blockTimestamp=hex(10**11)) for n in range(9)]),
    "log indexes of three widths": document([log(n, logIndex=hex(n * 300)) for n in range(9)]),
    "NaN beside the list": document(LOGS).replace(b'"chain"', b'"x": NaN, "chain"'),
}


@pytest.mark.parametrize("name", TAKEN)
def test_layouts_the_fast_path_takes_load_the_same(name: str) -> None:
    assert took_fast_path(TAKEN[name]), name
    assert same_both_ways(TAKEN[name])[0] == "loaded"


def _flagged(n: int, place: str) -> dict:
    """Log n with a removed flag (every seventh true) at the start, middle or end."""
    entry = log(n, removed=None, logIndex=hex(n % 600))
    flag = {"removed": n % 7 == 3}
    if place == "start":
        return flag | entry
    if place == "middle":
        return dict(list(entry.items())[:4]) | flag | dict(list(entry.items())[4:])
    return entry | flag


@pytest.mark.parametrize("place", ["start", "middle", "end"])
def test_many_logs_in_many_parts_keep_their_removed_flags(place: str) -> None:
    """Thousands of logs, so every part the fast path reads holds many, the flags of the
    logs at the parts' edges included (the flag sits in the bytes between two logs)."""
    data = document([_flagged(n, place) for n in range(3_000)], indent=None)
    assert took_fast_path(data)
    result = same_both_ways(data)
    assert result[1] == 3_000
    assert sum(", True, " in r for r in result[5]["chain_transfers"]) == len(range(3, 3_000, 7))


def test_removed_logs_count_in_the_rows_not_in_the_total() -> None:
    result = same_both_ways(TAKEN["removed logs"])
    kept = [n for n in range(12) if n % 3]
    assert result[1] == 12
    assert result[2]["amounts"] == {"USDC": sum(1_000_000 + n * 7919 for n in kept)}
    assert sum("True, None" in r or ", True, " in r for r in result[5]["chain_transfers"]) == 4


# --- files left to the parser -----------------------------------------------------------


def _with(n: int, **over: object) -> bytes:
    """LOGS with log n changed."""
    return document([log(k, **over) if k == n else log(k) for k in range(12)])


LEFT = {
    "amount 2^63": _with(5, data=f"0x{2**63:064x}"),
    "amount of 64 f": _with(11, data="0x" + "f" * 64),
    "amount of 65 digits": _with(3, data="0x0" + "0" * 63 + "1"),
    "approval topic": _with(4, topics=["0x8c5be1e5" + "0" * 56, *log(4)["topics"][1:]]),
    "four topics": _with(4, topics=[*log(4)["topics"], "0x" + "0" * 64]),
    "unpadded address topic": _with(2, topics=[TRANSFER_TOPIC, "0x" + "1" * 64, "0x" + "0" * 64]),
    "address topic in capitals": _with(
        2, topics=[TRANSFER_TOPIC, "0X" + "0" * 64, "0x" + "0" * 64]
    ),
    "other contract": _with(7, address="0xff970a61a04b1ca14834a43f5de4533ebddb5cc8"),
    "other chain's contract": _with(0, address=USDC_CONTRACTS["base"]),
    "non-hex data": _with(6, data="0x" + "0" * 63 + "g"),
    "non-hex hash": _with(6, transactionHash="0x" + "z" * 64),
    "short hash": _with(6, transactionHash="0x" + "a" * 63),
    "0X prefix": _with(1, logIndex="0X1"),
    "empty number": _with(1, blockNumber="0x"),
    "spaced number": _with(1, blockNumber=" 0x1"),
    "number as JSON integer": _with(9, logIndex=9),
    "all numbers as JSON integers": document([log(n, logIndex=n) for n in range(12)]),
    "missing data": _with(8, data=None),
    "missing topics": _with(8, topics=None),
    "null removed": _with(8, removed=None) + b"",
    "removed as text": _with(8, removed="false"),
    "a field more": _with(8, extra="x"),
    "a time past 10^11": _with(3, blockTimestamp=hex(10**11 + 1)),
    "a time of 17 digits": _with(3, blockTimestamp="0x1" + "0" * 16),
    "block number 2^63": _with(3, blockNumber=hex(2**63)),
    "log index past INTEGER": _with(3, logIndex=hex(2**31)),
    "duplicate log": document([log(0), log(1), log(0)]),
    "duplicate log, another spelling": document([log(0), log(1), log(0, logIndex="0x00")]),
    "unknown chain": document(LOGS, wrap={"chain": "solana"}),
    "result null": b'{"chain": "ethereum", "result": null, "logs": []}',
    "empty result": document([]),
    "list not last": b'{"result": ' + json.dumps(LOGS).encode() + b', "chain": "base"}',
    "two result keys": b'{"result": [], "result": ' + json.dumps(LOGS).encode() + b"}",
    "a key twice in a log": document(LOGS).replace(
        b'"removed": false', b'"data": "0x1", "removed": false', 1
    ),
    "an escape": document(LOGS).replace(
        b'"0x' + b"0" * 63 + b'1"', b'"0x' + b"0" * 63 + b'\\u0031"', 1
    ),
    "a different spacing": document(LOGS).replace(b'"logIndex": ', b'"logIndex":  ', 1),
    "a control character": _with(2, blockHash="0x\x01"),
    "truncated": document(LOGS)[:-40],
    "trailing comma": document(LOGS)[:-5] + b",\n ]\n}",
    "trailing garbage": document(LOGS) + b"x",
    "non-ASCII": document(LOGS).replace(b'"ethereum"', '"ethéreum"'.encode()),
    "nested": document(LOGS, wrap={"chain": "ethereum", "x": [[[[[[1]]]]]]}),
    "deeply nested": b'{"x": '
    + b"[" * 5000
    + b"]" * 5000
    + b', "result": '
    + json.dumps(LOGS).encode()
    + b"}",
    "a log not an object": document([*LOGS, 5]),
    "a list in a log": _with(3, data=["0x1"]),
}


@pytest.mark.parametrize("name", LEFT)
def test_files_left_to_the_parser_load_the_same_either_way(name: str) -> None:
    assert not took_fast_path(LEFT[name]), name
    same_both_ways(LEFT[name])


def test_a_bad_log_after_the_first_parts_are_written_rolls_back_to_the_parser() -> None:
    """The fast path writes in parts: one found irregular after others are written raises,
    the loader rolls back and the parser names the log."""
    logs = [log(n) for n in range(400)]
    logs[-1]["data"] = "0x" + "f" * 64
    result = same_both_ways(document(logs))
    assert result[0] == "rejected" and "$[399]" in result[1] and "out of range" in result[1]


# --- the fast path is the one taken, and loads once -------------------------------------


def test_load_file_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the parser broken, a regular file still loads: the fast path wrote it."""
    assert formats.FAST["usdc_logs"] is fast_usdc_logs.fast_usdc_logs

    def broken(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser ran")

    monkeypatch.setitem(formats.PARSERS, "usdc_logs", broken)
    db = open_db(":memory:")
    try:
        result = load_file(db, TAKEN["pretty"], name="logs.json", actor="t")
        assert result.format == "usdc_logs" and result.rows == 12
        with pytest.raises(AssertionError, match="the parser ran"):
            load_file(db, LEFT["amount 2^63"], name="big.json", actor="t")
    finally:
        db.close()


def test_loading_twice_is_a_no_op() -> None:
    db = open_db(":memory:")
    try:
        first = load_file(db, TAKEN["compact"], name="a.json", actor="t")
        again = load_file(db, TAKEN["compact"], name="b.json", actor="t")
        assert not first.already_loaded and again.already_loaded
        assert (again.file_id, again.rows, again.totals) == (first.file_id, 12, first.totals)
        assert db.cursor().execute("SELECT count(*) FROM chain_transfers").fetchone() == (12,)
    finally:
        db.close()


def test_the_parser_and_the_fast_path_agree_on_every_field() -> None:
    """One log by hand: what the parser's transfer_from_log makes is what is stored."""
    entry = log(3, removed=True)
    parsed = usdc.transfer_from_log(entry, "ethereum", "f", 0)
    stored = same_both_ways(document([entry]))[5]["chain_transfers"]
    assert len(stored) == 1
    assert stored[0].startswith(f"(None, 'ethereum', '{parsed.tx_hash}', {parsed.log_index}, ")
    assert f"'{parsed.from_address}', '{parsed.to_address}', {parsed.amount_minor}," in stored[0]


# --- mutated files ----------------------------------------------------------------------


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_files_load_the_same_either_way(data: st.DataObject) -> None:
    """Characters changed in place mostly keep the layout (the fast path reads the file),
    so this drives every check against the parser's."""
    original = bytearray(document([log(n, removed=n == 2) for n in range(6)]))
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(original) - 1))
        original[at] = data.draw(st.sampled_from(b'0123456789abcdefABCDEFxX" ,:[]{}\nte'))
    same_both_ways(bytes(original))
