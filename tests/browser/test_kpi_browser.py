"""The Weekly KPIs page in Chromium: every export downloads, is non-empty and is what its name
says (CSV text, an XLSX zip, a PDF, a PNG), and a KPI's drill-through opens its rows."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.harness import wait_idle

EXPORTS = [
    ("CSV", "csv", b"week,section,kpi"),
    ("Excel (XLSX)", "xlsx", b"PK\x03\x04"),
    ("PDF summary", "pdf", b"%PDF-"),
    ("PNG summary", "png", b"\x89PNG\r\n\x1a\n"),
]


def open_kpis(page: Page, url: str) -> None:
    page.goto(f"{url}/kpis?week=2026-W46")
    wait_idle(page)
    dialog = page.get_by_role("dialog")  # a first deep link may flash "Page not found"
    if dialog.count():
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
    expect(page.get_by_role("heading", name="Weekly KPIs")).to_be_visible()


@pytest.mark.parametrize(("label", "ext", "magic"), EXPORTS, ids=[e[1] for e in EXPORTS])
def test_each_export_downloads(page: Page, app_url: str, tmp_path, label, ext, magic):
    open_kpis(page, app_url)
    with page.expect_download() as info:
        page.get_by_role("button", name=label, exact=True).click()
    download = info.value
    assert download.suggested_filename == f"railyard-kpis-2026-W46.{ext}"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    data = path.read_bytes()
    assert len(data) > 1000 and data.startswith(magic)
    if ext == "xlsx":
        sheets = load_workbook(io.BytesIO(data)).sheetnames
        assert sheets[-1] == "Definitions" and "Payments" in sheets


def test_drill_through_shows_the_rows_behind(page: Page, app_url: str):
    open_kpis(page, app_url)
    expect(page.get_by_test_id("stMetric").filter(has_text="Success rate").first).to_be_visible()
    page.get_by_text("Rows behind: Payments").click()
    expander = page.get_by_test_id("stExpander").filter(has_text="Rows behind: Payments")
    expect(expander.get_by_test_id("stDataFrame")).to_be_visible()
    link = expander.get_by_role("link", name="Open these days in Rail Health ↗")
    expect(link).to_have_attribute("href", "rail-health?start=2026-11-09&end=2026-11-15&grain=day")
