"""The demo's disputes on a copy of the demo database: a spread of networks, stages and
deadlines, Granite Rent over the 0.5 % unauthorized threshold by both methods."""

from datetime import timedelta

import pytest

from ops_core.db import open_db
from ops_core.disputes import analytics, board
from ops_core.disputes.demo import seed_disputes
from tests.conftest import AS_OF

TODAY = AS_OF.date()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, demo_path):
    import shutil

    path = tmp_path_factory.mktemp("disputes") / "railyard.duckdb"
    shutil.copy(demo_path, path)
    db = open_db(path)
    with db.transaction() as cur:
        seed_disputes(cur, AS_OF, 7)
    yield db
    db.close()


def test_a_second_seed_gives_the_same_cases(seeded):
    cur = seeded.cursor()
    before = cur.execute(
        "SELECT count(*), sum(amount_disputed_minor) FROM dispute_cases"
    ).fetchone()
    with seeded.transaction() as c:
        seed_disputes(c, AS_OF, 7)
    assert (
        cur.execute("SELECT count(*), sum(amount_disputed_minor) FROM dispute_cases").fetchone()
        == before
    )


def test_cards_sit_mostly_on_pulls_and_every_network_is_there(seeded):
    rows = dict(
        seeded.cursor()
        .execute(
            "SELECT network || ':' || coalesce(txn_type, '-') || ':' || rights, count(*)"
            " FROM dispute_cases WHERE network IN ('visa', 'mastercard') GROUP BY 1"
        )
        .fetchall()
    )
    aft = sum(n for k, n in rows.items() if ":AFT:full" in k)
    oct_ = sum(n for k, n in rows.items() if ":OCT:" in k)
    assert aft > 5 * oct_ > 0 and all(":OCT:limited" in k for k in rows if ":OCT:" in k)
    networks = {
        n
        for (n,) in seeded.cursor().execute("SELECT DISTINCT network FROM dispute_cases").fetchall()
    }
    assert networks == {"visa", "mastercard", "nacha", "reg_e"}
    reg_e_rails = (
        seeded.cursor()
        .execute("SELECT DISTINCT rail_id FROM dispute_cases WHERE network = 'reg_e'")
        .fetchall()
    )
    assert {r for (r,) in reg_e_rails} == {"RTP", "FEDNOW"}


def test_the_calendar_has_due_soon_one_overdue_and_no_missed(seeded):
    df = board.board(seeded.cursor(), TODAY - timedelta(days=60), TODAY + timedelta(days=60), TODAY)
    counts = df.urgency.value_counts().to_dict()
    assert counts.get("missed", 0) == 0
    assert counts["overdue"] == 1
    assert counts["due_soon"] >= 5 and counts["upcoming"] >= 10 and counts["watch"] >= 4
    stages = set(df.stage)
    assert {"inquiry", "chargeback", "representment", "pre_arbitration", "arbitration"} <= stages


def test_outcomes_and_the_ach_intake(seeded):
    cur = seeded.cursor()
    outcomes = dict(
        cur.execute(
            "SELECT outcome, count(*) FROM dispute_cases WHERE outcome IS NOT NULL GROUP BY 1"
        ).fetchall()
    )
    assert {"won", "lost", "accepted", "expired"} <= set(outcomes)
    ach = cur.execute(
        "SELECT count(*), count(*) FILTER (WHERE client_id = 'granite') FROM dispute_cases"
        " WHERE network = 'nacha'"
    ).fetchone()
    ledger = cur.execute(
        "SELECT count(*) FROM payments WHERE rail_id = 'ACH' AND status = 'returned'"
        " AND code IN ('R05', 'R07', 'R10', 'R11', 'R29')"
    ).fetchone()
    assert ach[0] == ledger[0] and ach[1] > ach[0] / 2


def test_granite_breaches_the_unauthorized_threshold_by_both_methods(seeded):
    df = analytics.ach_return_rates(seeded.cursor(), AS_OF)
    breaches = df[df.breach]
    assert set(zip(breaches.client_id, breaches.rate, breaches.method, strict=True)) == {
        ("granite", "unauthorized", 1),
        ("granite", "unauthorized", 2),
    }


def test_upstream_patterns_name_granite_and_lumen(seeded):
    cur = seeded.cursor()
    start = AS_OF - timedelta(days=90)
    rates = analytics.dispute_rates(cur, start, AS_OF)
    conc = analytics.reason_concentration(cur, start, AS_OF)
    names = dict(cur.execute("SELECT client_id, name FROM clients").fetchall())
    returns = analytics.ach_return_rates(cur, AS_OF)
    text = "\n".join(f.message for f in analytics.upstream_patterns(rates, conc, returns, names))
    assert "Granite Rent: ACH unauthorized return rate" in text
    assert "Granite Rent holds most nacha cases of R10" in text
    assert "Lumen Games holds most visa cases of 10.4" in text
    assert "clients onboarded 2026-Q3" in text  # Granite's cohort
