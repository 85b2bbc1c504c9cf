"""Browser fixtures. Outside CI they skip with a reason when Chromium is missing; with
CI=true a missing browser is a failure, not a skip."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, running_app

# Assertions wait for the page's state, never a fixed sleep; Playwright's default 5 s is
# too short for a rerun on two busy cores (a save, then the rerun that shows it).
expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path():
    if not CHROMIUM.exists():
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true requires the browser tests to run: {message}")
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def app_url(demo_path, tmp_path_factory, chromium_path):
    import shutil

    db = tmp_path_factory.mktemp("browser") / "railyard.duckdb"
    shutil.copy(demo_path, db)
    with running_app(db) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, timezone_id="America/New_York"
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()
