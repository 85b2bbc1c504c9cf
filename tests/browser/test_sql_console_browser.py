"""The SQL console in Chromium: type a query, run it, see the rows, download them as CSV."""

from __future__ import annotations

import csv
import io
import re

from playwright.sync_api import Page, expect

from tests.browser.harness import wait_idle

QUERY = "SELECT rail_id, count(*) AS attempts FROM payments GROUP BY ALL ORDER BY rail_id"


def open_console(page: Page, app_url: str) -> None:
    # Through the router first: a fresh server's first request must not be a deep link
    # (see ui.chrome.ensure_routed).
    page.goto(app_url)
    wait_idle(page)
    page.goto(f"{app_url}/sql")
    wait_idle(page)
    expect(page.get_by_role("heading", name="SQL console")).to_be_visible()


def run(page: Page, text: str) -> None:
    editor = page.get_by_label("SQL", exact=True)
    editor.fill(text)
    editor.press("Control+Enter")  # commit the text before pressing Run
    wait_idle(page)
    page.get_by_role("button", name="Run").click()
    wait_idle(page)


def test_a_query_runs_and_its_rows_download_as_csv(page: Page, app_url: str):
    open_console(page, app_url)
    expect(page.get_by_label(re.compile(r"Tables \(\d+\)"))).to_have_value("payments")
    run(page, QUERY)
    expect(page.get_by_text(re.compile(r"^9 rows in"))).to_be_visible()
    expect(page.get_by_test_id("stDataFrame")).to_have_count(2)  # the schema and the result
    assert "sql=" in page.url  # the link reopens the query

    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename == "railyard-query.csv"
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    assert [r["rail_id"] for r in rows][:3] == ["ACH", "FEDNOW", "MC_MOVE"]
    assert len(rows) == 9 and sum(int(r["attempts"]) for r in rows) > 600_000


def test_a_file_read_is_refused_in_the_browser(page: Page, app_url: str):
    open_console(page, app_url)
    run(page, "SELECT * FROM read_text('/etc/passwd')")
    refusal = re.compile(r"The table function read_text\(\) is not allowed")
    expect(page.get_by_text(refusal)).to_be_visible()
    expect(page.get_by_text("root:")).to_have_count(0)
