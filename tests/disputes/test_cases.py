"""Cases: opening (with push-vs-pull rights), the stage and status tables, audited edits and
two people editing one case."""

from datetime import UTC, date, datetime

import pytest

from ops_core import audit
from ops_core.disputes import cases, intake, lifecycle
from ops_core.errors import ConflictError, OpsError

AT = datetime(2026, 10, 20, 15, 0, tzinfo=UTC)


def open_card(db, payment_id=1, code="10.4", **kw) -> int:
    with db.transaction() as cur:
        return intake.open_from_payment(
            cur, payment_id, reason_code=code, actor="ana", opened_at=AT, **kw
        )


def row(db, case_id):
    cur = db.cursor()
    res = cur.execute("SELECT * FROM dispute_cases WHERE case_id = ?", [case_id])
    return dict(zip([d[0] for d in res.description], res.fetchone(), strict=True))


def open_deadlines(db, case_id):
    return (
        db.cursor()
        .execute(
            "SELECT stage, rule_id, party, network_due, internal_due FROM dispute_deadlines"
            " WHERE case_id = ? AND done_at IS NULL ORDER BY rule_id",
            [case_id],
        )
        .fetchall()
    )


def test_an_aft_dispute_has_full_rights_deadlines_and_a_checklist(ledger):
    case_id = open_card(ledger)
    case = row(ledger, case_id)
    assert (case["network"], case["rights"], case["rule_category"]) == (
        "visa",
        "full",
        "allocation",
    )
    assert (case["stage"], case["status"], case["version"]) == ("chargeback", "new", 1)
    # 10.4 is Allocation: 30 days to file pre-arbitration (Thu 19 Nov); the processor wants
    # it 7 banking days earlier (Mon 9 Nov: Veterans Day Wed 11 is skipped), the team's date
    # is 2 banking days before the processor's: Thu 5 Nov.
    assert open_deadlines(ledger, case_id) == [
        ("chargeback", "VISA-ALLOC-CB", "us", date(2026, 11, 19), date(2026, 11, 5))
    ]
    items = (
        ledger.cursor()
        .execute("SELECT item FROM dispute_evidence WHERE case_id = ? ORDER BY position", [case_id])
        .fetchall()
    )
    assert "3-D Secure" in items[0][0] and len(items) == 4
    assert audit.history(ledger.cursor(), "dispute", case_id).field.tolist() == ["created"]


def test_an_oct_push_only_takes_the_oct_condition(ledger):
    with pytest.raises(OpsError, match=r"limited dispute rights .* allowed: 13.8"):
        open_card(ledger, payment_id=2, code="10.4")
    case_id = open_card(ledger, payment_id=2, code="13.8")
    assert row(ledger, case_id)["rights"] == "limited"


def test_stage_moves_follow_the_table(ledger):
    case_id = open_card(ledger, code="13.1")  # Collaboration
    with pytest.raises(OpsError, match="cannot move from chargeback to arbitration"):
        with ledger.transaction() as cur:
            cases.advance(
                cur,
                case_id,
                expected_version=1,
                to_stage="arbitration",
                on=date(2026, 11, 2),
                actor="ana",
            )
    with ledger.transaction() as cur:
        v = cases.advance(
            cur,
            case_id,
            expected_version=1,
            to_stage="representment",
            on=date(2026, 11, 2),
            actor="ana",
        )
    case = row(ledger, case_id)
    assert (v, case["stage"], case["status"]) == (2, "representment", "waiting")
    # our 30-day response is done; the issuer's 30-day pre-arbitration window runs
    assert open_deadlines(ledger, case_id) == [
        ("representment", "VISA-COLLAB-REP", "counterparty", date(2026, 12, 2), date(2026, 12, 2))
    ]
    done = (
        ledger.cursor()
        .execute("SELECT late FROM dispute_deadlines WHERE rule_id = 'VISA-COLLAB-CB'")
        .fetchone()
    )
    assert done == (False,)


