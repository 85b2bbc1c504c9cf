"""The ledger export importer (LEDGER_FORMAT.md): CSV and Parquet into payments, all or
nothing, idempotent, with provenance, status history and the rollups marked behind and then
caught up (ops_core.derived)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ops_core import derived, sql
from ops_core.db import Database, open_db
from ops_core.errors import FileRejected
from ops_core.ingest import ledger as ledger_module
from ops_core.ingest.bulk import row_lines
from ops_core.ingest.formats import detect_format
from ops_core.ingest.loader import load_file
from tests.ingest.both_ways import took_fast_path

HEADER = (
    "payment_id,client_id,rail_id,partner_id,direction,dc,txn_type,amount,currency,"
    "created_at,final_at,status,returned_at,code_scheme,code,original_payment_id,attempt_no"
)
ROWS = [
    "1001,acme,ACH,lakeshore,push,credit,PPD,12.50,USD,2026-11-19T10:00:00Z,"
    "2026-11-19T12:00:00Z,completed,,,,,",
    "1002,acme,RTP,lakeshore,push,credit,,5.00,USD,2026-11-19 11:05:00+01:00,"
    "2026-11-19T10:05:02Z,failed,,iso20022,AC04,,",
    "1003,acme,RTP,lakeshore,push,credit,,5.00,USD,2026-11-19T10:06:00Z,"
    "2026-11-19T10:06:02Z,completed,,,,1002,2",
    "1004,beta,ACH,meridian,pull,debit,WEB,1.00,USD,2026-11-18T10:00:00,"
    "2026-11-18T12:00:00Z,returned,2026-11-20T08:00:00Z,nacha_return,R01,,",
    "1005,beta,ACH,meridian,pull,debit,WEB,7.00,USD,2026-11-18T10:00:00Z,,pending,,,,,",
]
TABLES = ("payments", "payment_events", "source_files", "rollup_hourly", "rollup_latency",
          "rollup_codes", "pending_payments",
          "(SELECT rollups_behind_since FROM data_version)")  # fmt: skip


def ledger(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


GOOD = ledger(*ROWS)


@pytest.fixture
def db(empty_db: Database) -> Database:
    return empty_db


def snapshot(db: Database) -> dict[str, list]:
    cur = db.cursor()
    return {t: sorted(map(repr, cur.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLES}


def rejected(db: Database, data: bytes, name: str = "ledger.csv") -> FileRejected:
    before = snapshot(db)
    with pytest.raises(FileRejected) as err:
        load_file(db, data, name=name, actor="ops")
    assert snapshot(db) == before, "a rejected file wrote something"
    return err.value


def test_rows_become_payments_with_provenance_and_utc_times(db: Database) -> None:
    result = load_file(db, GOOD, name="ledger.csv", actor="ops")
    assert (result.format, result.rows, result.control_ok) == ("ledger_csv", 5, True)
    assert result.totals["counts"] == {
        "rows": 5, "payments": 5, "unchanged": 0, "retries": 1, "completed": 2, "failed": 1,
        "returned": 1, "pending": 1,
    }  # fmt: skip
    assert result.totals["amounts"] == {"total_USD": 1250 + 500 + 500 + 100 + 700}
    rows = (
        db.cursor()
        .execute(
            "SELECT payment_id, original_payment_id, attempt_no, strftime(original_created_at,"
            " '%Y-%m-%d %H:%M'), strftime(created_at, '%H:%M'), amount_minor, status, code,"
            " source_file_id, source_line FROM payments ORDER BY payment_id"
        )
        .fetchall()
    )
    fid = result.file_id
    assert rows == [
        (1001, 1001, 1, "2026-11-19 10:00", "10:00", 1250, "completed", None, fid, 2),
        (1002, 1002, 1, "2026-11-19 10:05", "10:05", 500, "failed", "AC04", fid, 3),
        (1003, 1002, 2, "2026-11-19 10:05", "10:06", 500, "completed", None, fid, 4),
        (1004, 1004, 1, "2026-11-18 10:00", "10:00", 100, "returned", "R01", fid, 5),
        (1005, 1005, 1, "2026-11-18 10:00", "10:00", 700, "pending", None, fid, 6),
    ]


def test_status_history_is_written(db: Database) -> None:
    load_file(db, GOOD, name="ledger.csv", actor="ops")
    events = (
        db.cursor()
        .execute(
            "SELECT payment_id, seq, status, code FROM payment_events ORDER BY payment_id, seq"
        )
        .fetchall()
    )
    assert events == [
        (1001, 1, "created", None), (1001, 2, "completed", None),
        (1002, 1, "created", None), (1002, 2, "failed", "AC04"),
        (1003, 1, "created", None), (1003, 2, "completed", None),
        (1004, 1, "created", None), (1004, 2, "completed", None), (1004, 3, "returned", "R01"),
        (1005, 1, "created", None),
    ]  # fmt: skip


def test_rollups_count_logical_payments(db: Database) -> None:
    load_file(db, GOOD, name="ledger.csv", actor="ops")
    cur = db.cursor()
    assert str(derived.behind_since(cur)) == "2026-11-18 10:00:00+00:00"  # 1004 and 1005
    assert cur.execute("SELECT count(*) FROM rollup_hourly").fetchone() == (0,)
    assert derived.catch_up(db) and derived.behind_since(cur) is None
    attempts, payments, succeeded, failed, returned, pending = cur.execute(
        "SELECT sum(attempts), sum(payments), sum(succeeded), sum(failed), sum(returned),"
        " sum(pending) FROM rollup_hourly"
    ).fetchone()
    # 1002 failed and its retry 1003 completed: one logical payment, counted as succeeded
    assert (attempts, payments, succeeded, failed, returned, pending) == (5, 4, 2, 0, 1, 1)
    assert cur.execute("SELECT payment_id FROM pending_payments").fetchall() == [(1005,)]
    assert cur.execute("SELECT count(*) FROM rollup_routes").fetchone()[0] > 0


def test_load_twice_equals_load_once(db: Database) -> None:
    first = load_file(db, GOOD, name="ledger.csv", actor="ops")
    derived.catch_up(db)
    once = snapshot(db)
    again = load_file(db, GOOD, name="other-name.csv", actor="ops")
    assert (again.already_loaded, again.file_id) == (True, first.file_id)
    assert not derived.catch_up(db)  # nothing was marked behind
    assert snapshot(db) == once


def test_an_overlapping_export_adds_only_new_payments(db: Database) -> None:
    load_file(db, ledger(*ROWS[:3]), name="monday.csv", actor="ops")
    result = load_file(db, ledger(*ROWS), name="tuesday.csv", actor="ops")
    assert (result.rows, result.totals["counts"]["unchanged"]) == (2, 3)
    assert result.warnings == ("3 payments were already in the ledger, unchanged: skipped",)
    lines = (
        db.cursor()
        .execute("SELECT payment_id, source_file_id, source_line FROM payments ORDER BY 1")
        .fetchall()
    )
    assert [(p, line) for p, _, line in lines] == [(1001, 2), (1002, 3), (1003, 4), (1004, 5),
                                                   (1005, 6)]  # fmt: skip
    assert len({f for _, f, _ in lines}) == 2


def _swap(row: int, column: str, value: str) -> bytes:
    names = HEADER.split(",")
    cells = ROWS[row].split(",")
    cells[names.index(column)] = value
    rows = list(ROWS)
    rows[row] = ",".join(cells)
    return ledger(*rows)


@pytest.mark.parametrize(("row", "column", "value", "message"), [
    (0, "payment_id", "", "payment_id is blank"),
    (1, "payment_id", "12x", "not a payment id: '12x'"),
    (2, "amount", "5.001", "'5.001' has more decimals than USD allows"),
    (2, "amount", "-5.00", "not an amount: '-5.00'"),
    (2, "amount", "0", "the amount is zero"),
    (0, "currency", "XYZ", "unknown currency 'XYZ'"),
    (0, "rail_id", "PIGEON", "unknown rail 'PIGEON'"),
    (0, "direction", "sideways", "direction 'sideways' is not allowed"),
    (0, "dc", "", "dc '' is not allowed"),
    (0, "status", "done", "status 'done' is not allowed"),
    (0, "created_at", "2026-02-30T10:00:00Z", "not a timestamp: '2026-02-30T10:00:00Z'"),
    (0, "created_at", "19/11/2026 10:00", "not a timestamp"),
    (0, "final_at", "", "final_at is blank for a completed payment"),
    (0, "final_at", "2026-11-19T09:00:00Z", "is before created_at"),
    (4, "final_at", "2026-11-19T09:00:00Z", "a pending payment has a final_at"),
    (3, "returned_at", "", "returned_at is blank for a returned payment"),
    (0, "returned_at", "2026-11-20T08:00:00Z", "a completed payment has a returned_at"),
    (1, "code_scheme", "", "code 'AC04' without a code_scheme"),
    (2, "attempt_no", "1", "a retry of payment 1002 with attempt_no 1"),
    (0, "attempt_no", "3", "attempt 3 but original_payment_id is the payment itself"),
    (2, "original_payment_id", "999", "the first attempt 999 of this retry is neither"),
])  # fmt: skip
def test_a_bad_row_rejects_the_whole_file(
    db: Database, row: int, column: str, value: str, message: str
) -> None:
    error = rejected(db, _swap(row, column, value))
    assert (error.file, error.line) == ("ledger.csv", row + 2)
    assert message in error.detail
    assert error.field == column or (column == "amount" and error.field == "amount")
    assert str(error).startswith(f"ledger.csv, line {row + 2}, field {error.field}: ")


def test_a_code_the_codes_table_does_not_know_is_refused(db: Database) -> None:
    cur = db.cursor()
    cur.execute(
        "INSERT INTO codes (scheme, code, title, source, effective_from)"
        " VALUES ('nacha_return', 'R01', 'Insufficient funds', 'test', DATE '2020-01-01')"
    )
    error = rejected(db, _swap(3, "code", "R99"))
    assert (error.line, error.field) == (5, "code")
    assert "'R99' is not a nacha_return code" in error.detail


@pytest.mark.parametrize(("rows", "line", "field", "message"), [
    ((ROWS[0], ROWS[0]), 3, "payment_id",
     "payment 1001 appears twice in the file (first on line 2)"),
    ((ROWS[1], ROWS[2], ROWS[2].replace("1003,", "1006,")), 4, "attempt_no",
     "attempt 2 of payment 1002 is already on line 3"),
    ((ROWS[2], ROWS[1].replace("2026-11-19 11:05:00+01:00,2026-11-19T10:05:02Z",
                                "2026-11-19T10:07:00Z,2026-11-19T10:07:02Z")), 2,
     "original_payment_id", "this retry was created before its first attempt 1002"),
    ((ROWS[0], ROWS[2].replace(",1002,2", ",1001,2").replace("1003,", "1007,"),
      ROWS[2].replace(",1002,2", ",1007,3")), 4, "original_payment_id",
     "payment 1007 is itself a retry (of 1001)"),
])  # fmt: skip
def test_rows_that_contradict_each_other_are_refused(
    db: Database, rows: tuple[str, ...], line: int, field: str, message: str
) -> None:
    error = rejected(db, ledger(*rows))
    assert (error.line, error.field) == (line, field)
    assert message in error.detail


def test_an_existing_payment_with_other_content_is_refused(db: Database) -> None:
    first = load_file(db, GOOD, name="ledger.csv", actor="ops")
    changed = _swap(2, "status", "failed").replace(
        b",2026-11-19T10:06:02Z,failed,,,,", b",2026-11-19T10:06:02Z,failed,,iso8583,05,"
    )
    error = rejected(db, changed, "again.csv")
    assert (error.file, error.line, error.field) == ("again.csv", 4, "status")
    assert error.detail == (
        f"payment 1003 is already in the ledger (file {first.file_id}) with status "
        "'completed', this file says 'failed'"
    )
    retry = ledger(ROWS[2].replace("1003,", "1008,"))  # attempt 2 of 1002 exists as 1003
    error = rejected(db, retry, "retry.csv")
    assert (error.line, error.field) == (2, "attempt_no")
    assert "attempt 2 of payment 1002 is already payment 1003 in the ledger" in error.detail


@pytest.mark.parametrize(("data", "line", "field", "message"), [
    (ledger(*ROWS, header=HEADER.replace("status,", "")), 1, "header", "header lacks status"),
    (ledger(*ROWS, header=HEADER.replace("amount,", "amount_minor,amount,")), 1, "header",
     "both amount_minor and amount"),
    (ledger(*ROWS, header=HEADER + ",client_id"), 1, "header", "column 'client_id' appears twice"),
    (ledger(header=HEADER), 1, None, "no payments in the file"),
    (ledger(ROWS[0], ROWS[1] + ",extra"), 3, None, "unreadable CSV row"),
    (ledger(ROWS[0], ROWS[1][:30]), 3, None, "unreadable CSV row"),
    (ledger(ROWS[0], '"unterminated' + ROWS[1]), 3, None, "unreadable CSV row"),
])  # fmt: skip
def test_unreadable_files_name_the_line(
    db: Database, data: bytes, line: int, field: str | None, message: str
) -> None:
    error = rejected(db, data)
    assert error.line == line and message in error.detail
    if field:
        assert error.field == field


def test_quoted_line_breaks_and_blank_lines_keep_true_line_numbers(db: Database) -> None:
    header = HEADER + ",counterparty_name"
    rows = [ROWS[0] + ',"Smith, J.\nLine two"', "", ROWS[1] + ",x", "", "",
            ROWS[2] + ',"a\r\n\r\nb"', ROWS[3].replace("1.00", "1.001") + ",y"]  # fmt: skip
    error = rejected(db, ledger(*rows, header=header))
    assert (error.line, error.field) == (11, "amount")
    rows[-1] = ROWS[3] + ",y"
    load_file(db, ledger(*rows, header=header), name="ok.csv", actor="ops")
    lines = (
        db.cursor()
        .execute("SELECT payment_id, source_line, counterparty_name FROM payments ORDER BY 1")
        .fetchall()
    )
    assert lines == [(1001, 2, "Smith, J.\nLine two"), (1002, 5, "x"), (1003, 8, "a\r\n\r\nb"),
                     (1004, 11, "y")]  # fmt: skip


def _numbered_ledger(rows: int, tmp_path: Path) -> bytes:
    """A ledger of ``rows`` payments, payment n on line n + 1, from DuckDB's writer."""
    path = tmp_path / "numbered.csv"
    with duckdb.connect() as con:  # its own connection, not the module's shared one
        con.execute(
            f"""COPY (SELECT range AS payment_id, 'c' || (range % 7) AS client_id,
            'ACH' AS rail_id, 'p' AS partner_id, 'push' AS direction, 'credit' AS dc,
            100 + range AS amount_minor, 'USD' AS currency,
            '2026-11-19T10:00:00Z' AS created_at, 'pending' AS status
            FROM range(1, {rows + 1})) TO '{path}' (HEADER)"""
        )
    return path.read_bytes()


