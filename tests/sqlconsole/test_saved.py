"""Saved queries: named per owner, creation audited, and only operators and admins save."""

import pytest

from ops_core import audit
from ops_core.access import Role, User
from ops_core.errors import OpsError, PermissionDenied
from ops_core.sqlconsole import list_saved, save

OLA = User("ola", Role.OPERATOR)


def _save(db, name="Failed ACH", actor=OLA, text="SELECT 1", dialect="duckdb"):
    with db.transaction() as cur:
        return save(cur, name=name, sql_text=text, dialect=dialect, actor=actor)


def test_a_saved_query_is_listed_and_its_creation_audited(empty_db):
    first = _save(empty_db)
    second = _save(empty_db, "By rail", text="SELECT 2", dialect="postgres")
    listed = list_saved(empty_db.cursor())
    assert listed.query_id.tolist() == [second, first]  # newest first
    assert listed.iloc[0][["name", "owner", "dialect", "sql_text"]].tolist() == [
        "By rail",
        "ola",
        "postgres",
        "SELECT 2",
    ]
    trail = audit.history(empty_db.cursor(), "saved_query", first)
    assert trail[["actor", "field", "new_value"]].values.tolist() == [
        ["ola", "created", "Failed ACH"]
    ]


def test_a_viewer_cannot_save(empty_db):
    with pytest.raises(PermissionDenied, match="saving console queries needs the operator"):
        _save(empty_db, actor=User("vic", Role.VIEWER))
    assert list_saved(empty_db.cursor()).empty
    assert audit.history(empty_db.cursor(), "saved_query", 1).empty


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "  "}, "name of 1 to 80 characters"),
        ({"name": "x" * 81}, "name of 1 to 80 characters"),
        ({"text": " "}, "no query to save"),
        ({"dialect": "cobol"}, "Unknown SQL dialect"),
    ],
)
def test_bad_input_is_refused(empty_db, kwargs, message):
    with pytest.raises(OpsError, match=message):
        _save(empty_db, **kwargs)


def test_names_are_unique_per_owner(empty_db):
    _save(empty_db, "Daily")
    with pytest.raises(OpsError, match="already have a saved query named 'daily'"):
        _save(empty_db, "daily")
    _save(empty_db, "Daily", actor=User("ada", Role.ADMIN))  # another owner may reuse it
    assert len(list_saved(empty_db.cursor())) == 2


def test_a_plain_actor_name_still_saves(empty_db):
    _save(empty_db, actor="nightly job")
    assert list_saved(empty_db.cursor()).owner.tolist() == ["nightly job"]
