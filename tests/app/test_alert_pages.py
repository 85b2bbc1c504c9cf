"""The Alerts, Incidents and Partner scorecards pages render on the demo's replayed alerts,
show their key numbers, and save audited edits (refusing stale ones)."""

from __future__ import annotations

import shutil

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from ops_core.alerts import actions
from ops_core.alerts.demo import seed_alerts
from ops_core.db import open_db
from tests.app.conftest import run_page
from tests.conftest import AS_OF
from ui import testing


@pytest.fixture(scope="module")
def seeded_file(demo_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("alert_pages") / "seeded.duckdb"
    shutil.copy(demo_path, path)
    db = open_db(path)
    with db.transaction() as cur:
        seed_alerts(cur, AS_OF)
    db.close()
    return path


@pytest.fixture
def db_file(seeded_file, tmp_path):
    target = tmp_path / "railyard.duckdb"
    shutil.copy(seeded_file, target)
    return target


@pytest.fixture
def app(db_file, monkeypatch):
    monkeypatch.setenv("RAILYARD_DB", str(db_file))
    at = testing.new_app(tz="UTC")
    yield at
    st.cache_resource.clear()
    PagesManager.uses_pages_directory = None


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def alert_id(db_file, rule: str) -> int:
    db = open_db(db_file)
    try:
        return (
            db.cursor()
            .execute("SELECT min(alert_id) FROM alerts WHERE rule_id = ?", [rule])
            .fetchall()[0][0]
        )
    finally:
        db.close()


def test_inbox_lists_the_open_alerts(app):
    at = run_page(app, "pages/alerts.py")
    m = metrics(at)
    table = at.dataframe[0].value
    # the stuck FedNow batch, Granite Rent over Nacha's limit, and dispute responses due
    assert int(m["Open critical"]) == (table.severity == "CRITICAL").sum() >= 2
    assert {
        "Stuck payments: FedNow at Meridian Trust",
        "Granite Rent: ACH unauthorized returns over Nacha's limit",
    } <= set(table.alert)
    assert set(table.status) == {"open"}
    assert at.caption[0].value.startswith("Rules last evaluated at 2026-11-20 18:00 UTC")


def test_filters_come_from_the_url(app):
    at = run_page(app, "pages/alerts.py", view="resolved", severity="warning")
    table = at.dataframe[0].value
    assert set(table.status) == {"resolved"} and set(table.severity) == {"WARNING"}


def test_an_alert_explains_itself_and_links_to_its_payments(app, db_file):
    aid = alert_id(db_file, "success_drop")
    at = run_page(app, "pages/alerts.py", view="all", alert=str(aid))
    m = metrics(at)
    assert m["Now (success rate)"].endswith("%") and m["Baseline"].endswith("%")
    assert any("decided payments" in e.value for e in at.info)
    assert any("Resolved automatically" in s.value for s in at.success)
    assert at.subheader[0].value.startswith(f"Alert {aid}: Success-rate drop")


def test_acknowledge_and_assign_are_saved(app, db_file):
    aid = alert_id(db_file, "stuck")
    at = run_page(app, "pages/alerts.py", alert=str(aid))
    next(b for b in at.button if b.label == "Acknowledge").click().run()
    assert not at.exception
    assert any(s.value == "Acknowledged." for s in at.success)
    at.text_input[0].input("maria.k")
    next(b for b in at.button if b.label == "Assign").click().run()
    assert any(s.value == "Assigned to maria.k." for s in at.success)
    db = open_db(db_file)
    row = (
        db.cursor()
        .execute("SELECT status, assignee FROM alerts WHERE alert_id = ?", [aid])
        .fetchall()[0]
    )
    db.close()
    assert row == ("acknowledged", "maria.k")


def test_a_stale_save_is_refused_with_the_other_change(app, db_file):
    aid = alert_id(db_file, "stuck")
    at = run_page(app, "pages/alerts.py", alert=str(aid))
    db = open_db(db_file)  # someone else acknowledges it meanwhile
    with db.transaction() as cur:
        v = cur.execute("SELECT version FROM alerts WHERE alert_id = ?", [aid]).fetchall()[0][0]
        actions.acknowledge(cur, aid, version=v, actor="sam.t")
    db.close()
    at.text_area[0].input("Re-sent by Meridian")
    next(b for b in at.button if b.label == "Resolve with note").click().run()
    errors = [e.value for e in at.error]
    assert any("Not saved" in e and "sam.t changed status" in e for e in errors), errors


def test_incident_page_shows_impact_timeline_and_exports(app):
    at = run_page(app, "pages/incidents.py", incident="1")
    assert at.title[0].value == "Incident 1: Lakeshore Bank RTP timeouts (DS24)"
    m = metrics(at)
    assert int(m["Payments hit"]) > 0 and m["Amount"].startswith("$")
    assert m["Time to detect"] == "1 h"
    timeline = at.dataframe[0].value
    assert {"opened", "acknowledged", "created", "resolved"} <= set(timeline.what)
    assert at.get("download_button")[0].proto.label == "Download post-mortem (.md)"


def test_incident_list_and_a_new_incident(app, db_file):
    at = run_page(app, "pages/incidents.py")
    assert at.dataframe[0].value.incident.tolist() == ["Lakeshore Bank RTP timeouts (DS24)"]
    at.text_input[0].input("Granite Rent returns")
    at.multiselect[0].select(alert_id(db_file, "nacha_unauthorized"))
    next(b for b in at.button if b.label == "Open incident").click().run()
    assert not at.exception
    db = open_db(db_file)
    n = db.cursor().execute("SELECT count(*) FROM incidents").fetchall()[0][0]
    db.close()
    assert n == 2


def test_postmortem_edit_is_saved(app, db_file):
    at = run_page(app, "pages/incidents.py", incident="1")
    area = next(t for t in at.text_area if t.label == "Root cause")
    area.input("A fraud rule queued past RTP's response window.")
    next(b for b in at.button if b.label == "Save post-mortem").click().run()
    assert any(s.value == "Post-mortem saved." for s in at.success)


def test_partner_scorecard(app):
    at = run_page(app, "pages/scorecards.py", partner="LAKESHORE", weeks="4")
    labels = [m.label for m in at.metric]
    assert labels.count("Success rate") == 2 and labels.count("p95 latency") == 2  # ACH, RTP
    assert any("Lakeshore Bank" in m.value for m in at.markdown)
    assert len(at.get("plotly_chart")) == 4


def test_partner_scorecard_of_a_network(app):
    at = run_page(app, "pages/scorecards.py", partner="VISA")
    assert [m.label for m in at.metric].count("Success rate") == 1