def test_a_large_file_keeps_every_row_on_its_line(db: Database, tmp_path: Path) -> None:
    """Rows are numbered by their place in the staged table: across row groups and the CSV
    reader's parallel buffers, every payment keeps its line, and an error late in the file
    names its own."""
    data = _numbered_ledger(150_000, tmp_path)
    lines = data.split(b"\n")
    lines[140_000] = lines[140_000].replace(b",USD,", b",XXX,")
    error = rejected(db, b"\n".join(lines))
    assert (error.line, error.field) == (140_001, "currency")
    assert took_fast_path(data, "ledger_csv")  # numbered by the insert's row ids
    load_file(db, data, name="numbered.csv", actor="ops")
    wrong = db.cursor().execute(
        "SELECT count(*), count(*) FILTER (WHERE source_line <> payment_id + 1) FROM payments"
    )
    assert wrong.fetchall() == [(150_000, 0)]


def test_typing_the_rows_joins_nothing(db: Database, tmp_path: Path) -> None:
    """Rows are numbered by their place in the typed table, or in the fast path's insert,
    which holds only while the statement that writes them has no join (the optimizer turns
    list_contains of a constant list into one; the 150k-row test above caught that as rows
    out of order)."""
    path = tmp_path / "l.csv"
    path.write_bytes(GOOD)
    cur = db.cursor()
    ledger_module._stage_csv(cur, str(path), HEADER.split(","), GOOD, quoted=True)
    params = {
        "currencies": ["USD"], "exponents": [2], "rails": ["ACH", "RTP"], "schemes": ["x"],
        "scheme_codes": ["x\x1fy"], "amount_column": "amount",
    }  # fmt: skip
    statements = {
        "ledger_type": (sql.statement("ingest/ledger_type"), params),
        "fast insert": (ledger_module.fast_insert_statement(), {**params, "file_id": 1}),
    }
    for label, (text, values) in statements.items():
        plan = "\n".join(row[1] for row in cur.execute("EXPLAIN " + text, values).fetchall())
        assert "READ_CSV" in plan.upper() and "JOIN" not in plan.upper(), (label, plan)


