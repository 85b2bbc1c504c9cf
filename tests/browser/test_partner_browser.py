"""Partner screen-share mode in Chromium (issue 8): open ``/?partner=LAKESHORE``, then every
page the navigation shows; no other partner's name and no real client name anywhere in the
page text, sidebar included. (Table cells are drawn on a canvas: the AppTests in
tests/app/test_partner_mode.py check the DataFrames behind them.)"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ops_core import routing
from ops_core.db import open_db
from ops_core.demo.catalog import CLIENTS, PARTNERS
from tests.browser.harness import running_app, wait_idle

PARTNER = "LAKESHORE"
FORBIDDEN = [name for pid, name, *_ in PARTNERS if pid != PARTNER] + [c[1] for c in CLIENTS]
SHOTS = Path(os.environ.get("RAILYARD_SHOTS", "/tmp/partner_shots"))


@pytest.fixture(scope="module")
def partner_url(demo_path, tmp_path_factory, chromium_path):
    """The real app on a demo copy with the routing rollups built (as the loader would)."""
    db_path = tmp_path_factory.mktemp("partner_browser") / "railyard.duckdb"
    shutil.copy(demo_path, db_path)
    db = open_db(db_path)
    with db.transaction() as cur:
        routing.refresh(cur)
    db.close()
    with running_app(db_path) as url:
        yield url


def forbidden_in(text: str) -> list[str]:
    return [name for name in FORBIDDEN if re.search(rf"\b{re.escape(name)}\b", text)]


def test_partner_link_hides_every_other_name_on_every_page(page: Page, partner_url: str):
    page.goto(partner_url + f"/?partner={PARTNER}")
    wait_idle(page)
    expect(page.get_by_text("Partner view: Lakeshore Bank")).to_be_visible()
    nav = page.get_by_test_id("stSidebarNav").locator("a")
    titles = [nav.nth(i).inner_text().strip().splitlines()[-1] for i in range(nav.count())]
    assert "Import" not in titles and "Weekly KPIs" not in titles, titles
    assert "Overview" in titles and "Rail Health" in titles, titles
    SHOTS.mkdir(parents=True, exist_ok=True)
    seen = {}
    for i, title in enumerate(titles):
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
