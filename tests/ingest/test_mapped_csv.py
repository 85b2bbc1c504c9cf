"""Generic CSV with a saved mapping: profiles onto bank_statement_lines (or card_settlements),
saved in the database, loaded by format id csv:<profile>."""

from __future__ import annotations

import json
from datetime import date

import pytest

from ops_core.db import Database
from ops_core.errors import ConfigError, FileRejected
from ops_core.ingest.card_profile import profile_from_dict
from ops_core.ingest.csv_profiles import list_profiles, resolve, save_profile
from ops_core.ingest.formats import format_choices
from ops_core.ingest.loader import load_file
from ops_core.ingest.mapped_csv import parse_mapped_csv
from ops_core.ingest.records import StatementLine

US_BANK = (
    b"Account Number,Posting Date,Effective Date,Description,Bank Reference,"
    b"Customer Reference,Type,Debit,Credit\n"
    b'4410072819,11/19/2026,11/19/2026,ACH credit Acme,B1,0710000001,ACH,,"1,240.50"\n'
    b"4410072819,11/19/2026,,Wire out,B2,,WIRE,99.00,\n"
    b"\n"
    b"4410072819,11/20/2026,11/21/2026,Fee,B3,,FEE,0.25,0.00\n"
)
SIGNED = {
    "name": "nordic_bank",
    "target": "bank_statement_lines",
    "columns": {"account": "Konto", "booking_date": "Dato", "amount": "Beløp",
                "text": "Tekst", "dc": "Retning"},
    "constants": {"currency": "NOK"},
    "date_format": "%d.%m.%Y",
    "decimal_separator": ",",
    "thousands_separator": " ",
    "delimiter": ";",
    "dc_values": {"credit": ["Inn"], "debit": ["Ut"]},
}  # fmt: skip
NORDIC = (
    "Konto;Dato;Beløp;Tekst;Retning\n"
    "1234;19.11.2026;1 000,50;Lønn;Inn\n"
    "1234;20.11.2026;-20,00;Kaffe;Ut\n"
)


@pytest.fixture
def db(empty_db: Database) -> Database:
    return empty_db


def lines(records: list) -> list[tuple]:
    return [
        (r.line, r.dc, r.amount_minor, r.currency, r.booking_date, r.value_date, r.text)
        for r in records
        if isinstance(r, StatementLine)
    ]


def test_bundled_bank_profile_reads_split_debit_and_credit_columns(db: Database) -> None:
    profile = resolve(db.cursor(), "us_bank_statement")
    records = list(parse_mapped_csv(US_BANK, "stmt.csv", profile))
    assert lines(records) == [
        (2, "credit", 124050, "USD", date(2026, 11, 19), date(2026, 11, 19), "ACH credit Acme"),
        (3, "debit", -9900, "USD", date(2026, 11, 19), None, "Wire out"),
        (5, "debit", -25, "USD", date(2026, 11, 20), date(2026, 11, 21), "Fee"),
    ]
    assert records[-1].amounts == {"credit_USD": 124050, "debit_USD": 9925}
    assert records[-1].kind == "profile us_bank_statement -> bank statement lines"


def test_a_saved_profile_maps_signed_amounts_with_markers(db: Database) -> None:
    cur = db.cursor()
    save_profile(cur, SIGNED, actor="ops")
    records = list(parse_mapped_csv(NORDIC.encode(), "n.csv", resolve(cur, "nordic_bank")))
    assert [(r.dc, r.amount_minor, r.text) for r in records[:-1]] == [
        ("credit", 100050, "Lønn"), ("debit", -2000, "Kaffe"),
    ]  # fmt: skip


@pytest.mark.parametrize(("row", "line", "field", "message"), [
    (b"4410072819,11/19/2026,,x,B9,,ACH,1.00,2.00\n", 6, "Credit", "both a credit and a debit"),
    (b"4410072819,11/19/2026,,x,B9,,ACH,,\n", 6, "Credit", "neither a credit nor a debit"),
    (b"4410072819,19/11/2026,,x,B9,,ACH,1.00,\n", 6, "booking_date", "not a date: '19/11/2026'"),
    (b"4410072819,11/19/2026,,x,B9,,ACH,1.001,\n", 6, "debit", "more decimals than USD allows"),
    (b",11/19/2026,,x,B9,,ACH,1.00,\n", 6, "Account Number", "account is blank"),
    (b"4410072819,11/19/2026\n", 6, "Effective Date", "row has 2 cells"),
])  # fmt: skip
def test_a_bad_row_rejects_the_file_with_line_and_field(
    db: Database, row: bytes, line: int, field: str, message: str
) -> None:
    before = db.cursor().execute("SELECT count(*) FROM bank_statement_lines").fetchone()
    with pytest.raises(FileRejected) as err:
        load_file(db, US_BANK + row, name="stmt.csv", format="csv:us_bank_statement", actor="o")
    assert (err.value.file, err.value.line, err.value.field) == ("stmt.csv", line, field)
    assert message in err.value.detail
    after = db.cursor().execute("SELECT count(*) FROM bank_statement_lines").fetchone()
    assert after == before