@pytest.mark.parametrize(
    ("network", "category", "frm", "to", "ok"),
    [
        ("visa", "allocation", "chargeback", "representment", False),
        ("visa", "allocation", "chargeback", "pre_arbitration", True),
        ("mastercard", "direct_arbitration", "representment", "pre_arbitration", False),
        ("mastercard", "direct_arbitration", "representment", "arbitration", True),
        ("mastercard", "standard", "representment", "pre_arbitration", True),
        ("nacha", "unauthorized_consumer", "return", "contested", False),
        ("nacha", "unauthorized_consumer", "dishonored", "contested", True),
        ("reg_e", "standard", "notice", "resolution", True),
        ("reg_e", "standard", "resolution", "notice", False),
    ],
)
def test_stage_transition_table(network, category, frm, to, ok):
    assert (to in lifecycle.next_stages(network, category, frm)) is ok


@pytest.mark.parametrize(
    ("frm", "to", "ok"),
    [
        ("new", "in_review", True),
        ("waiting", "in_review", True),
        ("closed", "new", False),
        ("in_review", "new", False),
        ("closed", "in_review", False),
    ],
)
def test_status_transition_table(frm, to, ok):
    if ok:
        lifecycle.check_status(frm, to)
    else:
        with pytest.raises(OpsError, match=f"cannot change from {frm} to {to}"):
            lifecycle.check_status(frm, to)


def test_closing_needs_an_outcome_and_is_final(ledger):
    case_id = open_card(ledger)
    with ledger.transaction() as cur:
        with pytest.raises(OpsError, match="with an outcome"):
            cases.set_status(cur, case_id, expected_version=1, to="closed", actor="ana")
        v = cases.close(cur, case_id, expected_version=1, outcome="won", actor="ana")
    case = row(ledger, case_id)
    assert (case["outcome"], case["amount_recovered_minor"], v) == ("won", 12_500, 2)
    assert open_deadlines(ledger, case_id) == []
    with pytest.raises(OpsError, match="closed"), ledger.transaction() as cur:
        cases.advance(
            cur,
            case_id,
            expected_version=2,
            to_stage="pre_arbitration",
            on=date(2026, 11, 2),
            actor="ana",
        )


def test_two_people_editing_one_case_never_lose_a_change(ledger):
    case_id = open_card(ledger)
    # ana and ben both opened version 1
    with ledger.transaction() as cur:
        cases.add_note(cur, case_id, expected_version=1, text="called the client", actor="ana")
    with pytest.raises(ConflictError, match=r"ana changed notes from None to .*called the client"):
        with ledger.transaction() as cur:
            cases.set_status(cur, case_id, expected_version=1, to="in_review", actor="ben")
    assert row(ledger, case_id)["status"] == "new"  # ben's save was refused, not merged
    # ben reloads (version 2) and saves again: both changes are there, both audited
    with ledger.transaction() as cur:
        cases.set_status(cur, case_id, expected_version=2, to="in_review", actor="ben")
        cases.add_note(cur, case_id, expected_version=3, text="evidence requested", actor="ben")
    case = row(ledger, case_id)
    assert case["status"] == "in_review" and case["version"] == 4
    assert "called the client" in case["notes"] and "evidence requested" in case["notes"]
    trail = audit.history(ledger.cursor(), "dispute", case_id)
    assert list(zip(trail.actor, trail.field, strict=True)) == [
        ("ana", "created"),
        ("ana", "notes"),
        ("ben", "status"),
        ("ben", "notes"),
    ]


def test_evidence_edits_are_audited_and_version_checked(ledger):
    case_id = open_card(ledger)
    cur = ledger.cursor()
    evidence_id = cur.execute(
        "SELECT min(evidence_id) FROM dispute_evidence WHERE case_id = ?", [case_id]
    ).fetchone()[0]
    with ledger.transaction() as cur:
        cases.set_evidence(cur, evidence_id, expected_version=1, status="received", actor="ana")
    with pytest.raises(ConflictError), ledger.transaction() as cur:
        cases.set_evidence(cur, evidence_id, expected_version=1, status="missing", actor="ben")
    trail = audit.history(ledger.cursor(), "dispute_evidence", evidence_id)
    assert trail[["field", "old_value", "new_value"]].values.tolist() == [
        ["status", "missing", "received"]
    ]
