"""The alert pages in Chromium: acknowledge an alert and see it persist after a reload (with
its audit entry), and download an incident's post-mortem as Markdown."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ops_core.alerts.demo import seed_alerts
from ops_core.db import open_db
from tests.browser.harness import running_app, wait_idle
from tests.conftest import AS_OF


@pytest.fixture(scope="module")
def alerts_app(demo_path, tmp_path_factory, chromium_path):
    """The app on a demo copy with the demo's alerts replayed; yields (url, stuck alert id)."""
    db_path = tmp_path_factory.mktemp("alerts_browser") / "railyard.duckdb"
    shutil.copy(demo_path, db_path)
    db = open_db(db_path)
    with db.transaction() as cur:
        seed_alerts(cur, AS_OF)
    stuck = (
        db.cursor()
        .execute("SELECT alert_id FROM alerts WHERE rule_id = 'stuck' AND status = 'open'")
        .fetchall()[0][0]
    )
    db.close()
    with running_app(db_path) as url:
        yield url, stuck


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    dialog = page.get_by_role("dialog")  # a fresh session's first deep link (ensure_routed)
    if dialog.count():
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)


def test_acknowledge_persists_after_reload(page: Page, alerts_app):
    url, aid = alerts_app
    open_page(page, f"{url}/alerts?alert={aid}")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name=f"Alert {aid}: Stuck payments")).to_be_visible()
    expect(main.get_by_text("open", exact=True).filter(visible=True).first).to_be_visible()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Acknowledged.")).to_be_visible()
    wait_idle(page)

    page.reload()
    wait_idle(page)
    expect(main.get_by_role("heading", name=f"Alert {aid}: Stuck payments")).to_be_visible()
    expect(main.get_by_text("acknowledged", exact=True).filter(visible=True).first).to_be_visible()
    expect(page.get_by_role("button", name="Acknowledge")).to_be_disabled()
    timeline = main.get_by_test_id("stDataFrame").nth(1)  # the inbox, then the timeline
    expect(timeline).to_be_visible()
    main.get_by_text("Audit trail (every saved field)").click()
    trail = page.get_by_test_id("stExpander").filter(has_text="Audit trail")
    expect(trail.get_by_test_id("stDataFrame")).to_be_visible()
    metric = page.get_by_test_id("stMetric").filter(has_text="Acknowledged")
    expect(metric).to_contain_text("1")


def test_postmortem_download(page: Page, alerts_app):
    url, _ = alerts_app
    open_page(page, f"{url}/incidents?incident=1")
    expect(
        page.get_by_role("heading", name="Incident 1: Lakeshore Bank RTP timeouts")
    ).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download post-mortem (.md)").click()
    download = info.value
    assert download.suggested_filename == "railyard-incident-1-postmortem.md"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("# Incident 1: Lakeshore Bank RTP timeouts (DS24)")
    assert "## Root cause" in text and "Lakeshore Bank" in text
