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
