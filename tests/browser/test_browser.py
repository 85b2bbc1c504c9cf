"""The real app in Chromium: pages render, charts are drawn, links and URLs keep the view."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.harness import wait_idle


def test_overview_shows_every_rail_and_the_stuck_batch(page: Page, app_url: str):
    page.goto(f"{app_url}/?day=2026-11-19")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Needs attention first")).to_be_visible()
    expect(page.get_by_text(re.compile(r"60 payments stuck in pending")).first).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_have_count(27)  # 9 rails x 3 figures
    # the browser's zone (set by the test) is the default display zone
    sidebar = page.get_by_test_id("stSidebarUserContent")
    expect(sidebar.get_by_text("Data as of 2026-11-20 13:30 EST")).to_be_visible()


def test_rail_health_link_from_a_tile_keeps_its_filters(page: Page, app_url: str):
    page.goto(f"{app_url}/?day=2026-11-19")
    wait_idle(page)
    page.get_by_role("link", name="Open in Rail Health").first.click()
    page.wait_for_url(re.compile(r"/rail-health\?.*rails=FEDNOW"))
    wait_idle(page)
    expect(page.get_by_role("heading", name="Rail Health")).to_be_visible()


def test_rail_health_draws_charts_with_anomaly_markers(page: Page, app_url: str):
    page.goto(f"{app_url}/rail-health?rails=RTP&start=2026-11-14&end=2026-11-20&grain=hour")
    wait_idle(page)
    charts = page.locator(".js-plotly-plot")
    expect(charts).to_have_count(2)
    # plotly drew the series: bars, lines and the red anomaly markers
    expect(charts.first.locator("g.trace.bars path").first).to_be_attached()
    expect(page.locator(".js-plotly-plot .scatterlayer .points path").first).to_be_attached()
    expect(page.get_by_text("success anomaly").first).to_be_visible()


def test_a_copied_link_reopens_the_same_view(page: Page, app_url: str):
    page.goto(f"{app_url}/rail-health?rails=ACH&start=2026-10-01&end=2026-11-20")
    wait_idle(page)
    page.get_by_text("hour", exact=True).click()  # change the grain: the URL follows
    page.wait_for_url(re.compile(r"grain=hour"))
    wait_idle(page)
    copied = page.url
    page.goto("about:blank")
    page.goto(copied)
    wait_idle(page)
    expect(page.get_by_role("radio", name="hour")).to_be_checked()
    rails = page.get_by_test_id("stMultiSelect").first
    expect(rails).to_contain_text("ACH (Nacha)")
