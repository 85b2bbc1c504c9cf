"""Card dispute reports through the real importer (DISPUTE_REPORT_FORMAT.md): valid files open
cases matched by network transaction id, every kind of bad row rejects the file naming the
line and the field with nothing written, a second load changes nothing, a later report
moves the case on through the lifecycle, and saved profiles map other layouts."""

from __future__ import annotations

import pytest

from ops_core.errors import FileRejected
from ops_core.ingest import dispute_profile
from ops_core.ingest.formats import detect_format
from ops_core.ingest.loader import load_file

HEADER = (
    "network,dispute_id,network_txn_id,arn,reason_code,stage,amount,currency,dispute_date,"
    "stage_date,network_due_date,txn_type,card_last4,outcome"
)
VISA = (
    "VISA,VCR-100,400000000000001,74000000000000000000001,10.4,chargeback,125.00,USD,"
    "2026-11-02,2026-11-02,,AFT,4242,"
)
MC = "MASTERCARD,MCM-200,500000000000007,,4853,chargeback,99.00,USD,2026-11-03,,,AFT,,"
UNMATCHED = "VISA,VCR-300,400000000009999,,13.1,chargeback,40.00,USD,2026-11-04,,,AFT,,"
TABLES = ("source_files", "dispute_report_rows", "dispute_cases", "dispute_deadlines", "audit_log")


