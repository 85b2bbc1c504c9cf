"""Rules over other issues' tables: they evaluate to nothing (and say why) while the tables
are missing, and fire on hand-made rows once the tables exist."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ops_core import alerts
from ops_core.alerts.detectors import detect
from ops_core.errors import OpsError
from ops_core.reference.sync import sync_reference
from tests.alerts.conftest import T0, hours

RECON = {"settlement_late", "balance_tieout", "break_sla"}


@pytest.fixture
def world(empty_db):
    cur = empty_db.cursor()
    sync_reference(cur)
    cur.execute("INSERT INTO partners VALUES ('LAKESHORE', 'Lakeshore Bank', 'bank', 'US')")
    cur.execute("INSERT INTO rail_partners VALUES ('ACH', 'LAKESHORE'), ('RTP', 'LAKESHORE')")
    return empty_db


def test_missing_source_tables_skip_their_rules(world):
    """A database without reconciliation (its migration dropped here) still evaluates: the
    three rules over it are skipped, with the reason, in the run record."""
    cur = world.cursor()
    for table in ("recon_breaks", "recon_balances"):
        cur.execute(f"DROP TABLE {table}")
    r = alerts.evaluate(world, T0)
    assert set(r.skipped) == RECON
    assert all("does not exist yet" in why for why in r.skipped.values())
    assert r.firing == 0
    run = cur.execute("SELECT skipped FROM alert_runs").fetchall()[0][0]
    assert "recon_breaks" in run


def recon_break(cur, break_id, category, rail, detected, sla, *, status="open", resolved=None):
    cur.execute(
        "INSERT INTO recon_breaks (break_id, break_key, category, side, rail_id, partner_id,"
        " currency, exposure_minor, exposure_usd_minor, field, detail, item_date, detected_at,"
        " first_run_id, last_run_id, severity, sla_due_at, queue, status, resolved_at)"
        " VALUES (?, ?, ?, 'ledger', ?, 'LAKESHORE', 'USD', 500000, 500000, 'amount', 'd',"
        " ?, ?, 1, 1, 'high', ?, 'ops', ?, ?)",
        [
            break_id,
            f"k{break_id}",
            category,
            rail,
            detected.date(),
            detected,
            sla,
            status,
            resolved,
        ],
    )


def test_recon_rules_fire_on_reconciliation_tables(world):
    cur = world.cursor()
    recon_break(cur, 1, "missing_at_bank", "ACH", T0 - hours(5), T0 + hours(40))  # fires
    recon_break(cur, 2, "missing_at_bank", "ACH", T0 + hours(1), T0 + hours(40))  # not yet
    recon_break(
        cur,
        3,
        "missing_at_bank",
        "ACH",
        T0 - hours(9),
        T0 + hours(40),
        status="resolved",
        resolved=T0 - hours(1),
    )  # resolved before
    recon_break(cur, 4, "amount_mismatch", "RTP", T0 - hours(40), T0 - hours(30))  # 30 h past
    recon_break(cur, 5, "duplicate", "RTP", T0 - hours(40), T0 + hours(1))  # SLA not yet due
    cur.execute(
        "INSERT INTO recon_accounts VALUES ('bank_statement_lines', '1234', 'ACH', 'LAKESHORE',"
        " 'USD', 'Lakeshore ACH', 'test', '2024-01-01')"
    )
    yesterday = (T0 - timedelta(days=1)).date()
    for day, unexplained in ((yesterday, 25000), (yesterday - timedelta(days=1), 0)):
        cur.execute(
            "INSERT INTO recon_balances (run_id, account, day, currency, ledger_movements_minor,"
            " bank_movements_minor, explained_minor, gap_minor, unexplained_minor, bank_lines)"
            " VALUES (1, '1234', ?, 'USD', 0, 0, 0, 0, ?, 3)",
            [day, unexplained],
        )
    found, skipped = detect(cur, [T0], sorted(RECON))
    assert skipped == {}
    by_rule = found.set_index("rule_id")
    assert by_rule.loc["settlement_late", "value"] == 1
    assert by_rule.loc["settlement_late", "impact_amount_minor"] == 500000
    assert by_rule.loc["settlement_late", "link"] == "/breaks?rails=ACH&category=missing_at_bank"
    assert (
        "1 expected settlement on ACH at Lakeshore Bank"
        in by_rule.loc["settlement_late", "explanation"]
    )
    assert by_rule.loc["balance_tieout", "subject"] == "1234"
    assert by_rule.loc["balance_tieout", "severity"] == "warning"  # 250.00 < 1,000.00
    assert "$250.00" in by_rule.loc["balance_tieout", "explanation"]
    assert by_rule.loc["break_sla", "value"] == 1 and by_rule.loc["break_sla", "rail_id"] == "RTP"
    assert by_rule.loc["break_sla", "severity"] == "critical"  # 30 h past the SLA >= 24 h


def test_dispute_responses_due_soon(world):
    cur = world.cursor()
    today = T0.date()  # Monday 2026-03-02
    rows = [  # case, network, party, team date, network date, done
        (1, "visa", "us", today + timedelta(days=2), today + timedelta(days=5), None),
        (2, "visa", "us", today + timedelta(days=9), today + timedelta(days=12), None),
        (3, "visa", "counterparty", today, today, None),
        (4, "mastercard", "us", today - timedelta(days=1), today, None),
        (5, "mastercard", "us", today, today, T0 - hours(1)),  # already answered
    ]
    for case_id, network, party, team, net, done in rows:
        cur.execute(
            "INSERT INTO dispute_cases (case_id, network, client_id, rail_id, rights, reason_code,"
            " reason_category, rule_category, stage, stage_started_on, status,"
            " amount_disputed_minor, currency, opened_at, source) VALUES (?, ?, 'acme',"
            " 'VISA_DIRECT', 'full', '10.4', 'fraud', 'allocation', 'chargeback', ?, 'new',"
            " 5000, 'USD', ?, 'manual')",
            [case_id, network, today - timedelta(days=10), T0 - timedelta(days=10)],
        )
        cur.execute(
            "INSERT INTO dispute_deadlines (case_id, stage, rule_id, party, action, start_on,"
            " network_due, internal_due, calendar, uncertain, computed_at, done_at) VALUES"
            " (?, 'chargeback', 'R', ?, 'respond', ?, ?, ?, 'US_FED', false, ?, ?)",
            [case_id, party, today - timedelta(days=10), net, team, T0, done],
        )
    found, _ = detect(cur, [T0], ["dispute_deadline"])
    got = {r.subject: (r.value, r.severity) for r in found.itertuples()}
    assert got == {"visa": (1, "warning"), "mastercard": (1, "critical")}
    assert found.set_index("subject").loc["visa", "link"] == "/disputes-calendar?networks=visa"


def test_evaluation_refuses_to_go_back_in_time(world):
    alerts.evaluate(world, T0)
    alerts.evaluate(world, T0)  # the same time again is fine
    with pytest.raises(OpsError, match="already evaluated up to"):
        alerts.evaluate(world, T0 - hours(1))
