"""The break workflow: audited edits, refused stale saves, transitions, bulk actions with
conflicts reported, and two sessions racing on the same break."""

from __future__ import annotations

import threading

import pytest

from ops_core import rollups
from ops_core.errors import ConflictError, OpsError
from ops_core.recon import breaks
from tests.recon.conftest import World
from tests.recon.test_golden import MON


@pytest.fixture
def three(world: World) -> World:
    """Three fee-variance breaks on Lakeshore (a 2.50 fee netted from each credit)."""
    fid = world.file("lakeshore.bai2")
    for n in range(3):
        trace = f"07100001000008{n}"
        world.payment(trace=trace, dc="debit", amount=10_000, day=MON)
        world.bank_line(fid, amount=9_750, dc="credit", ref=trace, day=MON, line=n + 1)
    world.run()
    return world


def version(world: World, break_id: int) -> int:
    return int(
        world.query("SELECT version FROM recon_breaks WHERE break_id = ?", break_id).version[0]
    )


@pytest.mark.parametrize(
    ("age", "bucket"),
    [
        (-1, "0-1 d"),
        (0, "0-1 d"),
        (1, "0-1 d"),
        (2, "2-3 d"),
        (7, "4-7 d"),
        (8, "8-14 d"),
        (30, "15-30 d"),
        (31, "31+ d"),
        (400, "31+ d"),
    ],
)
def test_age_buckets(age, bucket):
    assert breaks.age_bucket(age) == bucket


def test_an_edit_is_saved_and_audited(three: World):
    saved = breaks.edit(
        three.db,
        1,
        expected_version=1,
        actor="Priya",
        status="investigating",
        assignee="Priya",
        notes="asked the bank",
    )
    assert saved.version == 2 and {c.field for c in saved.changes} == {
        "status",
        "assignee",
        "notes",
    }
    trail = three.query(
        "SELECT actor, field, old_value, new_value FROM audit_log"
        " WHERE entity = 'break' AND entity_id = '1' AND actor = 'Priya'"
        " ORDER BY field"
    )
    assert trail.values.tolist() == [
        ["Priya", "assignee", "demo operator", "Priya"],
        ["Priya", "notes", None, "asked the bank"],
        ["Priya", "status", "open", "investigating"],
    ]


def test_a_stale_save_is_refused_with_the_other_change(three: World):
    breaks.edit(three.db, 1, expected_version=1, actor="Priya", notes="Priya's finding")
    with pytest.raises(ConflictError) as err:
        breaks.edit(three.db, 1, expected_version=1, actor="Marco", notes="Marco's note")
    message = str(err.value)
    assert 'Priya changed notes from None to "Priya\'s finding"' in message
    assert "you had version 1, it is now 2" in message
    notes = three.query("SELECT notes FROM recon_breaks WHERE break_id = 1").notes[0]
    assert notes == "Priya's finding"


@pytest.mark.parametrize(
    ("moves", "error"),
    [
        ([{"status": "resolved"}], "choose a resolution category"),
        ([{"status": "resolved", "resolution_category": "auto_cleared"}], "choose a resolution"),
        ([{"resolution_category": "fee_accepted"}], "set when the break is resolved"),
        ([{"status": "written_off"}, {"status": "investigating"}], "cannot become investigating"),
        ([{"status": "closed"}], "unknown status"),
    ],
)
def test_transitions_and_resolutions(three: World, moves, error):
    *ok, last = moves
    for move in ok:
        breaks.edit(three.db, 1, expected_version=version(three, 1), actor="Priya", **move)
    with pytest.raises(OpsError, match=error):
        breaks.edit(three.db, 1, expected_version=version(three, 1), actor="Priya", **last)


def test_close_and_reopen(three: World):
    breaks.edit(
        three.db,
        1,
        expected_version=1,
        actor="Priya",
        status="resolved",
        resolution_category="fee_accepted",
    )
    row = three.query(
        "SELECT status, resolution_category, resolved_by FROM recon_breaks WHERE break_id = 1"
    ).iloc[0]
    assert tuple(row) == ("resolved", "fee_accepted", "Priya")
    breaks.edit(three.db, 1, expected_version=2, actor="Marco", status="open")
    row = three.query(
        "SELECT status, resolution_category, resolved_by FROM recon_breaks WHERE break_id = 1"
    ).iloc[0]
    assert tuple(row) == ("open", None, None)


