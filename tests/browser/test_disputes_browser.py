"""The dispute pages in Chromium: from the calendar to a case, an edit that survives a
reload with its audit entry, and the .ics download parsed back."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import Page, expect

from ops_core.db import open_db
from ops_core.disputes.demo import seed_disputes
from tests.browser.harness import running_app, wait_idle
from tests.conftest import AS_OF


@pytest.fixture(scope="module")
def disputes_url(demo_path, tmp_path_factory, chromium_path):
    """The app on a demo copy with the demo's disputes seeded (the demo build may not yet)."""
    db_path = tmp_path_factory.mktemp("disputes_browser") / "railyard.duckdb"
    shutil.copy(demo_path, db_path)
    db = open_db(db_path)
    with db.transaction() as cur:
        seed_disputes(cur, AS_OF, 7)
    db.close()
    with running_app(db_path) as url:
        yield url


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    # a fresh session's first deep link can flash Streamlit's "Page not found" dialog before
    # app.py's router takes over (ui.chrome.ensure_routed); it only hides the page
    dialog = page.get_by_role("dialog")
    if dialog.count():
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)


def test_calendar_to_case_edit_reload_and_audit(page: Page, disputes_url: str):
    open_page(page, f"{disputes_url}/disputes-calendar")
    expect(page.get_by_role("heading", name="Dispute calendar")).to_be_visible()
    expect(page.get_by_role("heading", name="Overdue and due within 3 days")).to_be_visible()
    # each deadline of ours shows the team's, the processor's and the network's dates
    expect(page.get_by_text(re.compile(r"^processor \w{3} \d{2} \w{3}$")).first).to_be_visible()
    # the first case link on the page is the top of the overdue / due-soon list
    page.locator("a[data-testid='stPageLink-NavLink'][href*='case=']").first.click()
    page.wait_for_url(re.compile(r"/dispute\?case=\d+"))
    wait_idle(page)
    case_id = re.search(r"case=(\d+)", page.url).group(1)
    expect(page.get_by_role("heading", name=re.compile(rf"^Case {case_id}:"))).to_be_visible()

    note = f"Browser note for case {case_id}"
    page.get_by_label("Add a note").fill(note)
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Note added.")).to_be_visible()
    wait_idle(page)

    status = page.get_by_test_id("stForm").filter(has_text="Change status")
    box = status.get_by_role("combobox")
    box.click()  # opens the list of the statuses allowed from here
    listbox = page.get_by_role("listbox")
    if not listbox.is_visible():
        box.press("ArrowDown")
    listbox.get_by_role("option", name="Waiting on counterparty").click()
    expect(status.get_by_role("combobox")).to_have_value("Waiting on counterparty")
    status.get_by_role("button", name="Change status").click()
    expect(page.get_by_text("Status changed to Waiting on counterparty.")).to_be_visible()

    page.reload()
    wait_idle(page)
    expect(page.get_by_text(note).first).to_be_visible()
    expect(page.get_by_text("Waiting on counterparty").first).to_be_visible()
    trail = page.get_by_test_id("stExpander").filter(has_text="Audit trail")
    expect(trail).to_contain_text("demo operator")
    expect(trail.get_by_test_id("stDataFrame")).to_be_visible()


def test_ics_download_parses_back(page: Page, disputes_url: str):
    open_page(page, f"{disputes_url}/disputes-calendar")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download deadlines (.ics)").click()
    download = info.value
    assert download.suggested_filename == "railyard-dispute-deadlines.ics"
    cal = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())
    events = cal.walk("VEVENT")
    assert len(events) >= 30
    summaries = [str(e["SUMMARY"]) for e in events]
    assert any(" visa " in s for s in summaries) and any(" nacha " in s for s in summaries)
    assert all(e.decoded("DTSTART") < e.decoded("DTEND") for e in events)
    described = [str(e["DESCRIPTION"]) for e in events]
    assert any("processor due" in d and "network due" in d for d in described)
