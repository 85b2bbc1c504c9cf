"""Alerts and incidents in a partner's screen-share view (issue 8): only that partner's,
filtered in ops_core, masked; another partner's alert or incident is not found."""

from __future__ import annotations

import pytest

from ops_core.alerts import inbox, incidents, scorecards
from ops_core.db import Database
from ops_core.errors import OpsError
from tests.conftest import AS_OF


@pytest.fixture(scope="module")
def cur(seeded_path):
    db = Database(seeded_path, read_only=True)
    yield db.cursor()
    db.close()


def test_alert_list_is_the_partners_only(cur):
    expected = cur.execute("SELECT count(*) FROM alerts WHERE partner_id = 'LAKESHORE'").fetchone()
    mine = inbox.alert_list(cur, "LAKESHORE")
    assert len(mine) == expected[0] > 0
    assert set(mine.partner_id) == {"LAKESHORE"}
    assert len(inbox.alert_list(cur)) > len(mine)


def test_a_foreign_alert_is_not_found(cur):
    other = cur.execute("SELECT min(alert_id) FROM alerts WHERE partner_id <> 'LAKESHORE'")
    other = other.fetchone()[0]
    assert inbox.alert_detail(cur, other) is not None
    assert inbox.alert_detail(cur, other, "LAKESHORE") is None


def test_the_lakeshore_incident_is_masked_for_lakeshore_and_absent_for_visa(cur):
    assert incidents.incident_list(cur, "VISA").empty
    with pytest.raises(OpsError, match="in this view"):
        incidents.detail(cur, 1, "VISA")
    listed = incidents.incident_list(cur, "LAKESHORE")
    assert listed.incident_id.tolist() == [1]
    d = incidents.detail(cur, 1, "LAKESHORE")
    full = incidents.detail(cur, 1)
    assert "Meridian Trust" in full.incident["summary"]  # the demo's summary names it
    shown = str(d.incident) + d.timeline.to_csv() + d.alerts.to_csv() + d.impact.to_csv()
    assert "Meridian Trust" not in shown and "another partner" in d.incident["summary"]
    assert all(c.startswith("Client ") for c in d.clients)
    assert d.partners == ["LAKESHORE"]


def test_scorecard_titles_are_masked_in_a_partner_view(cur):
    card = scorecards.scorecard(cur, "LAKESHORE", AS_OF, 4, masked=True)
    names = [n for (n,) in cur.execute("SELECT name FROM clients").fetchall()]
    assert not [n for n in names for t in card.incidents.title if n in t]
