"""The Import page in Chromium: upload a NACHA file, see it load, upload it again and see
that the second load is a no-op."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import SAMPLES

# A sample no other test loads into the shared browser database.
SAMPLE = SAMPLES / "ach/moov-io_ach/test/testdata/web-debit.ach"


def wait_idle(page: Page) -> None:
    page.wait_for_selector("[data-testid='stApp']")
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)


def upload_and_load(page: Page) -> None:
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(SAMPLE))
    button = page.get_by_role("button", name="Load 1 file")
    expect(button).to_be_visible()
    fmt = page.get_by_role("combobox", name=f"Format of {SAMPLE.name}")
    expect(fmt).to_have_value("auto-detect")
    button.click()
    wait_idle(page)


@pytest.mark.skipif(not SAMPLE.exists(), reason="../shared/samples is not present")
def test_upload_loads_the_file_then_a_second_upload_is_a_no_op(page: Page, app_url: str):
    # Through the router first: a fresh server's first request must not be a deep link
    # (see ui.chrome.ensure_routed), or Streamlit opens a modal "Page not found".
    page.goto(app_url)
    wait_idle(page)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    page.goto(f"{app_url}/import")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Import", exact=True)).to_be_visible()

    upload_and_load(page)
    expect(page.get_by_text(re.compile(r"web-debit\.ach loaded: 6 rows as nacha"))).to_be_visible()
    history = page.get_by_test_id("stDataFrame").last
    expect(history).to_be_visible()

    page.reload()  # a new session: the uploader and the results start empty
    wait_idle(page)
    upload_and_load(page)
    expect(page.get_by_text(re.compile(r"web-debit\.ach is already loaded"))).to_be_visible()


def test_a_ledger_upload_loads_and_its_rollups_catch_up(page: Page, app_url: str, tmp_path):
    """A ledger export: the load, then the batch's rollup catch-up (ops_core.derived) on the
    same click; the page reports the file and no error."""
    ledger = tmp_path / "ledger-extra.csv"
    header = "payment_id,client_id,rail_id,partner_id,direction,dc,amount,currency,"
    header += "created_at,final_at,status"
    rows = [
        f"{9_100_000_001 + n},acme,RTP,lakeshore,push,credit,5.00,USD,"
        f"2026-11-20T10:0{n}:00Z,2026-11-20T10:0{n}:02Z,completed"
        for n in range(3)
    ]
    ledger.write_text("\n".join([header, *rows]) + "\n")
    page.goto(app_url)
    wait_idle(page)
    page.goto(f"{app_url}/import")
    wait_idle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(ledger))
    page.get_by_role("button", name="Load 1 file").click()
    wait_idle(page)
    expect(
        page.get_by_text(re.compile(r"ledger-extra\.csv loaded: 3 rows as ledger_csv"))
    ).to_be_visible()
    expect(page.get_by_text("Done: 1 of 1 files")).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
