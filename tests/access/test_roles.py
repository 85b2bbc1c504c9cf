"""Roles as a table: every action for every role, partner scope, and audited writes."""

import pytest

from ops_core import audit
from ops_core.access import ACTIONS, Role, User, can, entity_action, require
from ops_core.errors import PermissionDenied

V, OP, A = Role.VIEWER, Role.OPERATOR, Role.ADMIN

# action -> roles allowed (issue 8: viewer reads; operator edits breaks, disputes, alerts;
# admin also changes rules, thresholds and users).
EXPECTED = {
    "view": {V, OP, A},
    "export": {V, OP, A},
    "run_sql": {V, OP, A},
    "save_query": {OP, A},
    "edit": {OP, A},
    "import_files": {OP, A},
    "edit_breaks": {OP, A},
    "edit_disputes": {OP, A},
    "edit_alerts": {OP, A},
    "edit_rules": {A},
    "edit_thresholds": {A},
    "manage_users": {A},
}
# Allowed while the view is scoped to one partner (partner screen-share mode).
PARTNER_OK = {"view", "export"}


def test_the_table_covers_every_action():
    assert set(EXPECTED) == set(ACTIONS)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_role_allows_action(action, role):
    user = User("pat", role)
    assert can(user, action) is (role in EXPECTED[action])
    assert user.can(action) is (role in EXPECTED[action])


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_partner_scope_only_reads(action, role):
    user = User("pat", role).scoped_to("P-ACME")
    assert can(user, action) is (role in EXPECTED[action] and action in PARTNER_OK)


@pytest.mark.parametrize(
    ("user", "action", "message"),
    [
        (
            User("vic", V),
            "edit_disputes",
            "vic is signed in as viewer: editing disputes needs the operator or admin role",
        ),
        (
            User("ola", OP),
            "edit_rules",
            "ola is signed in as operator: changing rules needs the admin role",
        ),
        (
            User("ada", A, partner="P-ACME"),
            "run_sql",
            "Running SQL in the console is not available in the partner view of P-ACME",
        ),
    ],
)
def test_require_says_who_is_needed(user, action, message):
    with pytest.raises(PermissionDenied, match=message):
        require(user, action)


def test_require_passes_silently_when_allowed():
    assert require(User("ola", OP), "edit_disputes") is None


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown action 'fly'"):
        can(User("ada", A), "fly")


@pytest.mark.parametrize(
    ("entity", "action"),
    [
        ("dispute", "edit_disputes"),
        ("dispute_evidence", "edit_disputes"),
        ("saved_query", "save_query"),
        ("threshold", "edit_thresholds"),
        ("user", "manage_users"),
        ("something_new", "edit"),
    ],
)
def test_audited_entities_map_to_actions(entity, action):
    assert entity_action(entity) == action


def test_a_user_needs_a_name_and_a_known_role():
    with pytest.raises(ValueError):
        User(" ", V)
    with pytest.raises(ValueError):
        User("x", "superuser")
    assert User("x", "admin").role is Role.ADMIN


NOTES = audit.Editable("t_notes", "id", frozenset({"note"}), "dispute")
RULES = audit.Editable("t_rules", "id", frozenset({"note"}), "rule")


@pytest.fixture
def notes(empty_db):
    with empty_db.transaction() as cur:
        for table in ("t_notes", "t_rules"):
            cur.execute(
                f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, note VARCHAR, "
                "version INTEGER NOT NULL DEFAULT 1)"
            )
            cur.execute(f"INSERT INTO {table} VALUES (1, NULL, 1)")
    return empty_db


def _save(db, spec, actor):
    with db.transaction() as cur:
        return audit.update(cur, spec, 1, expected_version=1, changes={"note": "x"}, actor=actor)


@pytest.mark.parametrize(
    ("spec", "role", "allowed"),
    [(NOTES, V, False), (NOTES, OP, True), (NOTES, A, True), (RULES, OP, False), (RULES, A, True)],
)
def test_audited_update_checks_the_role(notes, spec, role, allowed):
    user = User(f"{role.value} one", role)
    if allowed:
        assert _save(notes, spec, user)[0] == 2
        trail = audit.history(notes.cursor(), spec.entity, 1)
        assert trail.actor.tolist() == [user.name]  # the signed-in user's name is recorded
    else:
        with pytest.raises(PermissionDenied):
            _save(notes, spec, user)
        assert audit.history(notes.cursor(), spec.entity, 1).empty
        assert notes.cursor().execute(f"SELECT version FROM {spec.table}").fetchone() == (1,)


def test_audited_record_checks_the_role(notes):
    with notes.transaction() as cur, pytest.raises(PermissionDenied):
        audit.record(
            cur, actor=User("vic", V), entity="dispute", entity_id="1", field="f", old=1, new=2
        )
    with notes.transaction() as cur:
        audit.record(
            cur, actor=User("ola", OP), entity="dispute", entity_id="1", field="f", old=1, new=2
        )
    assert audit.history(notes.cursor(), "dispute", 1).actor.tolist() == ["ola"]


def test_a_plain_actor_name_still_works(notes):
    """Older callers and jobs pass a name: recorded as given, no role to check."""
    assert _save(notes, RULES, "nightly job")[0] == 2
    assert audit.history(notes.cursor(), "rule", 1).actor.tolist() == ["nightly job"]
