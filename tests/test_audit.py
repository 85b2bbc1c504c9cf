"""Edits are audited and two people editing one row never lose an update silently."""

import threading

import pytest

from ops_core import audit
from ops_core.errors import ConflictError, OpsError

NOTES = audit.Editable("t_notes", "id", frozenset({"note", "status", "assignee"}), "note")


@pytest.fixture
def notes(empty_db):
    with empty_db.transaction() as cur:
        cur.execute(
            "CREATE TABLE t_notes (id INTEGER PRIMARY KEY, note VARCHAR, "
            "status VARCHAR, assignee VARCHAR, version INTEGER NOT NULL DEFAULT 1)"
        )
        cur.execute("INSERT INTO t_notes VALUES (1, NULL, 'open', NULL, 1)")
    return empty_db


def save(db, version, actor, **changes):
    with db.transaction() as cur:
        return audit.update(cur, NOTES, 1, expected_version=version, changes=changes, actor=actor)


def test_a_save_is_audited_field_by_field(notes):
    version, diffs = save(notes, 1, "ana", status="investigating", note="called bank")
    assert version == 2 and {d.field for d in diffs} == {"status", "note"}
    trail = audit.history(notes.cursor(), "note", 1)
    assert list(trail.field) == ["note", "status"]
    assert trail.actor.unique().tolist() == ["ana"]
    assert trail[trail.field == "status"].iloc[0][["old_value", "new_value"]].tolist() == [
        "open",
        "investigating",
    ]


def test_unchanged_values_write_nothing(notes):
    assert save(notes, 1, "ana", status="open") == (1, [])
    assert audit.history(notes.cursor(), "note", 1).empty


def test_second_editor_is_refused_and_told_what_changed(notes):
    save(notes, 1, "ana", assignee="ana")
    with pytest.raises(ConflictError, match=r"ana changed assignee from None to 'ana'"):
        save(notes, 1, "ben", assignee="ben")  # ben opened version 1 too
    row = notes.cursor().execute("SELECT assignee, version FROM t_notes").fetchone()
    assert row == ("ana", 2)


def test_only_editable_fields(notes):
    with pytest.raises(OpsError, match="cannot be edited"):
        save(notes, 1, "ana", id=5)


def test_concurrent_saves_from_two_threads_never_both_win(notes):
    results = []

    def editor(name):
        try:
            save(notes, 1, name, note=f"{name}'s note")
            results.append(name)
        except ConflictError:
            results.append("conflict")
        except Exception as exc:  # DuckDB's own write-write conflict is also a refusal
            results.append(f"refused:{type(exc).__name__}")

    threads = [threading.Thread(target=editor, args=(n,)) for n in ("ana", "ben")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [r for r in results if r in ("ana", "ben")]
    assert len(winners) == 1, results
    note, version = notes.cursor().execute("SELECT note, version FROM t_notes").fetchone()
    assert note == f"{winners[0]}'s note" and version == 2
