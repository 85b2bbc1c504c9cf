"""The reconciliation pages render on the reconciled demo and show its injected differences;
the detail page saves an edit and refuses a stale one; the queue's bulk action asks first."""

from __future__ import annotations

import os
import shutil

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from ops_core.db import Database
from tests.app.conftest import run_page
from tests.recon.demo_db import prepare
from ui import testing


@pytest.fixture(scope="module")
def reconciled(demo_path, tmp_path_factory):
    return prepare(demo_path, tmp_path_factory.mktemp("recon_pages"))


@pytest.fixture
def app(reconciled, tmp_path, monkeypatch):
    target = tmp_path / "railyard.duckdb"
    shutil.copy(reconciled, target)
    monkeypatch.setenv("RAILYARD_DB", str(target))
    at = testing.new_app(tz="UTC")
    yield at
    st.cache_resource.clear()
    PagesManager.uses_pages_directory = None


def break_id(category: str) -> int:
    return one("SELECT min(break_id) FROM recon_breaks WHERE category = ?", category)


def one(query: str, *params):
    """A value from the app's database (same process: DuckDB shares the open instance)."""
    db = Database(os.environ["RAILYARD_DB"])
    try:
        return db.cursor().execute(query, list(params)).fetchone()[0]
    finally:
        db.close()


def test_reconciliation_summary(app):
    run_page(app, "pages/reconciliation.py", start="2026-11-13", end="2026-11-20")
    assert app.title[0].value == "Reconciliation"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Open breaks"] != "0" and metrics["Match rate"].endswith("%")
    rate = float(metrics["Match rate"].rstrip("%"))
    assert 95 < rate < 100
    headers = [h.value for h in app.subheader]
    assert {"Match rate", "Open breaks by category and age", "Balance tie-out"} <= set(headers)
    assert app.caption[0].value.startswith("Last run")


def test_break_queue_filters_and_my_queue(app):
    run_page(app, "pages/break_queue.py")
    assert app.title[0].value == "Break queue"
    everything = app.caption[0].value
    run_page(app, "pages/break_queue.py", mine="1")
    mine = app.caption[0].value
    assert int(mine.split()[0]) < int(everything.split()[0].replace(",", ""))
    run_page(app, "pages/break_queue.py", category="fee_variance", status="open,investigating")
    assert app.caption[0].value.startswith("1 breaks")


def test_bulk_resolve_asks_first_and_reports_a_conflicting_row(app):
    from ops_core.recon import breaks

    ids = [break_id("missing_at_bank"), break_id("fee_variance")]
    seen = {bid: one("SELECT version FROM recon_breaks WHERE break_id = ?", bid) for bid in ids}
    db = Database(os.environ["RAILYARD_DB"])  # someone edits the second one meanwhile
    try:
        breaks.edit(db, ids[1], expected_version=seen[ids[1]], actor="Priya Raman", notes="mine")
    finally:
        db.close()
    run_page(app, "pages/break_queue.py")
    app.session_state["_recon_pending"] = (
        "resolve",
        seen,
        {"status": "resolved", "resolution_category": "timing_difference"},
    )
    app.run()
    assert "Resolve 2 breaks as “Timing difference: settled later”?" in app.warning[0].value
    app.button(key="bulk_confirm").click().run()
    message = app.error[0].value
    assert "1 saved" in message and f"break {ids[1]} NOT saved" in message
    assert "Priya Raman changed notes" in message
    statuses = [one("SELECT status FROM recon_breaks WHERE break_id = ?", b) for b in ids]
    assert statuses[0] == "resolved" and statuses[1] != "resolved"


def test_break_detail_shows_both_sides_and_saves(app):
    bid = break_id("fee_variance")
    run_page(app, "pages/break_detail.py", **{"break": str(bid)})
    assert app.title[0].value == f"Break {bid}: Fee variance"
    assert "a fee of 2.50 USD netted" in app.info[0].value
    assert {"What differs", "Ledger", "Bank, network or chain", "Timeline"} <= {
        h.value for h in app.subheader
    }
    app.text_area(key="break_notes").set_value("Booked the fee, see JE-1042")
    app.button(key="FormSubmitter:edit_break-Save").click().run()
    assert not app.exception
    assert app.success[0].value == "Saved."
    assert any("Booked the fee, see JE-1042" in t.value for t in app.text)


def test_break_detail_refuses_a_stale_save(app):
    from ops_core.recon import breaks

    bid = break_id("missing_at_bank")
    run_page(app, "pages/break_detail.py", **{"break": str(bid)})
    version = one("SELECT version FROM recon_breaks WHERE break_id = ?", bid)
    db = Database(os.environ["RAILYARD_DB"])  # someone else saves first
    try:
        breaks.edit(
            db,
            bid,
            expected_version=version,
            actor="Priya Raman",
            notes="Chasing the chain explorer",
        )
    finally:
        db.close()
    app.text_area(key="break_notes").set_value("my own note")
    app.button(key="FormSubmitter:edit_break-Save").click().run()
    errors = [e.value for e in app.error]
    assert errors and "Priya Raman changed notes" in errors[0]


def test_break_detail_without_an_id_lists_breaks(app):
    run_page(app, "pages/break_detail.py", **{"break": "999999"})
    assert app.error[0].value == "There is no break 999999."


@pytest.mark.parametrize(
    ("rate", "floor"), [(0.8411, 68.22), (0.9968, 97.68), (1.0, 98.0), (0.3, 0.0)]
)
def test_the_lowest_match_rate_bar_fills_half_the_plot(rate, floor):
    from ui.recon import rate_axis_floor

    low = rate_axis_floor(rate)
    assert low == pytest.approx(floor)
    assert rate * 100 - low >= (100 - low) / 2 - 1e-9 or low == 0.0
