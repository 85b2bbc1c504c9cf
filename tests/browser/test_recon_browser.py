"""The break detail page in Chromium: edit a note, reload, and see the note and its audit
entry (who, field, old, new); the page is reproducible from its URL."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ops_core.db import Database
from tests.browser.harness import running_app, wait_idle
from tests.recon.demo_db import prepare


@pytest.fixture(scope="module")
def recon_app(demo_path, tmp_path_factory, chromium_path):
    """The app on a reconciled demo copy, and the id of its fee-variance break."""
    path = prepare(demo_path, tmp_path_factory.mktemp("recon_browser"))
    db = Database(path, read_only=True)
    try:
        (break_id,) = (
            db.cursor()
            .execute("SELECT min(break_id) FROM recon_breaks WHERE category = 'fee_variance'")
            .fetchone()
        )
    finally:
        db.close()
    with running_app(path) as url:
        yield url, break_id


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    dialog = page.get_by_role("dialog")  # a first deep link may flash "Page not found"
    if dialog.count():
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)


def test_edit_a_note_reload_and_see_it_with_its_audit_entry(page: Page, recon_app):
    url, break_id = recon_app
    open_page(page, f"{url}/break?break={break_id}")
    expect(page.get_by_role("heading", name=f"Break {break_id}: Fee variance")).to_be_visible()
    expect(page.get_by_text("a fee of 2.50 USD netted from it")).to_be_visible()

    note = f"Browser check {break_id}: Lakeshore confirmed the new per-item fee"
    page.get_by_label("Edit notes").fill(note)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    wait_idle(page)

    page.reload()
    wait_idle(page)
    expect(page.get_by_role("heading", name=f"Break {break_id}: Fee variance")).to_be_visible()
    expect(page.get_by_test_id("stText").filter(has_text=note)).to_be_visible()
    trail = page.get_by_test_id("stExpander").filter(has_text="Audit trail")
    row = trail.locator("tr").filter(has_text=note)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("demo operator")
    expect(row).to_contain_text("notes")