@pytest.mark.parametrize("other", ["", "é"], ids=["ascii", "utf8"])
def test_values_are_trimmed_of_spaces(db: Database, other: str) -> None:
    """Spaces around a value (ASCII, and Unicode ones such as U+00A0) are not part of it; a
    value of spaces is blank. ASCII files trim only values that start or end with a space."""
    rows = [
        ROWS[0].replace("acme,ACH,", " acme , ACH,").replace(",PPD,", ",\u00a0PPD\u00a0,"),
        ROWS[4].replace(",WEB,", ",   ,").replace("beta", "beta" + other),
    ]
    load_file(db, ledger(*rows), name="spaces.csv", actor="ops")
    got = (
        db.cursor()
        .execute("SELECT client_id, rail_id, txn_type FROM payments ORDER BY payment_id")
        .fetchall()
    )
    assert got == [("acme", "ACH", "PPD"), ("beta" + other, "ACH", None)]


def test_unknown_columns_are_ignored_with_a_note(db: Database) -> None:
    data = ledger(*(r + ",memo" for r in ROWS), header=HEADER + ",memo")
    result = load_file(db, data, name="ledger.csv", actor="ops")
    assert result.rows == 5
    assert result.warnings == ("columns not in the ledger layout, ignored: memo",)


def test_amount_minor_and_a_bom(db: Database) -> None:
    header = HEADER.replace("amount,", "amount_minor,")
    rows = [r.replace(",12.50,", ",1250,").replace(",5.00,", ",500,") for r in ROWS[:3]]
    result = load_file(db, b"\xef\xbb\xbf" + ledger(*rows, header=header), name="l.csv",
                       actor="ops")  # fmt: skip
    assert result.totals["amounts"] == {"total_USD": 2250}
    error = rejected(db, ledger(rows[0].replace(",1250,", ",12.50,").replace("1001", "1009"),
                                header=header))  # fmt: skip
    assert (error.line, error.field) == (2, "amount_minor")


