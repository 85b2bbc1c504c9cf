"""Breaks and runs take the signed-in ``User`` as actor (issue 8): ops_core refuses what the
role (or a partner's screen-share) may not do, and records the person's name."""

from __future__ import annotations

import pytest

from ops_core import recon
from ops_core.access import Role, User
from ops_core.errors import PermissionDenied
from ops_core.recon import breaks
from tests.recon.conftest import World
from tests.recon.test_breaks import three  # noqa: F401 (a fixture)

OPERATOR = User("Priya Raman", Role.OPERATOR)
VIEWER = User("Vic Viewer", Role.VIEWER)


@pytest.mark.parametrize(
    "who",
    [VIEWER, OPERATOR.scoped_to("LAKESHORE")],
    ids=["viewer", "operator in a partner view"],
)
def test_a_user_who_may_not_edit_breaks_is_refused(three: World, who: User):  # noqa: F811
    q = "SELECT notes, assignee, version FROM recon_breaks ORDER BY break_id"
    before = three.query(q)
    with pytest.raises(PermissionDenied):
        breaks.edit(three.db, 1, expected_version=1, actor=who, notes="mine")
    with pytest.raises(PermissionDenied):
        breaks.bulk_edit(three.db, {1: 1, 2: 1}, actor=who, assignee="me")
    with pytest.raises(PermissionDenied):
        recon.run(three.db, actor=who)
    assert three.query(q).equals(before)
    assert len(three.query("SELECT * FROM recon_runs")) == 1, "only the fixture's own run"


def test_an_operator_is_recorded_by_name(three: World):  # noqa: F811
    breaks.edit(
        three.db,
        1,
        expected_version=1,
        actor=OPERATOR,
        status="resolved",
        resolution_category="fee_accepted",
    )
    row = three.query("SELECT resolved_by FROM recon_breaks WHERE break_id = 1")
    assert row.resolved_by[0] == "Priya Raman"
    who = three.query("SELECT DISTINCT actor FROM audit_log WHERE entity = 'break'"
                      " AND entity_id = '1' AND actor <> 'reconciliation engine'")  # fmt: skip
    assert who.actor.tolist() == ["Priya Raman"]
    result = recon.run(three.db, actor=OPERATOR)
    run = three.query("SELECT actor FROM recon_runs WHERE run_id = ?", result.run_id)
    assert run.actor[0] == "Priya Raman"