def test_bulk_resolve_reports_the_conflicting_row(three: World):
    seen = {1: 1, 2: 1, 3: 1}
    breaks.edit(three.db, 2, expected_version=1, actor="Priya", notes="I am on it")
    result = breaks.bulk_edit(
        three.db, seen, actor="Marco", status="resolved", resolution_category="fee_accepted"
    )
    assert result.updated == (1, 3) and list(result.conflicts) == [2]
    assert "Priya changed notes" in result.conflicts[2]
    rows = three.query("SELECT break_id, status, notes FROM recon_breaks ORDER BY 1")
    assert rows.values.tolist() == [
        [1, "resolved", None],
        [2, "open", "I am on it"],
        [3, "resolved", None],
    ]
    audited = three.query(
        "SELECT DISTINCT entity_id FROM audit_log WHERE actor = 'Marco' ORDER BY 1"
    ).entity_id.tolist()
    assert audited == ["1", "3"]


def test_bulk_assign_and_refused_rows(three: World):
    breaks.edit(three.db, 3, expected_version=1, actor="Priya", status="written_off")
    result = breaks.bulk_edit(
        three.db, {1: 1, 2: 1, 3: 2}, actor="Marco", status="investigating", assignee="Marco"
    )
    assert result.updated == (1, 2) and list(result.refused) == [3]
    assert "cannot become investigating" in result.refused[3]


def test_two_sessions_racing_on_one_break_lose_nothing(three: World):
    """Both opened version 1 and press Save at the same moment: one wins, the other is told."""
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def session(who: str) -> None:
        barrier.wait()
        try:
            outcomes[who] = breaks.edit(
                three.db, 1, expected_version=1, actor=who, notes=f"{who} was here"
            )
        except ConflictError as exc:
            outcomes[who] = exc

    threads = [threading.Thread(target=session, args=(w,)) for w in ("Priya", "Marco")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    won = [w for w, o in outcomes.items() if isinstance(o, breaks.Saved)]
    lost = [w for w, o in outcomes.items() if isinstance(o, ConflictError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    row = three.query("SELECT notes, version FROM recon_breaks WHERE break_id = 1").iloc[0]
    assert (row.notes, row.version) == (f"{won[0]} was here", 2)
    notes = three.query("SELECT actor FROM audit_log WHERE field = 'notes' AND entity_id = '1'")
    assert notes.actor.tolist() == won  # exactly one saved change, by the winner, audited
    # the loser reloads, sees the winner's note, and saves on top of it
    breaks.edit(three.db, 1, expected_version=2, actor=lost[0], notes=f"{row.notes}; {lost[0]} too")
    final = three.query("SELECT notes FROM recon_breaks WHERE break_id = 1").notes[0]
    assert final == f"{won[0]} was here; {lost[0]} too"


def test_an_engine_change_makes_an_open_form_stale(three: World):
    """Escalation by a later run bumps the version: a form opened before it is refused."""
    from datetime import UTC, datetime

    three.run(datetime(2026, 3, 30, tzinfo=UTC))  # past the fee variance's 120 h SLA
    assert three.breaks().status.tolist() == ["escalated"] * 3
    with pytest.raises(ConflictError, match="reconciliation engine changed status"):
        breaks.edit(three.db, 1, expected_version=1, actor="Priya", notes="late")


@pytest.mark.parametrize("bulk", [False, True])
def test_a_save_that_collides_only_on_the_data_version_goes_through(
    three: World, monkeypatch: pytest.MonkeyPatch, bulk: bool
):
    """A load, run or rollup catch-up that commits while a break is being saved conflicts with
    it on data_version alone: the save is tried once more and goes through, audited once."""
    real, calls = breaks.save, []

    def save_while_a_load_commits(cur, *args, **kwargs):
        saved = real(cur, *args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            with three.db.transaction() as other:
                rollups.bump_version(other)  # what a load committing now writes
        return saved

    monkeypatch.setattr(breaks, "save", save_while_a_load_commits)
    if bulk:
        result = breaks.bulk_edit(three.db, {1: 1}, actor="Priya", notes="checked")
        assert result.updated == (1,) and not result.conflicts
    else:
        assert breaks.edit(three.db, 1, expected_version=1, actor="Priya", notes="checked").changes
    assert len(calls) == 2  # the first attempt lost the conflict and was rolled back
    row = three.query("SELECT notes, version FROM recon_breaks WHERE break_id = 1").iloc[0]
    assert (row.notes, row.version) == ("checked", 2)
    notes = three.query("SELECT actor FROM audit_log WHERE field = 'notes' AND entity_id = '1'")
    assert notes.actor.tolist() == ["Priya"]