def test_detection() -> None:
    assert detect_format(GOOD[:8192], "x.csv") == "ledger_csv"
    assert detect_format(b"PAR1....", "x.parquet") == "ledger_parquet"


def _parquet(data: bytes, tmp_path: Path, select: str = "*") -> bytes:
    src, out = tmp_path / "l.csv", tmp_path / "l.parquet"
    src.write_bytes(data)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        f"COPY (SELECT {select} FROM read_csv('{src}', all_varchar = true))"
        f" TO '{out}' (FORMAT parquet)"
    )
    con.close()
    return out.read_bytes()


def test_parquet_loads_the_same_payments_as_csv(tmp_path: Path) -> None:
    typed = ("* REPLACE (CAST(payment_id AS BIGINT) AS payment_id, CAST(amount AS DECIMAL(18, 2))"
             " AS amount, CAST(final_at AS TIMESTAMPTZ) AS final_at)")  # fmt: skip
    results = {}
    for kind, data in (("csv", GOOD), ("parquet", _parquet(GOOD, tmp_path, typed))):
        db = open_db(":memory:")
        result = load_file(db, data, name=f"l.{kind}", actor="ops")
        results[kind] = (
            db.cursor()
            .execute(
                "SELECT * EXCLUDE (source_file_id, source_line), source_line FROM payments"
                " ORDER BY payment_id"
            )
            .fetchall()
        )
        assert result.format == f"ledger_{kind}"
        db.close()
    assert [r[:-1] for r in results["csv"]] == [r[:-1] for r in results["parquet"]]
    assert [r[-1] for r in results["parquet"]] == [1, 2, 3, 4, 5]  # Parquet: the row


