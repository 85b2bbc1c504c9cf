"""The Routing page in Chromium: charts drawn, the policy re-runs the what-if, the CSV downloads."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ops_core import routing
from ops_core.db import open_db
from ops_core.routing.recommend import CSV_COLUMNS
from tests.browser.harness import running_app, wait_idle

VIEW = "/routing?start=2026-11-07&end=2026-11-20"


@pytest.fixture(scope="module")
def routing_url(demo_path, tmp_path_factory, chromium_path):
    """The real app on a demo copy whose routing rollups are built (as the loader would)."""
    db_path = tmp_path_factory.mktemp("routing_browser") / "railyard.duckdb"
    shutil.copy(demo_path, db_path)
    db = open_db(db_path)
    with db.transaction() as cur:
        routing.refresh(cur)
    db.close()
    with running_app(db_path) as url:
        yield url


def metric_value(page: Page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def moves(page: Page):
    """The what-if's table of route changes (the second dataframe on the page)."""
    return page.get_by_test_id("stDataFrame").nth(1)


def test_routing_page_draws_its_charts(page: Page, routing_url: str):
    page.goto(routing_url + VIEW)
    wait_idle(page)
    for name in ("Routing", "Routes", "Over time", "What-if", "Recommendations"):
        expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    charts = page.locator(".js-plotly-plot")
    expect(charts).to_have_count(2)  # the series per route, the fees by urgency
    expect(charts.first.locator(".scatterlayer .trace").first).to_be_attached()
    expect(charts.nth(1).locator("g.trace.bars path").first).to_be_attached()
    page.get_by_text("p95 latency", exact=True).click()  # another metric: URL and chart follow
    page.wait_for_url(re.compile(r"metric=p95"))
    wait_idle(page)
    expect(page.locator(".js-plotly-plot .gtitle").first).to_have_text("p95 latency per route")


def test_changing_the_policy_updates_the_what_if(page: Page, routing_url: str):
    page.goto(routing_url + VIEW)
    wait_idle(page)
    cheapest = metric_value(page, "Would change route").inner_text()
    expect(moves(page)).to_contain_text("ACH · MERIDIAN · next_day")
    page.get_by_text("Fastest", exact=True).click()
    page.wait_for_url(re.compile(r"policy=fastest"))
    wait_idle(page)
    expect(metric_value(page, "Would change route")).not_to_have_text(cheapest)
    expect(moves(page)).to_contain_text("RTP · LAKESHORE · instant")
    # the URL reproduces the view
    page.goto(page.url)
    wait_idle(page)
    expect(page.get_by_role("radio", name="Fastest")).to_be_checked()


def test_recommendations_download_as_csv(page: Page, routing_url: str):
    page.goto(routing_url + VIEW + "&policy=most_reliable")
    wait_idle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download recommendations (CSV)").click()
    download = info.value
    assert download.suggested_filename.startswith("routing_recommendations_most_reliable_")
    text = Path(download.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == CSV_COLUMNS
    assert {r["instrument"] for r in rows} >= {"us_bank_account", "visa_card", "eur_iban"}
    assert all(r["rule"].startswith("IF instrument = ") for r in rows)
