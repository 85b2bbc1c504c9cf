"""The ledger CSV fast path (ledger.fast_ledger_csv: one insert straight from the reader)
writes exactly what the full path (ledger_type, ledger_conflicts, ledger_insert) writes, and
leaves to it every file it would refuse, skip or number differently: each file here is
loaded both ways and the outcome compared (the error, or payments with their lines, status
history, the rollups' mark and the file record)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops_core.db import open_db
from ops_core.ingest import ledger as ledger_module
from ops_core.ingest.loader import load_file
from tests.ingest.both_ways import Format
from tests.ingest.test_ledger import GOOD, HEADER, ROWS, ledger

LEDGER = Format("ledger_csv")


def _quoted(row: str) -> str:
    return row.replace("acme,", '"acme, inc.",', 1)


REGULAR = {
    "good": GOOD,
    "crlf": GOOD.replace(b"\n", b"\r\n"),
    "no last line break": GOOD.rstrip(b"\n"),
    "quoted values on one line": ledger(*[_quoted(r) for r in ROWS]),
    "blank lines between rows": ledger(ROWS[0], "", ROWS[1], "", "", *ROWS[2:]),
    "blank lines before and after the rows": ledger("", *ROWS, "", ""),
    "spaces around values": ledger(ROWS[0].replace("acme,ACH,", " acme , ACH,"), *ROWS[1:]),
    "non-ASCII": ledger(*[r.replace("beta", "bêta") for r in ROWS]),
    "amount_minor": ledger(
        *[r.replace(".", "", 1) if r.count(".") == 1 else r for r in ROWS],
        header=HEADER.replace(",amount,", ",amount_minor,"),
    ),
    "a byte order mark": b"\xef\xbb\xbf" + GOOD,
}


@pytest.mark.parametrize("name", REGULAR)
def test_regular_files_take_the_fast_path_and_load_the_same(name: str) -> None:
    data = REGULAR[name]
    assert LEDGER.route(data) == "fast"
    assert LEDGER.same_both_ways(data)[0] == "loaded"


def test_rows_keep_their_file_lines_around_blank_lines() -> None:
    db = open_db(":memory:")
    try:
        load_file(db, REGULAR["blank lines between rows"], name="l.csv", actor="ops")
        lines = (
            db.cursor()
            .execute("SELECT payment_id, source_line FROM payments ORDER BY payment_id")
            .fetchall()
        )
    finally:
        db.close()
    assert lines == [(1001, 2), (1002, 4), (1003, 7), (1004, 8), (1005, 9)]


RETRY_OF_RETRY = ROWS[2].replace("1003,", "1006,", 1).replace(",1002,2", ",1003,3")
IRREGULAR = {
    "a quoted line break": ledger(ROWS[0].replace("acme,", '"ac\nme",', 1), *ROWS[1:]),
}
REFUSED = {
    "a row failing a check": ledger(ROWS[0], ROWS[1].replace(",USD,", ",XXX,"), *ROWS[2:]),
    "a payment_id twice": ledger(*ROWS, ROWS[0]),
    "a retry without its first attempt": ledger(*ROWS[2:]),
    "a retry created before its first attempt": ledger(
        *ROWS[:2], ROWS[2].replace("2026-11-19T10:06:00Z", "2026-11-19T09:00:00Z"), *ROWS[3:]
    ),
    "an attempt number twice": ledger(*ROWS, ROWS[2].replace("1003,", "1006,", 1)),
    "a retry of a retry": ledger(*ROWS, RETRY_OF_RETRY),
    "a short row": ledger(ROWS[0], "1009,acme,ACH", *ROWS[1:]),
    "no rows": ledger(),
}


@pytest.mark.parametrize("name", IRREGULAR)
def test_files_the_full_path_must_number_load_the_same(name: str) -> None:
    data = IRREGULAR[name]
    assert LEDGER.route(data) == "failed"
    assert LEDGER.same_both_ways(data)[0] == "loaded"


@pytest.mark.parametrize("name", REFUSED)
def test_files_the_full_path_refuses_are_rejected_the_same(name: str) -> None:
    data = REFUSED[name]
    assert LEDGER.route(data) in ("failed", "rejected")
    outcome = LEDGER.same_both_ways(data)
    assert outcome[0] == "rejected", outcome


def test_the_fast_insert_reads_the_typing_statement() -> None:
    """One typing and one set of row checks: the fast insert embeds ledger_type's SELECT."""
    statement = ledger_module.fast_insert_statement()
    assert "FROM ledger_rows AS t" not in statement
    assert "regexp_full_match(payment_id_s" in statement and "error('fast path: '" in statement


MUTATE = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@MUTATE
@given(data=st.data())
def test_mutated_ledgers_load_the_same_either_way(data: st.DataObject) -> None:
    """Characters changed in place: every check the fast path leaves to error() or the key
    must come out as the full path's outcome, message and rows."""
    original = bytearray(GOOD)
    start = GOOD.index(b"\n") + 1
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(start, len(original) - 1))
        original[at] = data.draw(st.sampled_from(b'0123456789 ,"\n-:TZ.aX'))
    LEDGER.same_both_ways(bytes(original))
