"""Reconciliation in a partner's screen-share view (issue 8): ops_core.recon.views filters to
the partner in SQL and masks what it returns; another partner's break is not found."""

from __future__ import annotations

from datetime import date

import pytest

from ops_core.access.masking import MASK
from ops_core.health import data_now
from ops_core.recon import views

PARTNER = "MERIDIAN"  # the demo partner with the most breaks


@pytest.fixture(scope="module")
def cur(demo_db):
    return demo_db.cursor()


def scalar(cur, query: str, *params):
    return cur.execute(query, list(params)).fetchone()[0]


def test_queue_counts_only_the_partners_breaks(cur):
    now = data_now(cur)
    mine = views.queue(cur, views.QueueFilter(statuses=()), now, PARTNER)
    expected = scalar(cur, "SELECT count(*) FROM recon_breaks WHERE partner_id = ?", PARTNER)
    assert expected > 0 and len(mine) == expected
    assert set(mine.partner_id) == {PARTNER}
    everyone = views.queue(cur, views.QueueFilter(statuses=()), now)
    assert len(everyone) == scalar(cur, "SELECT count(*) FROM recon_breaks") > len(mine)


def test_queue_masks_accounts_and_people(cur):
    mine = views.queue(cur, views.QueueFilter(statuses=()), data_now(cur), PARTNER)
    for value in [*mine.account.dropna(), *mine.assignee.dropna()]:
        assert value.startswith(MASK) and len(value) <= len(MASK) + 4, value
    raw = scalar(
        cur, "SELECT any_value(account) FROM recon_breaks WHERE partner_id = ? AND account "
        "IS NOT NULL", PARTNER,
    )  # fmt: skip
    assert raw and not any(raw in str(d) for d in mine.detail)


def test_a_foreign_break_is_not_found(cur):
    other = scalar(cur, "SELECT min(break_id) FROM recon_breaks WHERE partner_id <> ?", PARTNER)
    assert views.detail(cur, other) is not None, "it exists in the full view"
    assert views.detail(cur, other, PARTNER) is None


def test_an_own_break_is_masked(cur):
    bid = scalar(
        cur, "SELECT min(break_id) FROM recon_breaks WHERE partner_id = ? AND payment_id "
        "IS NOT NULL", PARTNER,
    )  # fmt: skip
    d = views.detail(cur, bid, PARTNER)
    assert d is not None and d.brk["partner_id"] == PARTNER
    assert set(d.ledger.partner_id) == {PARTNER}
    assert all(c.startswith("Client ") for c in d.ledger.client)
    names = cur.execute("SELECT name FROM clients").fetchall()
    shown = d.ledger.to_csv() + d.external.to_csv() + d.timeline.to_csv() + str(d.brk)
    assert not [n for (n,) in names if n in shown]
    raw = scalar(cur, "SELECT counterparty_name FROM payments WHERE payment_id = ?",
                 int(d.brk["payment_id"]))  # fmt: skip
    assert raw not in shown and d.ledger.counterparty_name.iloc[0].startswith(MASK)


def test_summary_is_the_partners_only(cur):
    now = data_now(cur)
    start, end = date(2026, 11, 1), now.date()
    s = views.summary(cur, start, end, now, PARTNER)
    assert set(s.ledger.partner_id) == {PARTNER}
    assert set(s.external.partner_id) <= {PARTNER}
    assert set(s.balances.partner_id) <= {PARTNER}
    expected = scalar(
        cur,
        "SELECT count(*) FROM recon_ledger_state s JOIN payments p USING (payment_id)"
        " WHERE p.partner_id = ? AND CAST(coalesce(p.final_at, p.created_at) AS DATE)"
        " BETWEEN ? AND ?",
        PARTNER,
        start,
        end,
    )
    assert int(s.ledger["items"].sum()) == expected > 0
    assert s.runs.counts.eq("{}").all() and s.runs.actor.isna().all()


def test_internal_notes_are_not_shown_to_a_partner(cur):
    bid, notes = cur.execute(
        "SELECT break_id, notes FROM recon_breaks WHERE notes IS NOT NULL AND partner_id IN "
        "(SELECT partner_id FROM recon_breaks WHERE notes IS NOT NULL LIMIT 1) LIMIT 1"
    ).fetchone()
    partner = scalar(cur, "SELECT partner_id FROM recon_breaks WHERE break_id = ?", bid)
    full = views.detail(cur, bid)
    assert full.brk["notes"] == notes
    shown = views.detail(cur, bid, partner)
    assert shown.brk["notes"] is None
    snippet = notes[:20]
    for df in (shown.timeline, shown.audit):
        assert (
            not df.astype(str)
            .apply(lambda col: col.str.contains(snippet, regex=False))
            .any(axis=None)
        ), df
    queue = views.queue(cur, views.QueueFilter(statuses=()), data_now(cur), partner)
    assert "notes" not in queue.columns or queue["notes"].isna().all()
