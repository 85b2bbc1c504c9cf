"""Break and dispute KPIs say "not available yet" instead of failing: when their tables are
missing (a database from before those migrations) or hold nothing yet."""

from __future__ import annotations

import pytest

from ops_core.kpis import BY_KEY, KPIS, weekly_report
from ops_core.kpis.compute import rows_behind
from ops_core.kpis.export import to_csv, to_xlsx
from ops_core.kpis.summary import render
from tests.kpis.conftest import NOW, W46

RECON = [k.key for k in KPIS if k.section == "Reconciliation"]
DISPUTES = [k.key for k in KPIS if k.section == "Disputes"]


def test_empty_tables_are_not_available_yet(ledger_only):
    s = weekly_report(ledger_only.cursor(), W46, NOW).summary().set_index("kpi")
    for key in RECON:
        assert s.loc[key, "note"] == (
            "not available yet: no reconciliation run has been recorded yet"
        )
    for key in DISPUTES:
        assert s.loc[key, "note"] == "not available yet: no dispute case has been recorded yet"
    assert s.loc[RECON + DISPUTES, "status"].eq("no data").all()
    assert s.loc["volume"].available.all()


@pytest.fixture
def no_recon_tables(ledger_only):
    cur = ledger_only.cursor()
    cur.execute("DROP VIEW recon_ledger_state")  # a view over 051's state tables
    for table in ("recon_breaks", "recon_runs"):
        cur.execute(f"DROP TABLE {table}")
    return ledger_only


def test_missing_tables_are_not_available_yet(no_recon_tables):
    cur = no_recon_tables.cursor()
    report = weekly_report(cur, W46, NOW)
    s = report.summary().set_index("kpi")
    assert s.loc["break_rate", "note"] == (
        "not available yet: this database has no recon_breaks, recon_ledger_state, recon_runs table"
    )
    assert rows_behind(cur, "open_breaks", W46, NOW).empty
    # the exports still come out whole
    assert "not available yet" in to_csv(report)
    assert to_xlsx(report)[:2] == b"PK"
    pdf, png = render(report)
    assert pdf.startswith(b"%PDF") and png.startswith(b"\x89PNG")


def test_every_kpi_that_needs_tables_names_a_probe():
    from ops_core.kpis.definitions import PROBES

    assert all(k.needs in PROBES for k in BY_KEY.values() if k.needs)