def test_load_with_a_saved_profile_twice_equals_once(db: Database) -> None:
    cur = db.cursor()
    save_profile(cur, SIGNED, actor="ops")
    first = load_file(db, NORDIC.encode(), name="n.csv", format="csv:nordic_bank", actor="o")
    again = load_file(db, NORDIC.encode(), name="n.csv", format="csv:nordic_bank", actor="o")
    assert (first.rows, first.format, again.already_loaded) == (2, "csv:nordic_bank", True)
    rows = cur.execute(
        "SELECT source_file_id, source_line, account, amount_minor, dc FROM bank_statement_lines"
    ).fetchall()
    assert rows == [(first.file_id, 2, "1234", 100050, "credit"),
                    (first.file_id, 3, "1234", -2000, "debit")]  # fmt: skip


def test_saving_is_audited_and_listed(db: Database) -> None:
    cur = db.cursor()
    save_profile(cur, SIGNED, actor="ana")
    save_profile(cur, SIGNED, actor="ana")  # unchanged: no new version, no audit entry
    save_profile(cur, {**SIGNED, "date_format": "%Y-%m-%d"}, actor="bo")
    assert cur.execute("SELECT version, saved_by FROM ingest_profiles").fetchall() == [(2, "bo")]
    audit = cur.execute(
        "SELECT actor, entity, entity_id, old_value IS NULL FROM audit_log ORDER BY audit_id"
    ).fetchall()
    assert audit == [("ana", "ingest_profile", "nordic_bank", True),
                     ("bo", "ingest_profile", "nordic_bank", False)]  # fmt: skip
    listed = {(p.name, p.target, p.source) for p in list_profiles(cur)}
    assert ("nordic_bank", "bank_statement_lines", "saved") in listed
    assert ("us_bank_statement", "bank_statement_lines", "bundled") in listed
    assert ("vipps_settlement", "card_settlements", "bundled") in listed


@pytest.mark.parametrize(("change", "message"), [
    ({"name": "Bad Name"}, "lower-case letters"),
    ({"name": "vipps_settlement"}, "is a bundled profile"),
    ({"target": "payments"}, "profile target must be one of"),
    ({"columns": {"account": "Konto", "booking_date": "Dato"}}, "map amount, or both credit"),
    ({"columns": {**SIGNED["columns"], "credit": "Inn"}}, "either amount, or credit and debit"),
    ({"columns": {**SIGNED["columns"], "iban": "IBAN"}}, "unknown columns ['iban']"),
    ({"constants": {}}, "missing ['currency']"),
    ({"dc_values": {"credit": ["X"], "debit": ["X"]}}, "both credit and debit"),
    ({"delimiter": '"'}, "delimiter must be one character"),
])  # fmt: skip
def test_a_bad_profile_is_refused_with_the_reason(db: Database, change: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("(", r"\(")):
        save_profile(db.cursor(), {**SIGNED, **change}, actor="ops")
    assert db.cursor().execute("SELECT count(*) FROM ingest_profiles").fetchone() == (0,)


def test_an_unknown_profile_or_a_missing_one_is_a_rejection(db: Database) -> None:
    with pytest.raises(FileRejected, match="no CSV profile called 'nope'"):
        load_file(db, NORDIC.encode(), name="n.csv", format="csv:nope", actor="o")
    with pytest.raises(FileRejected, match="needs a saved mapping profile"):
        load_file(db, NORDIC.encode(), name="n.csv", format="csv", actor="o")


def test_a_card_profile_works_through_the_generic_format(db: Database) -> None:
    cur = db.cursor()
    card = {"name": "acquirer_x", "columns": {
        "settlement_date": "Date", "network_txn_id": "Id", "amount": "Gross", "currency": "Ccy",
        "net": "Net"}, "constants": {"network": "VISA", "txn_type": "AFT"}}  # fmt: skip
    save_profile(cur, card, actor="ops")
    data = b"Date,Id,Gross,Ccy,Net\n2026-11-19,T1,10.00,USD,10.00\n"
    result = load_file(db, data, name="acq.csv", format="csv:acquirer_x", actor="o")
    assert result.rows == 1
    assert cur.execute("SELECT network, amount_minor FROM card_settlements").fetchall() == [
        ("VISA", 1000)
    ]


def test_profiles_round_trip_through_json() -> None:
    profile = profile_from_dict(SIGNED)
    assert profile_from_dict(json.loads(json.dumps(profile.to_dict()))) == profile


def test_format_choices_offer_the_generic_csv_and_card_profiles_only() -> None:
    choices = format_choices()
    assert "csv" in choices and "card_csv:vipps_settlement" in choices
    assert "card_csv:us_bank_statement" not in choices
