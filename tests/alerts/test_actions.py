"""People's actions on alerts: audited, version-checked, refused when stale or not allowed."""

from __future__ import annotations

import pytest

from ops_core import audit
from ops_core.access import Role, User
from ops_core.alerts import actions
from ops_core.db import open_db
from ops_core.errors import ConflictError, OpsError, PermissionDenied
from tests.conftest import AS_OF

OPERATOR = User("dana", Role.OPERATOR, source="local")
VIEWER = User("vic", Role.VIEWER, source="local")


@pytest.fixture
def db(seeded_copy):
    db = open_db(seeded_copy)
    yield db
    db.close()


def open_alert(db, rule="stuck") -> tuple[int, int]:
    return (
        db.cursor()
        .execute(
            "SELECT alert_id, version FROM alerts WHERE rule_id = ? AND status = 'open'", [rule]
        )
        .fetchall()[0]
    )


def row(db, alert_id):
    return (
        db.cursor()
        .execute(
            "SELECT status, assignee, snoozed_until, resolution, resolved_by, version FROM alerts"
            " WHERE alert_id = ?",
            [alert_id],
        )
        .fetchall()[0]
    )


def test_acknowledge_assign_snooze_resolve_are_audited(db):
    aid, v = open_alert(db)
    with db.transaction() as cur:
        v = actions.acknowledge(cur, aid, version=v, actor=OPERATOR)
        v = actions.assign(cur, aid, "  maria.k ", version=v, actor=OPERATOR)
        v = actions.snooze(cur, aid, 4, now=AS_OF, version=v, actor=OPERATOR)
        actions.comment(cur, aid, "Called Meridian", actor=OPERATOR)
        v = actions.resolve(cur, aid, "Meridian re-sent the batch", version=v, actor=OPERATOR)
    status, assignee, _, note, by, version = row(db, aid)
    assert (status, assignee, note, by, version) == (
        "resolved",
        "maria.k",
        "Meridian re-sent the batch",
        "dana",
        v,
    )
    trail = audit.history(db.cursor(), "alert", aid)
    assert trail.actor.eq("dana").all()
    assert {"status", "assignee", "snoozed_until", "comment", "resolution"} <= set(trail.field)
    kinds = (
        db.cursor()
        .execute(
            "SELECT kind FROM alert_events WHERE alert_id = ? AND actor = 'dana' ORDER BY event_id",
            [aid],
        )
        .fetchall()
    )
    assert [k for (k,) in kinds] == ["acknowledged", "assigned", "snoozed", "comment", "resolved"]


def test_a_stale_save_is_refused_with_the_other_change(db):
    aid, v = open_alert(db)
    with db.transaction() as cur:
        actions.assign(cur, aid, "maria.k", version=v, actor="someone else")
    with pytest.raises(ConflictError, match="someone else changed assignee") as err:
        with db.transaction() as cur:
            actions.acknowledge(cur, aid, version=v, actor=OPERATOR)
    assert "Reload" in str(err.value)
    assert row(db, aid)[0] == "open"


def test_the_evaluators_auto_resolve_also_moves_the_version(db):
    """A person who opened an alert before it resolved itself cannot acknowledge it."""
    aid, v = (
        db.cursor()
        .execute("SELECT alert_id, version - 1 FROM alerts WHERE rule_id = 'success_drop' LIMIT 1")
        .fetchall()[0]
    )
    with pytest.raises(ConflictError, match="railyard changed status from 'open' to 'resolved'"):
        with db.transaction() as cur:
            actions.acknowledge(cur, aid, version=v, actor=OPERATOR)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda c, a, v: actions.resolve(c, a, "  ", version=v, actor=OPERATOR),
            "note is required",
        ),
        (lambda c, a, v: actions.snooze(c, a, 0, now=AS_OF, version=v, actor=OPERATOR), "positive"),
        (lambda c, a, v: actions.comment(c, a, "", actor=OPERATOR), "empty"),
    ],
)
def test_bad_actions_are_refused(db, call, message):
    aid, v = open_alert(db)
    with pytest.raises(OpsError, match=message):
        with db.transaction() as cur:
            call(cur, aid, v)


def test_a_resolved_alert_takes_no_acknowledgement(db):
    aid, v = (
        db.cursor()
        .execute("SELECT alert_id, version FROM alerts WHERE status = 'resolved' LIMIT 1")
        .fetchall()[0]
    )
    with pytest.raises(OpsError, match="is resolved"):
        with db.transaction() as cur:
            actions.acknowledge(cur, aid, version=v, actor=OPERATOR)


def test_a_viewer_cannot_edit_alerts(db):
    aid, v = open_alert(db)
    with pytest.raises(PermissionDenied, match="operator"):
        with db.transaction() as cur:
            actions.acknowledge(cur, aid, version=v, actor=VIEWER)
