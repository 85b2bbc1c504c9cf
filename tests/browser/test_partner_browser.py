"""Partner screen-share mode in Chromium (issue 8): open ``/?partner=LAKESHORE``, then every
page the navigation shows; no other partner's name and no real client name anywhere in the
page text, sidebar included, also on the pages that filter in ops_core (reconciliation, break
detail, alerts, incidents, weekly KPIs). (Table cells are drawn on a canvas: the AppTests in
tests/app/test_partner_mode.py check the DataFrames behind them.)"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ops_core import routing
from ops_core.alerts.demo import seed_alerts
from ops_core.db import Database, open_db
from ops_core.demo.catalog import CLIENTS, PARTNERS
from tests.browser.harness import running_app, wait_idle
from tests.conftest import AS_OF

PARTNER = "LAKESHORE"
FORBIDDEN = [name for pid, name, *_ in PARTNERS if pid != PARTNER] + [c[1] for c in CLIENTS]
SHOTS = Path(os.environ.get("RAILYARD_SHOTS", "/tmp/partner_shots"))


@pytest.fixture(scope="module")
def partner_db(demo_path, tmp_path_factory, chromium_path) -> Path:
    """A demo copy with the routing rollups built and the alerts replayed (as the demo build
    does), so the alert, incident and scorecard pages have something to hide."""
    db_path = tmp_path_factory.mktemp("partner_browser") / "railyard.duckdb"
    shutil.copy(demo_path, db_path)
    db = open_db(db_path)
    with db.transaction() as cur:
        routing.refresh(cur)
        seed_alerts(cur, AS_OF)
    db.close()
    return db_path


@pytest.fixture(scope="module")
def break_ids(partner_db) -> tuple[int, int]:
    """A break of the partner's and one of another partner's (read before the app starts:
    the server holds the file)."""
    db = Database(partner_db, read_only=True)
    try:
        q = "SELECT min(break_id) FROM recon_breaks WHERE partner_id {} ?"
        cur = db.cursor()
        return tuple(cur.execute(q.format(op), [PARTNER]).fetchone()[0] for op in ("=", "<>"))
    finally:
        db.close()


@pytest.fixture(scope="module")
def partner_url(partner_db, break_ids):
    with running_app(partner_db) as url:
        yield url


def expand_nav(page: Page) -> None:
    """The sidebar lists ten pages, then "View N more": show them all."""
    more = page.get_by_test_id("stSidebarNavViewButton")
    if more.count() and "more" in more.inner_text():
        more.click()


def forbidden_in(text: str) -> list[str]:
    return [name for name in FORBIDDEN if re.search(rf"\b{re.escape(name)}\b", text)]


def test_partner_link_hides_every_other_name_on_every_page(page: Page, partner_url: str):
    page.goto(partner_url + f"/?partner={PARTNER}")
    wait_idle(page)
    expect(page.get_by_text("Partner view: Lakeshore Bank")).to_be_visible()
    expand_nav(page)
    nav = page.get_by_test_id("stSidebarNav").locator("a")
    titles = [nav.nth(i).inner_text().strip().splitlines()[-1] for i in range(nav.count())]
    assert "Import" not in titles, titles  # it writes
    for shown in ("Overview", "Rail Health", "Weekly KPIs", "Alerts", "Incidents"):
        assert shown in titles, titles
    for shown in ("Reconciliation", "Break queue", "Break detail", "Dispute analytics"):
        assert shown in titles, titles
    SHOTS.mkdir(parents=True, exist_ok=True)
    seen = {}
    for i, title in enumerate(titles):
        expand_nav(page)
        page.get_by_test_id("stSidebarNav").locator("a").nth(i).click()
        wait_idle(page)
        expect(page.get_by_text("Partner view: Lakeshore Bank")).to_be_visible()
        text = page.inner_text("body")
        seen[title] = forbidden_in(text)
        page.screenshot(path=str(SHOTS / f"{i:02d}_{title.replace(' ', '_')}.png"), full_page=True)
    assert not any(seen.values()), seen


def test_rail_health_payments_in_partner_view(page: Page, partner_url: str):
    page.goto(
        partner_url + f"/rail-health?partner={PARTNER}&start=2026-11-20&end=2026-11-20&payments=1"
    )
    wait_idle(page)
    expect(page.get_by_text("Partner view: Lakeshore Bank")).to_be_visible()
    expect(page.get_by_role("heading", name="Payments", exact=True)).to_be_visible()
    expect(page.get_by_text("Newest")).to_be_visible()  # the payments table's caption
    wait_idle(page)
    assert not forbidden_in(page.inner_text("body"))
    page.screenshot(path=str(SHOTS / "rail_health_payments.png"), full_page=True)


def test_a_scorecard_link_stays_in_the_full_view(page: Page, partner_url: str):
    """/scorecards?partner=ID picks the scorecard shown; it is not a partner view."""
    page.goto(partner_url + "/scorecards?partner=MERIDIAN")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Meridian Trust")).to_be_visible()
    expect(page.get_by_text("Partner view:")).to_have_count(0)
    expect(page.get_by_text("Screen-share as partner…")).to_be_visible()


def test_a_case_link_keeps_the_partner_view(page: Page, partner_url: str):
    page.goto(partner_url + f"/dispute?partner={PARTNER}")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Open cases")).to_be_visible()
    page.goto(partner_url + f"/dispute?case=5&partner_view={PARTNER}")  # what its links open
    wait_idle(page)
    expect(page.get_by_text("Partner view: Lakeshore Bank")).to_be_visible()
    assert not forbidden_in(page.inner_text("body"))


def visit(page: Page, url: str, name: str) -> str:
    page.goto(url)
    wait_idle(page)
    expect(page.get_by_text("Partner view: Lakeshore Bank")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    return page.inner_text("body")


def test_break_detail_incident_and_kpis_in_partner_view(
    page: Page, partner_url: str, break_ids: tuple[int, int]
):
    mine, other = break_ids
    view = f"partner_view={PARTNER}"
    text = visit(page, f"{partner_url}/break?break={mine}&{view}", "break_own")
    expect(page.get_by_role("heading", name=re.compile(rf"^Break {mine}:"))).to_be_visible()
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    assert not forbidden_in(text)
    text = visit(page, f"{partner_url}/break?break={other}&{view}", "break_foreign")
    expect(page.get_by_text(f"Break {other} not found in this view.")).to_be_visible()
    assert not forbidden_in(text)
    text = visit(page, f"{partner_url}/incidents?incident=1&{view}", "incident")
    expect(page.get_by_role("heading", name=re.compile("^Incident 1:")).first).to_be_visible()
    assert not forbidden_in(text)  # its summary names Meridian Trust in the full view
    text = visit(page, f"{partner_url}/kpis?week=2026-W46&{view}", "kpis")
    expect(page.get_by_role("heading", name="Payments", exact=True)).to_be_visible()
    assert not forbidden_in(text)
    assert "Database:" not in text
