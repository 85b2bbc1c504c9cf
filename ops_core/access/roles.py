"""Who may do what: roles, actions, and the signed-in user.

The rule table is data (STYLE.md): each action names the roles allowed to do it and whether it
is allowed while a view is scoped to one partner (partner screen-share mode, issue 8). Pages
hide what a role cannot do (``ui.access.can``); ``require`` refuses it in ``ops_core`` too, and
``ops_core.audit`` calls it for every audited write made on behalf of a ``User``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from ops_core.errors import PermissionDenied


class Role(StrEnum):
    VIEWER = "viewer"  # reads every page; changes nothing
    OPERATOR = "operator"  # works breaks, disputes and alerts
    ADMIN = "admin"  # also changes rules, thresholds and users


@dataclass(frozen=True)
class Action:
    name: str
    label: str  # completes "... needs ...": what the action does, in words
    roles: frozenset[Role]
    partner_ok: bool  # allowed while the view is scoped to one partner


_ALL = frozenset(Role)
_OPS = frozenset({Role.OPERATOR, Role.ADMIN})
_ADMIN = frozenset({Role.ADMIN})

# Issue 8: viewer = read only; operator = edit breaks, disputes, alerts; admin = rules,
# thresholds and users. A partner-scoped view only reads what the partner may see: the SQL
# console reads every table, so it is closed there.
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("view", "viewing pages", _ALL, True),
        Action("export", "downloading exports", _ALL, True),
        Action("run_sql", "running SQL in the console", _ALL, False),
        Action("save_query", "saving console queries", _OPS, False),
        Action("edit", "changing records", _OPS, False),
        Action("import_files", "importing files", _OPS, False),
        Action("edit_breaks", "editing reconciliation breaks", _OPS, False),
        Action("edit_disputes", "editing disputes", _OPS, False),
        Action("edit_alerts", "editing alerts", _OPS, False),
        Action("edit_rules", "changing rules", _ADMIN, False),
        Action("edit_thresholds", "changing thresholds", _ADMIN, False),
        Action("manage_users", "managing users", _ADMIN, False),
    )
}

# The audit entity each write touches -> the action it needs (ops_core.audit checks it).
# An entity not listed needs DEFAULT_WRITE (operator): list admin-only tables here.
ENTITY_ACTIONS: dict[str, str] = {
    "dispute": "edit_disputes",
    "dispute_evidence": "edit_disputes",
    "break": "edit_breaks",
    "recon_break": "edit_breaks",
    "alert": "edit_alerts",
    "incident": "edit_alerts",
    "alert_rule": "edit_thresholds",
    "saved_query": "save_query",
    "source_file": "import_files",
    "rule": "edit_rules",
    "dispute_rule": "edit_rules",
    "threshold": "edit_thresholds",
    "alert_threshold": "edit_thresholds",
    "user": "manage_users",
}
DEFAULT_WRITE = "edit"


@dataclass(frozen=True)
class User:
    """The signed-in person. ``partner`` scopes every view to one partner when set."""

    name: str
    role: Role
    partner: str | None = None
    source: str = "local"  # local, oidc or demo
    email: str | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a user needs a name")
        object.__setattr__(self, "role", Role(self.role))

    def __str__(self) -> str:
        return self.name

    def can(self, action: str) -> bool:
        return can(self, action)

    def scoped_to(self, partner: str | None) -> User:
        """The same person viewing as ``partner`` (None: back to the full view)."""
        return replace(self, partner=partner)


def action(name: str) -> Action:
    try:
        return ACTIONS[name]
    except KeyError:
        raise ValueError(f"unknown action {name!r}; known: {sorted(ACTIONS)}") from None


def can(user: User, name: str) -> bool:
    rule = action(name)
    return user.role in rule.roles and (user.partner is None or rule.partner_ok)


def require(user: User, name: str) -> None:
    """Raise PermissionDenied, saying who is needed, unless ``user`` may do ``name``."""
    if can(user, name):
        return
    rule = action(name)
    if user.role not in rule.roles:
        allowed = " or ".join(r.value for r in Role if r in rule.roles)
        raise PermissionDenied(
            f"{user.name} is signed in as {user.role.value}: {rule.label} needs the {allowed} role."
        )
    what = rule.label[:1].upper() + rule.label[1:]
    raise PermissionDenied(f"{what} is not available in the partner view of {user.partner}.")


def entity_action(entity: str) -> str:
    """The action an audited write to ``entity`` needs."""
    return ENTITY_ACTIONS.get(entity, DEFAULT_WRITE)


def actor_name(actor: str | User) -> str:
    """The name to record for ``actor`` (a User or, from jobs and older callers, a name)."""
    return actor.name if isinstance(actor, User) else actor
