"""Sign-in and the signed-in user, for every page (issue 8).

Three modes, decided per process from the configuration:
- ``oidc``: ``[auth]`` is in ``.streamlit/secrets.toml``: Streamlit's ``st.login``. The users
  file (if any) gives listed identities their role; others get its ``default_role`` or, with
  no users file, ``viewer``.
- ``local``: ``$RAILYARD_USERS`` names a users file: name and password, checked against its
  salted hashes (``ops_core.access.users``).
- ``demo``: neither: everyone is the demo operator, already signed in.

The user lives in ``st.session_state["user"]`` as an ``ops_core.access.User`` (role and an
optional partner scope, which partner mode will set). Pages ask ``can(action)`` to hide what
the role cannot do and pass ``current_user()`` as ``actor=`` so ``ops_core`` refuses it too.
"""

from __future__ import annotations

import os

import streamlit as st

from ops_core import access
from ops_core.access import DEMO_USER, Role, User
from ops_core.errors import ConfigError, PermissionDenied

SESSION_KEY = "user"


def mode() -> str:
    if _oidc_configured():
        return "oidc"
    return "local" if access.users_path() else "demo"


def current_user() -> User:
    """The signed-in user (the demo operator before the gate ran, e.g. in a bare script)."""
    user = st.session_state.get(SESSION_KEY)
    if isinstance(user, User):
        return user
    if isinstance(user, str) and user.strip():  # older code stored just a name
        return User(user, Role.OPERATOR, source="demo")
    return DEMO_USER


def can(action: str) -> bool:
    """Whether the signed-in user may do ``action`` (see ops_core.access.ACTIONS)."""
    return access.can(current_user(), action)


def gate(pages: dict | None = None) -> None:
    """Called by app.py before navigation: signs the session in, or shows sign-in and stops.

    ``pages`` (app.py's PAGES) are registered, hidden, before the sign-in form: without that
    a fresh server answers a deep link (/sql?...) with "Page not found" instead of keeping it
    for after sign-in (see ui.chrome.ensure_routed).
    """
    how = mode()
    if how == "oidc":
        _oidc_gate(pages)
    elif how == "local":
        _local_gate(pages)
    elif not isinstance(st.session_state.get(SESSION_KEY), User):
        st.session_state[SESSION_KEY] = current_user()


def sidebar() -> None:
    """Who is signed in, with which role, and a sign-out button where signing out means
    something (not in the demo)."""
    user = current_user()
    scope = f", viewing as {user.partner}" if user.partner else ""
    st.caption(f"Signed in as **{user.name}** ({user.role.value}{scope})")
    if user.source == "oidc":
        st.button("Sign out", key="sign_out", on_click=st.logout)
    elif user.source == "local":
        st.button("Sign out", key="sign_out", on_click=_sign_out)


def denied(action: str) -> None:
    """Say why this page or control is not available to the signed-in user."""
    try:
        access.require(current_user(), action)
    except PermissionDenied as exc:
        st.info(str(exc), icon=":material/lock:")


def _oidc_gate(pages: dict | None) -> None:
    if not st.user.get("is_logged_in"):
        st.session_state.pop(SESSION_KEY, None)
        _sign_in_header(pages)
        st.button("Sign in", type="primary", on_click=st.login)
        st.stop()
    if isinstance(st.session_state.get(SESSION_KEY), User):
        return
    email, name = st.user.get("email"), st.user.get("name")
    directory = _directory_or_stop() if access.users_path() else None
    user = (
        directory.oidc_user(email, name)
        if directory
        else User(str(name or email), Role.VIEWER, source="oidc", email=email)
    )
    if user is None:
        _sign_in_header(pages)
        st.error(f"{email or name} has no access to Railyard. Ask an admin to add you.")
        st.button("Sign out", on_click=st.logout)
        st.stop()
    st.session_state[SESSION_KEY] = user


def _local_gate(pages: dict | None) -> None:
    if isinstance(st.session_state.get(SESSION_KEY), User):
        return
    _sign_in_header(pages)
    directory = _directory_or_stop()
    with st.columns([2, 3])[0], st.form("sign_in"):
        name = st.text_input("Name", key="sign_in_name", autocomplete="username")
        password = st.text_input(
            "Password", type="password", key="sign_in_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        user = directory.authenticate(name, password)
        if user is not None:
            st.session_state[SESSION_KEY] = user
            st.session_state.pop("sign_in_password", None)
            st.rerun()
        st.error("Wrong name or password.")
    st.stop()


def _sign_in_header(pages: dict | None) -> None:
    if pages:
        st.navigation(pages, position="hidden")
    st.title("Railyard")
    st.caption("Payment operations console. Sign in to continue.")


def _sign_out() -> None:
    st.session_state.pop(SESSION_KEY, None)


def _directory_or_stop() -> access.Directory:
    path = access.users_path()
    try:
        return _directory(str(path), _mtime(path))
    except ConfigError as exc:
        st.error(f"Sign-in is unavailable: {exc}")
        st.stop()
        raise  # st.stop() raises; this satisfies type checkers


def _mtime(path: os.PathLike[str]) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1  # load_users says what is wrong with the path


@st.cache_resource(show_spinner=False)
def _directory(path: str, mtime_ns: int) -> access.Directory:
    """The users file, read again whenever it changes on disk."""
    return access.load_users(path)


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all (StreamlitSecretNotFoundError)
        return False
