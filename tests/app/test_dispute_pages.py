"""The dispute pages render on the demo's disputes and show their key numbers."""

import pytest

from ops_core.access import Role, User
from ops_core.db import open_db
from ops_core.disputes.demo import seed_disputes
from tests.app.conftest import run_page
from tests.conftest import AS_OF


@pytest.fixture
def seeded_app(app, demo_copy):
    db = open_db(demo_copy)
    with db.transaction() as cur:
        seed_disputes(cur, AS_OF, 7)
    db.close()
    return app


def text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def case_id(demo_copy, where: str) -> int:
    db = open_db(demo_copy)
    try:
        return (
            db.cursor()
            .execute(f"SELECT min(case_id) FROM dispute_cases WHERE {where}")
            .fetchone()[0]
        )
    finally:
        db.close()


def test_calendar_counts_and_highlights(seeded_app):
    at = run_page(seeded_app, "pages/dispute_calendar.py", month="2026-11")
    assert metric(at, "Overdue") == "1" and metric(at, "Missed") == "0"
    assert int(metric(at, "Due within 3 days")) >= 5
    subheaders = [s.value for s in at.subheader]
    assert "Overdue and due within 3 days" in subheaders
    assert any(s.startswith("This week") for s in subheaders)
    assert "⚠️ uncertain rule" in text(at)  # Visa timelines are secondary-sourced (§6.2)


def test_calendar_day_and_network_filter_come_from_the_url(seeded_app):
    at = run_page(seeded_app, "pages/dispute_calendar.py", day="2026-11-24", networks="visa")
    assert at.multiselect[0].value == ["visa"]
    assert "Due Tuesday 24 November 2026" in [s.value for s in at.subheader]
    assert ":green-badge[ACH]" not in text(at)


def test_case_page_shows_deadlines_payment_and_timeline(seeded_app, demo_copy):
    cid = case_id(demo_copy, "network = 'visa' AND status = 'in_review'")
    at = run_page(seeded_app, "pages/dispute_case.py", case=str(cid))
    assert at.title[0].value.startswith(f"Case {cid}: Visa")
    deadlines, payment, timeline, audit = (d.value for d in at.dataframe)
    assert "VISA-FILING" in set(deadlines.rule) and "check on them" in set(deadlines.who)
    assert list(payment.status[:2]) == ["created", "submitted"]
    assert "opened" in set(timeline.kind)
    assert "created" in set(audit.field)


def test_case_page_add_note_and_refuse_a_stale_save(seeded_app, demo_copy):
    cid = case_id(demo_copy, "network = 'mastercard' AND status = 'new'")
    at = run_page(seeded_app, "pages/dispute_case.py", case=str(cid))
    at.text_area[0].input("Called the acquirer")
    next(b for b in at.button if b.label == "Add note").click().run()
    assert not at.exception
    assert any("Note added" in s.value for s in at.success)
    # someone else saves meanwhile: this session's next save is refused with their change
    db = open_db(demo_copy)
    with db.transaction() as cur:
        from ops_core.disputes import cases

        version = cur.execute(
            "SELECT version FROM dispute_cases WHERE case_id = ?", [cid]
        ).fetchone()[0]
        cases.assign(cur, cid, expected_version=version, assignee="ben", actor="ben")
    db.close()
    at.text_area[0].input("Second note")
    next(b for b in at.button if b.label == "Add note").click().run()
    errors = [e.value for e in at.error]
    assert any("ben changed assignee" in e for e in errors), errors


def test_case_page_without_a_case_lists_cases_and_offers_intake(seeded_app):
    at = run_page(seeded_app, "pages/dispute_case.py")
    assert [s.value for s in at.subheader] == ["Open cases", "Open a case from a payment"]
    assert len(at.dataframe[0].value) > 20


def test_analytics_flags_granite_and_lumen(seeded_app):
    at = run_page(seeded_app, "pages/dispute_analytics.py", start="2026-08-23", end="2026-11-20")
    errors = [e.value for e in at.error]
    assert any("Granite Rent: ACH unauthorized return rate" in e for e in errors)
    warnings = "\n".join(w.value for w in at.warning)
    assert "Lumen Games holds most mastercard cases of 4837" in warnings
    returns = at.dataframe[0].value
    granite = returns[returns.client == "Granite Rent"].iloc[0]
    assert granite.breach == "unauthorized m1, unauthorized m2"
    assert granite["unauthorized m1 %"] > 0.5


def test_case_page_shows_the_processor_deadline_between_team_and_network(seeded_app, demo_copy):
    cid = case_id(demo_copy, "network = 'visa' AND status = 'in_review'")
    at = run_page(seeded_app, "pages/dispute_case.py", case=str(cid))
    deadlines = at.dataframe[0].value
    ours = deadlines[deadlines.who == "us"].iloc[0]
    # Visa: the processor wants our answer 7 banking days before the network (§6.2)
    assert ours["team due"] < ours["processor due"] < ours["network due"]


def as_user(at, user: User):
    at.session_state["user"] = user
    return at


def test_a_viewer_sees_the_case_without_edit_controls(seeded_app, demo_copy):
    cid = case_id(demo_copy, "network = 'visa' AND status = 'in_review'")
    at = run_page(
        as_user(seeded_app, User("vic", Role.VIEWER)), "pages/dispute_case.py", case=str(cid)
    )
    assert not at.get("form_submit_button") and not at.text_area
    assert "Reload" not in [b.label for b in at.button]
    assert any("editing disputes needs the operator or admin role" in c.value for c in at.caption)
    assert {"Deadlines", "Notes", "Timeline"} <= {s.value for s in at.subheader}


def test_an_operator_edit_is_audited_under_their_name(seeded_app, demo_copy):
    cid = case_id(demo_copy, "network = 'mastercard' AND status = 'new'")
    at = run_page(
        as_user(seeded_app, User("ola", Role.OPERATOR)), "pages/dispute_case.py", case=str(cid)
    )
    at.text_area[0].input("Asked the processor for the issuer's documents")
    next(b for b in at.button if b.label == "Add note").click().run()
    assert any("Note added" in s.value for s in at.success)
    db = open_db(demo_copy)
    try:
        actors = (
            db.cursor()
            .execute(
                "SELECT DISTINCT actor FROM audit_log WHERE entity = 'dispute' AND entity_id = ?"
                " AND field = 'notes'",
                [str(cid)],
            )
            .fetchall()
        )
    finally:
        db.close()
    assert ("ola",) in actors
