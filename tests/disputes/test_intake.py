"""Intake: ACH unauthorized returns from the ledger and from loaded NACHA files."""

from datetime import UTC, date, datetime

from ops_core.disputes import intake

TODAY = date(2026, 10, 19)  # the R29 return (settled 16 Oct) is still inside its dishonor window


def cases(db):
    return (
        db.cursor()
        .execute(
            "SELECT payment_id, reason_code, rule_category, stage, status, outcome, source,"
            " external_ref FROM dispute_cases ORDER BY payment_id"
        )
        .fetchall()
    )


def test_ledger_returns_open_nacha_cases_once(ledger):
    with ledger.transaction() as cur:
        first = intake.intake_ledger_returns(cur, TODAY)
    with ledger.transaction() as cur:
        again = intake.intake_ledger_returns(cur, TODAY)
    assert (first.opened, again.opened) == (2, 0)  # R10 and R29; R01 is not unauthorized
    assert cases(ledger) == [
        # R10 of 20 Sep: its 5-banking-day dishonor window ended 28 Sep: closed at intake
        (
            3,
            "R10",
            "unauthorized_consumer",
            "return",
            "closed",
            "accepted",
            "ledger",
            "071000010000003",
        ),
        (4, "R29", "unauthorized_corporate", "return", "new", None, "ledger", "071000010000004"),
    ]


def test_a_late_r29_is_flagged_for_dishonor(ledger):
    with ledger.transaction() as cur:
        intake.intake_ledger_returns(cur, TODAY)
    late = (
        ledger.cursor()
        .execute(
            "SELECT rule_id, start_on, network_due, late FROM dispute_deadlines"
            " WHERE party = 'check' AND case_id = (SELECT case_id FROM dispute_cases"
            " WHERE payment_id = 4)"
        )
        .fetchone()
    )
    # settled Fri 2 Oct (created 1 Oct + 1 day); R29 due 2 banking days later, Tue 6 Oct;
    # the return came 16 Oct: late, so the team may dishonor it with R68
    assert late == ("NACHA-WINDOW-CORPORATE", date(2026, 10, 2), date(2026, 10, 6), True)
    detail = (
        ledger.cursor().execute("SELECT detail FROM dispute_events WHERE kind = 'check'").fetchall()
    )
    assert any("after the limit 2026-10-06" in d for (d,) in detail)


def add_file_returns(db, rows):
    with db.transaction() as cur:
        cur.execute(
            "INSERT INTO source_files (sha256, original_name, format, size_bytes, row_count,"
            " totals, loaded_at, loaded_by) VALUES ('x' || nextval('source_files_seq'),"
            " 'returns.ach', 'nacha', 1, 1, '{}', ?, 'test')",
            [datetime(2026, 10, 20, 14, 0, tzinfo=UTC)],
        )
        file_id = cur.execute("SELECT max(file_id) FROM source_files").fetchone()[0]
        for line, (kind, code, trace, jjj) in enumerate(rows, 1):
            cur.execute(
                "INSERT INTO ach_returns (source_file_id, source_line, entry_line,"
                " entry_trace_number, kind, return_code, original_trace, amount_minor, currency,"
                " return_settlement_date) VALUES (?, ?, ?, 'T', ?, ?, ?, 45000, 'USD', ?)",
                [file_id, line, line, kind, code, trace, jjj],
            )


def test_file_returns_open_and_move_cases(ledger):
    with ledger.transaction() as cur:
        intake.intake_ledger_returns(cur, TODAY)
    # the R29 case is dishonored (R68), then the RDFI contests it (R73) in a later file
    add_file_returns(
        ledger,
        [
            ("dishonored", "R68", "071000010000004", "292"),  # day 292 = 19 Oct 2026
            ("return", "R10", "099999990000001", "292"),  # unknown to the ledger
            ("return", "R01", "071000010000005", "292"),
        ],  # not unauthorized: ignored
    )
    with ledger.transaction() as cur:
        result = intake.intake_ach_files(cur, TODAY)
    assert (result.opened, result.advanced) == (1, 1)
    add_file_returns(ledger, [("contested", "R73", "071000010000004", "293")])
    with ledger.transaction() as cur:
        result = intake.intake_ach_files(cur, TODAY)
    assert (result.opened, result.advanced, result.skipped) == (0, 1, 2)  # idempotent
    stages = (
        ledger.cursor()
        .execute(
            "SELECT external_ref, stage, stage_started_on, source, client_id FROM dispute_cases"
            " WHERE network = 'nacha' ORDER BY case_id"
        )
        .fetchall()
    )
    assert stages[1:] == [
        ("071000010000004", "contested", date(2026, 10, 20), "ledger", "beta"),
        ("099999990000001", "return", date(2026, 10, 19), "ach_file", "unmatched"),
    ]
