"""Sign-in in the running app: the demo starts signed in; a users file asks for a password."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from ops_core.access import Role, User
from ui import testing


def sign_in(at, name: str, password: str):
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(password)
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_local_users_must_sign_in_before_any_page(local_app):
    at = local_app.run()
    assert at.title[0].value == "Railyard"
    assert at.get("form_submit_button") and not at.sidebar.selectbox  # no page, no sidebar
    sign_in(at, "ada", "wrong")
    assert at.error[0].value == "Wrong name or password."
    sign_in(at, "ada", "ada-pass")
    user = at.session_state["user"]
    assert (user.name, user.role, user.source) == ("ada", Role.ADMIN, "local")
    assert "sign_in_password" not in at.session_state  # the password is not kept
    assert any("Signed in as **ada** (admin)" in c.value for c in at.sidebar.caption)
    assert at.sidebar.button(key="sign_out")


def test_signing_out_asks_again(local_app):
    at = sign_in(local_app.run(), "vic", "vic-pass")
    at.sidebar.button(key="sign_out").click()
    at.run()
    assert "user" not in at.session_state and at.get("form_submit_button")


def test_a_bad_users_file_locks_sign_in_with_its_line(local_app, users_file):
    users_file.write_text('[users.ada]\nrole = "boss"\n')
    at = local_app.run()
    assert "Sign-in is unavailable" in at.error[0].value
    assert f"{users_file}, line 2" in at.error[0].value


@pytest.fixture
def demo_app(demo_copy, monkeypatch):
    monkeypatch.setenv("RAILYARD_DB", str(demo_copy))
    monkeypatch.delenv("RAILYARD_USERS", raising=False)
    at = testing.new_app(tz="UTC")
    yield at
    st.cache_resource.clear()
    PagesManager.uses_pages_directory = None


def test_the_demo_starts_signed_in_as_the_demo_operator(demo_app):
    at = demo_app.run()
    assert not at.exception
    assert at.session_state["user"] == User("demo operator", Role.OPERATOR, source="demo")
    assert any("Signed in as **demo operator** (operator)" in c.value for c in at.sidebar.caption)
    assert not at.sidebar.button  # nothing to sign out of
