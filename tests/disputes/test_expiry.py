"""Passed response windows: an unanswered case whose network deadline has passed is closed as
expired by the deadline run (audited as ``system``), a case we answered or still inside its
window is left alone, a second run changes nothing, and the CLI runs it on a database file."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ops_core.db import open_db
from ops_core.disputes import cases, intake
from ops_core.disputes.__main__ import main
from ops_core.disputes.expiry import expire_passed
from tests.disputes.conftest import load_ledger

D = date.fromisoformat
AT = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)


def open_visa(db, started: str, payment_id: int = 1, reason: str = "13.1") -> int:
    with db.transaction() as cur:
        return intake.open_from_payment(
            cur,
            payment_id,
            reason_code=reason,
            actor="maria",
            opened_at=datetime.combine(D(started), datetime.min.time(), UTC),
        )


def state(db, case_id: int) -> tuple:
    return (
        db.cursor()
        .execute("SELECT status, outcome FROM dispute_cases WHERE case_id = ?", [case_id])
        .fetchone()
    )


@pytest.mark.parametrize(
    ("started", "today", "expected"),
    [
        # Visa 13.1 (Collaboration): 30 calendar days; from Thu 1 Oct 2026 due Sat 31 Oct
        ("2026-10-01", "2026-10-31", ("new", None)),  # due today: still open
        ("2026-10-01", "2026-11-01", ("closed", "expired")),  # the day after: expired
        ("2026-10-21", "2026-11-20", ("new", None)),  # due 20 Nov: still open
        ("2026-10-20", "2026-11-20", ("closed", "expired")),  # due 19 Nov: passed
    ],
)
def test_a_passed_network_deadline_expires_the_case(ledger, started, today, expected):
    case_id = open_visa(ledger, started)
    with ledger.transaction() as cur:
        expire_passed(cur, D(today), at=AT)
    assert state(ledger, case_id) == expected


def test_expiry_is_audited_as_system_and_a_second_run_changes_nothing(ledger):
    case_id = open_visa(ledger, "2026-09-01")
    with ledger.transaction() as cur:
        first = expire_passed(cur, D("2026-11-20"), at=AT)
    assert first.closed == {case_id: "expired"} and first.expired == 1
    cur = ledger.cursor()
    actors = cur.execute(
        "SELECT DISTINCT actor FROM audit_log WHERE entity = 'dispute' AND entity_id = ?"
        " AND field IN ('status', 'outcome')",
        [str(case_id)],
    ).fetchall()
    assert actors == [("system",)]
    event = cur.execute(
        "SELECT actor, detail FROM dispute_events WHERE case_id = ? AND kind = 'check'",
        [case_id],
    ).fetchone()
    assert event == ("system", "Response window ended 2026-10-01 without a response"
                     " (VISA-COLLAB-CB): expired")  # fmt: skip
    with ledger.transaction() as cur:
        assert expire_passed(cur, D("2026-11-20"), at=AT).closed == {}


def test_an_answered_case_waits_and_is_not_expired(ledger):
    case_id = open_visa(ledger, "2026-09-01")
    with ledger.transaction() as cur:
        cases.set_status(cur, case_id, expected_version=1, to="waiting", actor="maria")
        assert expire_passed(cur, D("2026-11-20"), at=AT).closed == {}
    assert state(ledger, case_id) == ("waiting", None)


def test_an_ach_return_follows_the_nacha_rule(ledger):
    """A timely unauthorized return whose dishonor window closed is accepted, not expired."""
    with ledger.transaction() as cur:
        # intake on the day of the return keeps the case open (its window still runs)
        intake.intake_ledger_returns(cur, D("2026-09-20"))
        case_id = cur.execute("SELECT case_id FROM dispute_cases WHERE payment_id = 3").fetchone()[
            0
        ]
        result = expire_passed(cur, D("2026-11-20"), at=AT)
    assert result.closed[case_id] == "accepted"


def test_the_cli_expires_on_a_database_file(tmp_path, capsys):
    path = tmp_path / "railyard.duckdb"
    db = open_db(path)
    with db.transaction() as cur:
        load_ledger(cur)
        from ops_core.reference.sync import sync_reference

        sync_reference(cur)
    case_id = open_visa(db, "2026-09-01")
    db.close()
    assert main(["expire", "--db", str(path), "--today", "2026-11-20"]) == 0
    assert f"case {case_id}: expired" in capsys.readouterr().out
    db = open_db(path)
    assert state(db, case_id) == ("closed", "expired")
    db.close()
