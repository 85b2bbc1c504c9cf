"""The Import page passes the signed-in ``User`` (issue 8): ops_core refuses a load by a role
that may not import, or from a partner's screen-share, and records the importer's name."""

from __future__ import annotations

import pytest

from ops_core.access import Role, User
from ops_core.db import open_db
from ops_core.errors import PermissionDenied
from ops_core.ingest.loader import load_file
from tests.ingest.conftest import sample

RETURN_WEB = "ach/moov-io_ach/test/testdata/return-WEB.ach"


@pytest.fixture
def db():
    database = open_db(":memory:")
    yield database
    database.close()


@pytest.mark.parametrize(
    "who",
    [User("Vic", Role.VIEWER), User("Priya", Role.OPERATOR, partner="LAKESHORE")],
    ids=["viewer", "operator in a partner view"],
)
def test_a_user_who_may_not_import_is_refused(db, who):
    with pytest.raises(PermissionDenied):
        load_file(db, b"anything", name="x.ach", actor=who)
    assert db.cursor().execute("SELECT count(*) FROM source_files").fetchone()[0] == 0


def test_an_operator_is_recorded_by_name(samples, db):
    load_file(db, sample(RETURN_WEB), name="return-WEB.ach", actor=User("Priya", Role.OPERATOR))
    by = db.cursor().execute("SELECT loaded_by FROM source_files").fetchall()
    assert by == [("Priya",)]
