"""Partner scope in the data layer (issue 8): ops_core functions given ``partner=`` return
only that partner's rows, with clients pseudonymised and personal data masked."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from ops_core import health, rail_health
from ops_core.access import masking
from ops_core.demo.catalog import CLIENTS, PARTNERS
from ops_core.disputes import board, ics
from tests.conftest import AS_OF

PARTNER = "LAKESHORE"
PSEUDONYM = re.compile(r"^Client [0-9A-F]{4}$")
FOREIGN = [n for pid, n, *_ in PARTNERS if pid != PARTNER] + [c[1] for c in CLIENTS]


@pytest.fixture(autouse=True)
def key(monkeypatch):
    monkeypatch.setenv(masking.KEY_ENV, "scope-test-key")


def test_everything_of_a_partner(demo_db):
    every = health.everything(demo_db.cursor(), PARTNER)
    assert every["partners"] == [PARTNER]
    assert every["rails"] == ["ACH", "RTP"]


def test_rail_tiles_only_the_partners_rails(demo_db):
    cur = demo_db.cursor()
    scoped = health.rail_tiles(cur, date(2026, 11, 19), "UTC", AS_OF, PARTNER)
    full = health.rail_tiles(cur, date(2026, 11, 19), "UTC", AS_OF)
    assert sorted(scoped.rail_id) == ["ACH", "RTP"]
    ach = lambda t: int(t[t.rail_id == "ACH"].payments.iloc[0])  # noqa: E731
    assert 0 < ach(scoped) < ach(full)


def test_stuck_is_scoped_and_masked(demo_db):
    cur = demo_db.cursor()
    full = health.stuck_now(cur, AS_OF)
    scoped = health.stuck_now(cur, AS_OF, PARTNER)
    assert set(scoped.partner_id) <= {PARTNER}
    assert len(scoped) == (full.partner_id == PARTNER).sum()
    assert all(PSEUDONYM.match(c) for c in scoped.client)


def test_rail_health_ignores_other_partners_in_the_filters(demo_db):
    cur = demo_db.cursor()
    f = rail_health.Filters(
        start=AS_OF - timedelta(days=2),
        end=AS_OF,
        rails=(),
        partners=("MERIDIAN",),  # a crafted URL cannot widen the scope
        clients=(),
        partner=PARTNER,
    )
    every = health.everything(cur, PARTNER)
    by_partner = rail_health.breakdown(cur, f, every, "partner")
    assert set(by_partner.partner_id) == {PARTNER}
    by_client = rail_health.breakdown(cur, f, every, "client")
    assert all(PSEUDONYM.match(c) for c in by_client.client)
    pay = rail_health.payments(cur, f, every, limit=200)
    assert set(pay.partner_id) == {PARTNER}
    assert all(PSEUDONYM.match(c) for c in pay.client_id)
    assert pay.counterparty_account.dropna().str.match(r"^••••.{0,4}$").all()


def test_dispute_board_and_ics_export_are_scoped(demo_db):
    cur = demo_db.cursor()
    today = AS_OF.date()
    start, end = today - timedelta(days=400), today + timedelta(days=400)
    full = board.board(cur, start, end, today)
    scoped = board.board(cur, start, end, today, PARTNER)
    mine = board.partner_cases(cur, PARTNER)
    assert len(scoped) and set(scoped.case_id) <= mine and len(scoped) < len(full)
    assert set(scoped.network) <= {"nacha", "reg_e"}
    assert all(PSEUDONYM.match(c) for c in scoped.client)
    text = ics.calendar_text(ics.deadline_events(scoped), datetime(2026, 11, 20, tzinfo=UTC))
    assert not [n for n in FOREIGN if n in text]


def test_dispute_case_of_another_partner_is_not_found(demo_db):
    cur = demo_db.cursor()
    mine = board.partner_cases(cur, PARTNER)
    other = cur.execute(
        "SELECT min(case_id) FROM dispute_cases WHERE case_id NOT IN (SELECT unnest($m))",
        {"m": sorted(mine)},
    ).fetchone()[0]
    assert board.case_detail(cur, other, PARTNER) is None
    detail = board.case_detail(cur, min(mine), PARTNER)
    assert PSEUDONYM.match(detail.case["client"])
    assert detail.case["client_id"] == detail.case["client"]
    assert set(detail.payment.partner_id) == {PARTNER}
    names = detail.payment.counterparty_name.dropna()
    assert names.str.startswith("••••").all()
