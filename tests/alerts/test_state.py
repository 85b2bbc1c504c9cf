"""The alert state machine on hand-made findings: open, refresh, escalate, resolve itself,
snooze and reopen, one unresolved alert per rule and scope (Hypothesis)."""

from __future__ import annotations

import itertools

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from ops_core.alerts import findings as fx
from ops_core.alerts import store
from tests.alerts.conftest import T0, hours

RULE = "success_drop"


def finding(at, partner="LAKESHORE", severity="warning", value=90.0, impact=3) -> dict:
    return {
        "at": at,
        "rule_id": RULE,
        "rail_id": "RTP",
        "partner_id": partner,
        "client_id": None,
        "subject": None,
        "severity": severity,
        "title": f"Success-rate drop: RTP at {partner}",
        "value": value,
        "baseline": 99.0,
        "threshold": 94.0,
        "unit": "pct",
        "explanation": f"success {value}%",
        "link": "/rail-health?rails=RTP",
        "impact_count": impact,
        "impact_amount_minor": impact * 100,
        "currency": "USD",
        "window_start": T0,
    }


def frame(*rows: dict) -> list[dict]:
    """Findings as the detectors hand them over (normalized), as ``step`` takes them."""
    return store.records(fx.normalize(pd.DataFrame(list(rows))) if rows else fx.empty())


def machine():
    ids = itertools.count(1)
    return store.Machine({}), (lambda: next(ids))


def test_open_refresh_and_resolve_itself():
    m, ids = machine()
    store.step(m, T0, frame(finding(T0, value=90.0, impact=3)), {RULE}, ids)
    store.step(m, T0 + hours(1), frame(finding(T0, value=85.0, impact=7)), {RULE}, ids)
    (a,) = m.active.values()
    assert (a["status"], a["value"], a["peak"], a["impact_count"]) == ("open", 85.0, 85.0, 7)
    assert a["version"] == 1  # metric refreshes do not bump the version
    store.step(m, T0 + hours(2), frame(), {RULE}, ids)
    assert m.active == {}
    assert (a["status"], a["resolved_by"], a["version"]) == ("resolved", "railyard", 2)
    assert a["resolution"].startswith("Resolved automatically at 2026-03-02 14:00 UTC")
    assert [e["kind"] for e in m.events] == ["opened", "resolved"]
    assert {x["field"] for x in m.audits} == {"status", "resolved_at", "resolved_by", "resolution"}


def test_peak_keeps_the_worst_value_and_severity_only_rises():
    m, ids = machine()
    store.step(m, T0, frame(finding(T0, value=90.0)), {RULE}, ids)
    store.step(m, T0 + hours(1), frame(finding(T0, severity="critical", value=70.0)), {RULE}, ids)
    store.step(m, T0 + hours(2), frame(finding(T0, value=92.0)), {RULE}, ids)
    (a,) = m.active.values()
    assert (a["severity"], a["peak"], a["value"]) == ("critical", 70.0, 92.0)
    assert [e["kind"] for e in m.events] == ["opened", "escalated"]


def test_one_alert_per_rule_and_scope():
    m, ids = machine()
    both = frame(finding(T0), finding(T0, partner="MERIDIAN"))
    for h in range(3):
        store.step(m, T0 + hours(h), both, {RULE}, ids)
    assert len(m.active) == 2 and len(m.opened) == 2


def test_a_rule_not_evaluated_leaves_its_alerts_alone():
    m, ids = machine()
    store.step(m, T0, frame(finding(T0)), {RULE}, ids)
    store.step(m, T0 + hours(1), frame(), {"stuck"}, ids)  # e.g. a daily rule's off-hour
    assert len(m.active) == 1 and m.resolved == []


def test_a_snooze_that_ends_while_firing_reopens():
    m, ids = machine()
    store.step(m, T0, frame(finding(T0)), {RULE}, ids)
    (a,) = m.active.values()
    a.update(status="snoozed", snoozed_until=T0 + hours(2), version=2)
    store.step(m, T0 + hours(1), frame(finding(T0)), {RULE}, ids)
    assert a["status"] == "snoozed"
    store.step(m, T0 + hours(2), frame(finding(T0)), {RULE}, ids)
    assert (a["status"], a["snoozed_until"], a["version"]) == ("open", None, 3)
    assert m.events[-1]["kind"] == "reopened"


def test_after_a_manual_resolve_a_still_firing_condition_opens_a_new_alert():
    m, ids = machine()
    store.step(m, T0, frame(finding(T0)), {RULE}, ids)
    key = next(iter(m.active))
    m.active.pop(key)["status"] = "resolved"  # what actions.resolve does to the row
    store.step(m, T0 + hours(1), frame(finding(T0)), {RULE}, ids)
    assert len(m.opened) == 2


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.booleans(), min_size=2, max_size=2), min_size=1, max_size=30))
def test_alerts_follow_the_rising_edges(series):
    """For any firing pattern of two scopes: an alert opens on each rising edge and resolves
    on each falling edge, and a scope never has two unresolved alerts."""
    m, ids = machine()
    partners = ("LAKESHORE", "MERIDIAN")
    for h, fires in enumerate(series):
        rows = [finding(T0, partner=p) for p, f in zip(partners, fires, strict=True) if f]
        store.step(m, T0 + hours(h), frame(*rows), {RULE}, ids)
        assert len(m.active) == sum(fires)
    for i, p in enumerate(partners):
        col = [False] + [s[i] for s in series]
        rises = sum(1 for a, b in itertools.pairwise(col) if b and not a)
        falls = sum(1 for a, b in itertools.pairwise(col) if a and not b)
        opened = [a for a in m.touched.values() if a["partner_id"] == p]
        assert len(opened) == rises
        assert sum(a["status"] == "resolved" for a in opened) == falls


def test_write_and_load_round_trip(empty_db):
    m, _ = machine()
    cur = empty_db.cursor()
    ids = store.id_source(cur)
    store.step(m, T0, frame(finding(T0), finding(T0, partner="MERIDIAN")), {RULE}, ids)
    store.write(cur, m)
    m2 = store.load(cur)
    assert len(m2.active) == 2
    store.step(m2, T0 + hours(1), frame(finding(T0)), {RULE}, ids)
    store.write(cur, m2)
    rows = cur.execute("SELECT partner_id, status, version FROM alerts ORDER BY 1").fetchall()
    assert rows == [("LAKESHORE", "open", 1), ("MERIDIAN", "resolved", 2)]
    audit = cur.execute("SELECT count(*) FROM audit_log WHERE actor = 'railyard'").fetchall()
    assert audit[0][0] == 4
