"""The Import page in AppTest: a CSV uploaded as "Generic CSV" with a saved mapping loads as
bank statement lines; a mapping saved on the page is offered for the next file; a ledger
export uploads as payments."""

from __future__ import annotations

import json

from ops_core.db import open_db
from tests.app.conftest import run_page

PAGE = "pages/import_files.py"
US_BANK = (
    b"Account Number,Posting Date,Effective Date,Description,Bank Reference,"
    b"Customer Reference,Type,Debit,Credit\n"
    b'4410072819,11/19/2026,11/19/2026,ACH credit Acme,B1,0710000001,ACH,,"1,240.50"\n'
    b"4410072819,11/19/2026,,Wire out,B2,,WIRE,99.00,\n"
)
MINE = {
    "name": "apptest_bank",
    "target": "bank_statement_lines",
    "columns": {"account": "Acct", "booking_date": "Date", "amount": "Amt"},
    "constants": {"currency": "EUR"},
}
MINE_CSV = b"Acct,Date,Amt\nDK50,2026-11-19,12.00\nDK50,2026-11-19,-2.50\n"


def selectbox(at, label: str):
    (box,) = [s for s in at.selectbox if s.label == label]
    return box


def load_button(at):
    (button,) = [b for b in at.button if b.label == "Load 1 file"]
    return button


def upload(at, name: str, content: bytes):
    at.file_uploader(key="uploads").set_value((name, content, "text/csv"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]


def test_generic_csv_with_a_bundled_mapping_loads_statement_lines(app, demo_copy):
    at = run_page(app, PAGE)
    upload(at, "stmt.csv", US_BANK)
    selectbox(at, "Format of stmt.csv").set_value("csv")
    at.run()
    mapping = selectbox(at, "Mapping for stmt.csv")
    assert "us_bank_statement (bank statement, bundled)" in mapping.options
    mapping.set_value("us_bank_statement")
    at.run()
    load_button(at).click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [s.value for s in at.success] == [
        "**stmt.csv** loaded: 2 rows as csv:us_bank_statement."
    ]
    db = open_db(demo_copy)
    try:
        rows = (
            db.cursor()
            .execute(
                "SELECT l.amount_minor, l.dc FROM bank_statement_lines l JOIN source_files f"
                " ON f.file_id = l.source_file_id WHERE f.original_name = 'stmt.csv' ORDER BY 1"
            )
            .fetchall()
        )
    finally:
        db.close()
    assert rows == [(-9900, "debit"), (124050, "credit")]


def test_a_mapping_saved_on_the_page_is_offered_for_the_next_file(app):
    at = run_page(app, PAGE)
    at.text_area[0].set_value(json.dumps(MINE))
    at.button(key="FormSubmitter:save-mapping-Save mapping").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("Saved mapping **apptest_bank**" in s.value for s in at.success)
    upload(at, "mine.csv", MINE_CSV)
    selectbox(at, "Format of mine.csv").set_value("csv")
    at.run()
    mapping = selectbox(at, "Mapping for mine.csv")
    assert "apptest_bank (bank statement, saved)" in mapping.options
    mapping.set_value("apptest_bank")
    at.run()
    load_button(at).click()
    at.run()
    assert [s.value for s in at.success] == ["**mine.csv** loaded: 2 rows as csv:apptest_bank."]


def test_a_bad_mapping_is_not_saved_and_says_why(app):
    at = run_page(app, PAGE)
    at.text_area[0].set_value(json.dumps({**MINE, "target": "payments"}))
    at.button(key="FormSubmitter:save-mapping-Save mapping").click()
    at.run()
    (error,) = at.error
    assert error.value.startswith("Not saved: profile target must be one of")


def test_a_ledger_export_uploads_as_payments(app):
    ledger = (
        b"payment_id,client_id,rail_id,partner_id,direction,dc,amount_minor,currency,"
        b"created_at,final_at,status\n"
        b"990000000001,acme,RTP,lakeshore,push,credit,1500,USD,2026-11-20T09:00:00Z,"
        b"2026-11-20T09:00:03Z,completed\n"
    )
    at = run_page(app, PAGE)
    upload(at, "ledger.csv", ledger)
    assert selectbox(at, "Format of ledger.csv").value == "auto"
    load_button(at).click()
    at.run()
    assert [s.value for s in at.success] == ["**ledger.csv** loaded: 1 rows as ledger_csv."]
