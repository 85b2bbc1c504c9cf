"""Incidents: grouping alerts, impact derived from the payments, post-mortem edits with
conflicts, and the Markdown export."""

from __future__ import annotations

import pytest

from ops_core.alerts import incidents
from ops_core.db import Database, open_db
from ops_core.errors import ConflictError, OpsError

NAMES = {
    "rails": {"RTP": "RTP", "SPEI": "SPEI"},
    "partners": {"LAKESHORE": "Lakeshore Bank", "ALTAVISTA": "Banco Altavista"},
    "clients": {"acme": "Acme Payroll"},
}


@pytest.fixture(scope="module")
def seeded(seeded_path):
    db = Database(seeded_path, read_only=True)
    yield db
    db.close()


def test_the_demo_incident_is_the_lakeshore_outage(seeded):
    cur = seeded.cursor()
    d = incidents.detail(cur, 1)
    assert d.incident["title"] == "Lakeshore Bank RTP timeouts (DS24)"
    assert set(d.alerts.rule_id) == {"success_drop", "latency_spike", "code_spike"}
    assert (d.rails, d.partners) == (["RTP"], ["LAKESHORE"])
    totals = d.totals()
    assert totals.currency.tolist() == ["USD"]
    assert 10 <= int(totals.payments.iat[0]) <= 40  # a quarter of three busy hours, retried
    assert str(d.ended_at) == "2026-11-17 17:00:00+00:00"
    assert d.timeline.kind.tolist()[:3] == ["opened", "acknowledged", "created"]


def test_postmortem_markdown(seeded):
    d = incidents.detail(seeded.cursor(), 1)
    md = incidents.postmortem_markdown(d, NAMES, "America/New_York")
    lines = md.splitlines()
    assert lines[0] == "# Incident 1: Lakeshore Bank RTP timeouts (DS24)"
    for heading in (
        "## Summary",
        "## Impact",
        "## Timeline",
        "## Alerts",
        "## Root cause",
        "## Remediation",
        "## Follow-ups",
    ):
        assert heading in lines
    assert (
        "- **Started:** 2026-11-17 09:00 EST · **Detected:** 2026-11-17 10:00 EST"
        " (after 1 h 00 min)" in lines
    )
    assert "- **Partners:** Lakeshore Bank" in lines
    assert "- [x] Ask Lakeshore Bank for their change log and a written RCA" in lines
    assert sum(line.startswith("| 2026-11-17") for line in lines) == len(d.timeline)
    assert "Acme Payroll" in md  # the impact table names clients


def test_create_update_and_refuse_a_stale_save(seeded_copy):
    db = open_db(seeded_copy)
    try:
        cur = db.cursor()
        aid, v = cur.execute(
            "SELECT alert_id, version FROM alerts WHERE rule_id = 'new_code'"
        ).fetchall()[0]
        with db.transaction() as c:
            iid = incidents.create(c, "Altavista returns code 26", {aid: v}, actor="dana")
        inc = incidents.detail(db.cursor(), iid)
        assert inc.incident["started_at"] < inc.incident["detected_at"]
        assert inc.partners == ["ALTAVISTA"] and int(inc.totals().payments.sum()) > 0
        with db.transaction() as c:
            incidents.update(
                c,
                iid,
                {"root_cause": "Participant outage", "status": "resolved"},
                version=1,
                actor="dana",
            )
        row = (
            db.cursor()
            .execute(
                "SELECT root_cause, status, resolved_at IS NOT NULL, version FROM incidents"
                " WHERE incident_id = ?",
                [iid],
            )
            .fetchall()[0]
        )
        assert row == ("Participant outage", "resolved", True, 2)
        with pytest.raises(ConflictError, match="dana changed"):
            with db.transaction() as c:
                incidents.update(c, iid, {"summary": "late"}, version=1, actor="sam")
        with pytest.raises(OpsError, match="at least one alert"):
            with db.transaction() as c:
                incidents.create(c, "empty", {}, actor="dana")
    finally:
        db.close()


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("a\n[x] b\n- [ ] c\n\n", ["- [ ] a", "- [x] b", "- [ ] c"]),
        ("", ["_None yet._"]),
    ],
)
def test_follow_ups_become_task_items(text, items):
    assert incidents._follow_ups(text) == items
