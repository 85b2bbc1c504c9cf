"""OIDC sign-in end to end (issue 8): with ``[auth]`` in the secrets, the app asks to sign in,
Streamlit's ``st.login`` runs the authorization-code flow against a real (local) OpenID
provider, and the identity it vouches for gets its role from the users file: an operator
works normally, a partner's viewer lands in that partner's view, an unlisted identity is
refused when the file has no default role. Then sign-out ends the session."""

from __future__ import annotations

import shutil
import time

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.harness import free_port, running_app, wait_idle
from tests.browser.oidc_provider import running_provider

USERS = """
[users."dana@bank.example"]
role = "operator"

[users."pat@lakeshore.example"]
role = "viewer"
partner = "LAKESHORE"
"""


@pytest.fixture(scope="module")
def oidc_app(demo_path, tmp_path_factory, chromium_path):
    root = tmp_path_factory.mktemp("oidc")
    db = root / "railyard.duckdb"
    shutil.copy(demo_path, db)
    (root / "users.toml").write_text(USERS)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running_provider() as provider:
        (root / "secrets.toml").write_text(
            "[auth]\n"
            f'redirect_uri = "{url}/oauth2callback"\n'
            'cookie_secret = "a-test-cookie-secret-of-enough-length"\n'
            f'client_id = "{provider.client_id}"\n'
            f'client_secret = "{provider.client_secret}"\n'
            f'server_metadata_url = "{provider.url}/.well-known/openid-configuration"\n'
        )
        with running_app(
            db,
            port=port,
            args=["--secrets.files", str(root / "secrets.toml")],
            env={"RAILYARD_USERS": str(root / "users.toml")},
        ):
            yield url, provider


@pytest.fixture
def fresh(browser: Browser):
    """A page in its own browser context: no auth cookie from an earlier test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def sign_in(page: Page, url: str, provider, email: str, name: str) -> None:
    provider.identity = {"email": email, "name": name}
    page.goto(url + "/")
    wait_idle(page)
    expect(page.get_by_text("Sign in to continue")).to_be_visible()
    issued = provider.tokens_issued
    page.get_by_role("button", name="Sign in").click()
    # the app exchanges the provider's code for a token, then sends the browser back home
    deadline = time.monotonic() + 30
    while provider.tokens_issued == issued and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert provider.tokens_issued == issued + 1, "the app never exchanged a code"
    page.wait_for_url(lambda u: "oauth2callback" not in u and u.startswith(url))
    wait_idle(page)


def test_listed_operator_signs_in_with_their_role_and_signs_out(fresh: Page, oidc_app):
    url, provider = oidc_app
    sign_in(fresh, url, provider, "dana@bank.example", "Dana Ortiz")
    sidebar = fresh.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("dana@bank.example")).to_be_visible()
    expect(sidebar.get_by_text("(operator)")).to_be_visible()
    expect(fresh.get_by_role("heading", name="Overview")).to_be_visible()
    sidebar.get_by_role("button", name="Sign out").click()
    wait_idle(fresh)
    expect(fresh.get_by_text("Sign in to continue")).to_be_visible()


def test_partner_viewer_lands_in_their_partner_view(fresh: Page, oidc_app):
    url, provider = oidc_app
    sign_in(fresh, url, provider, "pat@lakeshore.example", "Pat Quinn")
    expect(fresh.get_by_text("Partner view: Lakeshore Bank")).to_be_visible()
    expect(fresh.get_by_test_id("stSidebar").get_by_text("viewing as LAKESHORE")).to_be_visible()


def test_unlisted_identity_is_refused_without_a_default_role(fresh: Page, oidc_app):
    url, provider = oidc_app
    sign_in(fresh, url, provider, "sam@elsewhere.example", "Sam")
    expect(fresh.get_by_text("sam@elsewhere.example has no access to Railyard")).to_be_visible()
    expect(fresh.get_by_test_id("stSidebarNav")).to_have_count(0)