def test_parquet_errors_name_the_row(db: Database, tmp_path: Path) -> None:
    error = rejected(db, _parquet(_swap(2, "amount", "5.001"), tmp_path), "l.parquet")
    assert (error.line, error.path, error.field) == (None, "row 3", "amount")
    assert str(error).startswith("l.parquet, row 3, field amount: ")
    floats = _parquet(GOOD, tmp_path, "* REPLACE (CAST(amount AS DOUBLE) AS amount)")
    error = rejected(db, floats, "f.parquet")
    assert error.field == "amount" and "money is never float" in error.detail
    error = rejected(db, b"PAR1 not really parquet", "x.parquet")
    assert "unreadable Parquet" in error.detail


# field text with quotes, commas and line breaks (a lone CR is not a line break here)
FIELD = st.lists(st.sampled_from(["a", ",", '"', "\n", "\r\n"]), max_size=5).map("".join)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(FIELD, min_size=2, max_size=2), max_size=8),
    blanks=st.lists(st.integers(0, 30), max_size=4),
    crlf=st.booleans(),
)
def test_row_lines_match_the_csv_module(
    rows: list[list[str]], blanks: list[int], crlf: bool
) -> None:
    """Where each row starts, from the bytes and the line feeds inside its fields, equals
    what Python's csv module counts, with blank lines anywhere."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n" if crlf else "\n").writerows([["id", "v"], *rows])
    lines = text.getvalue().splitlines(keepends=True)
    for at in sorted(blanks, reverse=True):
        lines.insert(min(at + 1, len(lines)), "\r\n" if crlf else "\n")
    data = "".join(lines).encode()
    reader = csv.reader(io.StringIO(data.decode(), newline=""))
    next(reader)
    expected, newlines = [], []
    for row in reader:
        if row:
            inside = sum(c.count("\n") for c in row)
            expected.append(reader.line_num - inside)
            newlines.append(inside)
    assert row_lines(data, np.array(newlines, dtype=np.int64)).tolist() == expected


PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY
@given(data=st.data())
def test_mutated_or_truncated_ledgers_only_raise_file_rejected(data: st.DataObject) -> None:
    original = ledger(*ROWS, header=HEADER + ",counterparty_name")
    original = original.replace(b"\n1002", b',"Doe, J"\n1002')
    if data.draw(st.booleans()):
        at = data.draw(st.integers(0, len(original) - 1))
        mutated = original[:at] + data.draw(st.binary(max_size=6)) + original[at + 1 :]
    else:
        mutated = original[: data.draw(st.integers(1, len(original)))]
    db = open_db(":memory:")
    try:
        outcomes = []
        for _ in range(2):
            try:
                result = load_file(db, mutated, name="m.csv", format="ledger_csv", actor="ops")
                outcomes.append(("loaded", result.file_id))
            except FileRejected as exc:
                assert str(exc).startswith("m.csv")
                outcomes.append(("rejected",))
            outcomes.append(snapshot(db))
        assert outcomes[1] == outcomes[3]  # loading twice = loading once
        if outcomes[0][0] == "rejected":
            assert outcomes[2] == ("rejected",) and not outcomes[1]["payments"]
    finally:
        db.close()


def test_demo_ledger_round_trip_and_rollups(demo_copy: Path, tmp_path: Path) -> None:
    """Exporting demo payments and loading them back changes nothing; loading them under
    new ids adds exactly their logical payments to rollup_hourly."""
    db = open_db(demo_copy)
    try:
        cur = db.cursor()
        cols = ", ".join(
            f"strftime({c}, '%Y-%m-%dT%H:%M:%S.%fZ') AS {c}" if c.endswith("_at") else c
            for c in ("payment_id", "original_payment_id", "attempt_no", "client_id", "rail_id",
                      "partner_id", "direction", "dc", "txn_type", "amount_minor", "currency",
                      "created_at", "final_at", "status", "returned_at", "code_scheme", "code",
                      "ach_trace_number", "end_to_end_id", "uetr", "network_txn_id", "tx_hash",
                      "log_index", "counterparty_name", "counterparty_account")
        )  # fmt: skip
        last_day = "created_at >= (SELECT max(created_at) FROM payments) - INTERVAL 1 DAY"
        same, new = tmp_path / "same.csv", tmp_path / "new.csv"
        cur.execute(f"COPY (SELECT {cols} FROM payments WHERE {last_day}) TO '{same}' (HEADER)")
        shift = (
            "payment_id + 10000000000 AS payment_id,"
            " original_payment_id + 10000000000 AS original_payment_id"
        )
        cur.execute(
            f"COPY (SELECT * REPLACE ({shift}) FROM (SELECT {cols} FROM payments"
            f" WHERE original_payment_id IN (SELECT payment_id FROM payments WHERE {last_day})))"
            f" TO '{new}' (HEADER)"
        )
        logical = cur.execute(
            f"SELECT count(DISTINCT (original_payment_id, rail_id, partner_id)) FROM payments"
            f" WHERE original_payment_id IN (SELECT payment_id FROM payments WHERE {last_day})"
        ).fetchone()[0]
        hourly = "SELECT sum(payments), sum(attempts) FROM rollup_hourly"
        before = cur.execute(hourly).fetchone()
        unchanged = load_file(db, same, name="same.csv", actor="ops")
        assert unchanged.rows == 0 and unchanged.totals["counts"]["unchanged"] > 1000
        assert derived.behind_since(cur) is None  # nothing added, nothing to catch up
        added = load_file(db, new, name="new.csv", actor="ops")
        assert cur.execute(hourly).fetchone() == before  # behind until caught up
        assert derived.catch_up(db)
        after = cur.execute(hourly).fetchone()
        assert after[0] - before[0] == logical
        assert after[1] - before[1] == added.rows
    finally:
        db.close()


def test_a_ledger_full_of_times_is_not_taken_for_mt940() -> None:
    data = ledger(ROWS[0].replace("10:00:00Z", "10:20:05Z"))
    assert detect_format(data[:8192], "l.csv") == "ledger_csv"