def report(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


@pytest.fixture
def db(ledger):
    with ledger.transaction() as cur:
        for pid, txn in ((1, "400000000000001"), (2, "400000000000002"), (7, "500000000000007")):
            cur.execute("UPDATE payments SET network_txn_id = ? WHERE payment_id = ?", [txn, pid])
    return ledger


def counts(db) -> dict[str, int]:
    cur = db.cursor()
    return {t: cur.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def cases(db) -> dict[str, tuple]:
    rows = db.cursor().execute(
        "SELECT external_ref, payment_id, client_id, stage, status, outcome, source, version,"
        " amount_disputed_minor FROM dispute_cases ORDER BY case_id"
    )
    return {r[0]: r[1:] for r in rows.fetchall()}


def load(db, data: bytes, name: str = "disputes.csv", **kw):
    return load_file(db, data, name=name, actor="tester", **kw)


def test_a_valid_report_opens_cases_matched_by_network_txn_id(db):
    result = load(db, report(VISA, MC, UNMATCHED))
    assert result.format == "dispute_csv" and result.rows == 3
    assert result.totals["counts"]["cases_opened"] == 3
    assert result.totals["amounts"] == {"disputed_USD": 26_400}
    found = cases(db)
    assert found["VCR-100"][:6] == (1, "alpha", "chargeback", "new", None, "card_report")
    assert found["MCM-200"][:3] == (7, "beta", "chargeback")
    assert found["VCR-300"][:2] == (None, "unmatched")
    provenance = (
        db.cursor()
        .execute(
            "SELECT source_line, arn, card_last4, amount_minor FROM dispute_report_rows"
            " ORDER BY source_line"
        )
        .fetchall()
    )
    assert provenance[0] == (2, "74000000000000000000001", "4242", 12_500)
    assert [p[0] for p in provenance] == [2, 3, 4]
    timeline = (
        db.cursor()
        .execute("SELECT detail FROM dispute_events WHERE kind = 'intake' ORDER BY event_id")
        .fetchall()
    )
    assert timeline[0][0].startswith("chargeback reported in disputes.csv line 2")


def test_the_processor_deadline_sits_between_the_team_and_network_dates(db):
    load(db, report(VISA))
    row = (
        db.cursor()
        .execute(
            "SELECT rule_id, network_due, processor_due, internal_due FROM dispute_deadlines"
            " WHERE party = 'us'"
        )
        .fetchone()
    )
    # Visa Allocation: 30 calendar days from Mon 2 Nov 2026 = Wed 2 Dec; the processor wants
    # it 7 banking days earlier: Dec 1, Nov 30, Fri 27 (open), Thanksgiving Thu 26 skipped,
    # 25, 24, 23, Fri 20 Nov; the team's date 2 banking days before that: Wed 18 Nov.
    assert [str(v) for v in row] == ["VISA-ALLOC-CB", "2026-12-02", "2026-11-20", "2026-11-18"]


def test_loading_the_same_report_twice_is_loading_it_once(db):
    first = load(db, report(VISA, MC))
    before = (counts(db), cases(db))
    again = load(db, report(VISA, MC), name="copy.csv")
    assert again.already_loaded and again.file_id == first.file_id
    assert (counts(db), cases(db)) == before


def test_a_resent_report_with_the_same_rows_changes_no_case(db):
    load(db, report(VISA, MC))
    before = cases(db)
    audit = counts(db)["audit_log"]
    resent = load(db, report(MC, VISA), name="resent.csv")  # other bytes, same disputes
    assert not resent.already_loaded
    assert resent.totals["counts"]["unchanged"] == 2
    assert cases(db) == before and counts(db)["audit_log"] == audit


def test_a_later_report_advances_the_case_through_the_lifecycle(db):
    load(db, report(VISA, MC))
    later = report(
        VISA.replace("chargeback,125.00", "pre_arbitration,125.00").replace(
            "2026-11-02,2026-11-02", "2026-11-02,2026-11-20"
        ),
        MC.replace("chargeback", "representment").replace("2026-11-03,", "2026-11-03,2026-11-16"),
    )
    result = load(db, later, name="later.csv")
    assert result.totals["counts"]["cases_advanced"] == 2
    found = cases(db)
    assert found["VCR-100"][2:4] == ("pre_arbitration", "waiting")  # allocation: no response
    assert found["MCM-200"][2:4] == ("representment", "new")  # we owe the documentation
    doc = (
        db.cursor()
        .execute(
            "SELECT network_due, processor_due, internal_due FROM dispute_deadlines"
            " WHERE rule_id = 'MC-REP-DOC'"
        )
        .fetchone()
    )
    # 8 calendar days from Mon 16 Nov = Tue 24 Nov; processor 2 banking days earlier: Fri 20
    # (Mon 23 is the first); the team 2 banking days before that: Wed 18 Nov.
    assert [str(v) for v in doc] == ["2026-11-24", "2026-11-20", "2026-11-18"]
    stages = (
        db.cursor()
        .execute("SELECT stage FROM dispute_events WHERE kind = 'stage' ORDER BY event_id")
        .fetchall()
    )
    assert [s for (s,) in stages] == ["pre_arbitration", "representment"]


def test_a_first_report_at_a_later_stage_walks_the_case_there(db):
    row = VISA.replace("10.4", "13.1").replace("chargeback,125.00", "pre_arbitration,125.00")
    load(db, report(row.replace("2026-11-02,2026-11-02", "2026-11-02,2026-11-25")))
    walked = (
        db.cursor()
        .execute(
            "SELECT stage FROM dispute_events WHERE kind IN ('opened', 'stage') ORDER BY event_id"
        )
        .fetchall()
    )
    assert [s for (s,) in walked] == ["chargeback", "representment", "pre_arbitration"]


def test_a_report_outcome_closes_the_case(db):
    load(db, report(VISA))
    load(db, report(VISA.replace(",4242,", ",4242,won")), name="won.csv")
    assert cases(db)["VCR-100"][3:5] == ("closed", "won")
    assert cases(db)["VCR-100"][7] == 12_500


BASE = {
    "network": "VISA", "dispute_id": "X-1", "network_txn_id": "400000000000001", "arn": "",
    "reason_code": "10.4", "stage": "chargeback", "amount": "1.00", "currency": "USD",
    "dispute_date": "2026-11-02", "stage_date": "", "network_due_date": "", "txn_type": "",
    "card_last4": "", "outcome": "",
}  # fmt: skip


def row(**changes: str) -> str:
    return ",".join({**BASE, **changes}.values())


BAD_ROWS = [
    ("network", row(network="AMEX")),
    ("reason_code", row(reason_code="4837")),  # a Mastercard code on a Visa dispute
    ("stage", row(stage="appeal")),
    ("amount", row(amount="1.001")),
    ("amount", row(amount="-5.00")),
    ("amount", row(amount="ten")),
    ("currency", row(currency="XYZ")),
    ("dispute_date", row(dispute_date="02/11/2026")),
    ("stage_date", row(stage_date="2026-11-01")),
    ("network_due_date", row(network_due_date="2026-10-30")),
    ("dispute_id", row(dispute_id="")),
    ("network_txn_id", row(network_txn_id="")),
    ("arn", row(arn="1234")),
    ("card_last4", row(card_last4="4111111111111111")),  # never a full card number
    ("outcome", row(outcome="maybe")),
    ("dispute_id", VISA),  # the same dispute twice in one report
    # lifecycle refusals: a push (OCT) payment cannot carry a fraud chargeback (domain.md §6.5)
    ("reason_code", row(dispute_id="X-2", network_txn_id="400000000000002")),
    # Mastercard 4808 goes to arbitration directly: no pre-arbitration (§6.3)
    ("stage", row(network="MASTERCARD", network_txn_id="500000000000007", reason_code="4808",
                  stage="pre_arbitration")),
]  # fmt: skip
IDS = [f"{field}-{i}" for i, (field, _) in enumerate(BAD_ROWS)]


@pytest.mark.parametrize(("field", "bad"), BAD_ROWS, ids=IDS)
def test_a_bad_row_rejects_the_file_naming_line_and_field(db, field, bad):
    with pytest.raises(FileRejected) as caught:
        load(db, report(VISA, bad), name="bad.csv")
    err = caught.value
    assert (err.file, err.line, err.field) == ("bad.csv", 3, field), str(err)
    assert counts(db) == dict.fromkeys(TABLES, 0)


def test_a_header_without_a_required_column_is_rejected(db):
    header = HEADER.replace("reason_code,", "")
    with pytest.raises(FileRejected, match=r"bad.csv, line 1, field header: header lacks"):
        load(db, report(header=header), name="bad.csv", format="dispute_csv")
    assert counts(db)["source_files"] == 0


def test_the_format_is_detected_from_the_header():
    assert detect_format(report(VISA), "x.csv") == "dispute_csv"


NORTHBEAM = (
    "Card Brand;Case Number;Network Transaction ID;ARN;Reason Code;Case Stage;"
    "Dispute Amount (minor);Currency;Received Date;Stage Date;Respond By;Transaction Date;"
    "Card Last 4;MID;DBA Name;Case Outcome\n"
    "VIS;NB-1;400000000000001;;10.4;First CB;12500;USD;11/02/2026;;12/01/2026;10/01/2026;"
    "4242;M-77;Alpha Pay;\n"
    "MCD;NB-2;500000000000007;;4853;2nd Presentment;9900;USD;11/03/2026;11/16/2026;;;;M-77;"
    "Alpha Pay;Merchant Win\n"
)


def test_a_bundled_processor_profile_maps_its_layout(db):
    result = load(db, NORTHBEAM.encode(), format="dispute_csv:northbeam_chargebacks")
    assert result.rows == 2
    found = cases(db)
    assert found["NB-1"][2:4] == ("chargeback", "new")
    assert found["NB-2"][2:5] == ("representment", "closed", "won")
    # the report says 1 Dec, the rule table 2 Dec: the difference is on the timeline
    notes = db.cursor().execute(
        "SELECT detail FROM dispute_events WHERE kind = 'check' AND detail LIKE 'The report%'"
    )
    (note,) = notes.fetchall()  # only the row that states a due date
    assert "due 2026-12-01; the rule table says 2026-12-02" in note[0]


def test_a_saved_profile_loads_its_layout_and_a_bad_value_names_its_column(db):
    data = dispute_profile.load_profile("northbeam_chargebacks").to_dict()
    data |= {"name": "acme", "delimiter": ","}
    with db.transaction() as cur:
        dispute_profile.save_profile(cur, data, actor="admin")
    text = NORTHBEAM.replace(";", ",")
    assert load(db, text.encode(), format="dispute_csv:acme").rows == 2
    bad = text.replace("First CB", "Appeal")
    with pytest.raises(FileRejected) as caught:
        load(db, bad.encode(), name="acme.csv", format="dispute_csv:acme")
    assert (caught.value.line, caught.value.field) == (2, "Case Stage")
    saved = (
        db.cursor()
        .execute("SELECT count(*) FROM audit_log WHERE entity = 'dispute_report_profile'")
        .fetchone()
    )
    assert saved == (1,)


def test_an_unknown_profile_names_the_known_ones(db):
    with pytest.raises(FileRejected, match="dispute_csv:northbeam_chargebacks"):
        load(db, report(VISA), format="dispute_csv:nope")
