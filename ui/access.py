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
UNSCOPED_KEY = "_railyard_unscoped_user"  # who the session was before partner screen-share
PARTNER_PARAM = "partner"  # ?partner=LAKESHORE opens the partner view (except on scorecards)
VIEW_PARAM = "partner_view"  # kept in a scoped session's URL: a reload or a link stays scoped
SCORECARDS = "scorecards"  # url_path of Partner scorecards: its ?partner= picks the partner shown
PICKER_KEY = "_partner_picker"
LINK_CHECKED = "_partner_link_checked"

# Pages not filtered to one partner: hidden from a partner-scoped session (by url_path).
# Every other page filters and masks in ops_core (``partner=``); Import writes. The SQL
# console stays listed: it says itself that it is closed in a partner view.
HIDDEN_FOR_PARTNERS = frozenset({"import"})


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


def partner_scope() -> str | None:
    """The partner this session's view is scoped to (None: the full view). Data-layer calls
    take it (``partner=``) and filter by partner_id and mask (ops_core.access.masking)."""
    return current_user().partner


def can_leave_partner_view() -> bool:
    """Whether the scope was chosen here (by an operator or admin) rather than by the login."""
    return isinstance(st.session_state.get(UNSCOPED_KEY), User)


def enter_partner_view(partner: str) -> None:
    user = current_user()
    if user.partner is not None:  # a partner-scoped login (or already scoped) never switches
        return
    st.session_state[UNSCOPED_KEY] = user
    st.session_state[SESSION_KEY] = user.scoped_to(partner)
    st.query_params[VIEW_PARAM] = partner


def leave_partner_view() -> None:
    base = st.session_state.pop(UNSCOPED_KEY, None)
    if isinstance(base, User):
        st.session_state[SESSION_KEY] = base
    st.session_state.pop(PICKER_KEY, None)
    for key in (VIEW_PARAM, PARTNER_PARAM):  # so that a reload stays in the full view
        if key in st.query_params:
            del st.query_params[key]


def partner_names() -> dict[str, str]:
    """partner_id -> name, from table partners."""
    from ui import data  # here, not at the top: ui.data opens the database

    ref = data.reference(data.version())["partners"]
    return dict(zip(ref.partner_id, ref.name, strict=True))


def partner_link(partner: str | None = None) -> str:
    """The query-string tail that keeps a link (opened in a new tab: a new session) in the
    current partner view: ``&partner_view=ID``, or "" in the full view."""
    partner = partner or partner_scope()
    return f"&{VIEW_PARAM}={partner}" if partner else ""


def apply_partner_link(page=None) -> None:
    """Called by app.py after sign-in with the page about to run. A link opened with
    ``?partner=ID`` (or ``?partner_view=ID``) scopes the new session to that partner; a
    scoped session keeps ``partner_view`` in the URL so a reload stays scoped.

    Only a session's first run reads the link, and on Partner scorecards ``?partner=`` only
    picks the partner shown (that page writes it): an operator's scorecard link or reload
    stays in the full view.
    """
    user = current_user()
    if user.partner is not None:
        if st.query_params.get(VIEW_PARAM) != user.partner:
            st.query_params[VIEW_PARAM] = user.partner
        return
    if st.session_state.get(LINK_CHECKED):
        return
    st.session_state[LINK_CHECKED] = True
    key = VIEW_PARAM if VIEW_PARAM in st.query_params else PARTNER_PARAM
    if key == PARTNER_PARAM and getattr(page, "url_path", None) == SCORECARDS:
        return
    wanted = st.query_params.get(key)
    if not wanted:
        return
    if wanted in partner_names():
        enter_partner_view(wanted)
        st.rerun()  # the navigation shrinks to the pages a partner view shows
    del st.query_params[key]
    st.toast(f"Unknown partner {wanted!r}: showing the full view.", icon=":material/error:")


def visible_pages(pages: dict, user: User | None = None) -> dict:
    """app.py's PAGES without what a partner-scoped user may not see (empty sections dropped)."""
    user = user or current_user()
    if user.partner is None:
        return pages
    out = {
        section: [p for p in items if p.url_path not in HIDDEN_FOR_PARTNERS]
        for section, items in pages.items()
    }
    return {section: items for section, items in out.items() if items}


def partner_banner() -> None:
    """At the top of every page of a partner-scoped session: whose view this is, how to leave."""
    partner = partner_scope()
    if partner is None:
        return
    name = partner_names().get(partner, partner)
    text = (
        f"**Partner view: {name}** — other partners' and clients' data hidden; "
        "personal data masked."
    )
    if can_leave_partner_view():
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.warning(text, icon=":material/screen_share:")
        right.button(
            "Leave partner view",
            key="leave_partner_banner",
            on_click=leave_partner_view,
            width="stretch",
        )
    else:
        st.warning(
            text + " This sign-in is limited to this partner.", icon=":material/screen_share:"
        )


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
    _partner_picker(user)
    if user.source == "oidc":
        st.button("Sign out", key="sign_out", on_click=st.logout)
    elif user.source == "local":
        st.button("Sign out", key="sign_out", on_click=_sign_out)


def _partner_picker(user: User) -> None:
    """Operators and admins: "Screen-share as partner…" (the full view only: a scoped session
    must not list the other partners)."""
    if user.partner is not None:
        if can_leave_partner_view():
            st.button(
                "Leave partner view", key="leave_partner_sidebar", on_click=leave_partner_view
            )
        return
    if user.role not in (Role.OPERATOR, Role.ADMIN):
        return
    names = partner_names()
    st.selectbox(
        "Screen-share as partner…",
        [None, *sorted(names, key=names.get)],
        format_func=lambda p: "Full view (no partner)" if p is None else names[p],
        key=PICKER_KEY,
        on_change=_picked,
        help="Shows only that partner's rails, payments and cases; other partners and clients "
        "are hidden and personal data masked, for a screen-share.",
    )


def _picked() -> None:
    partner = st.session_state.get(PICKER_KEY)
    if partner:
        enter_partner_view(partner)


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
