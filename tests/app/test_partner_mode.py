"""Partner screen-share mode (issue 8) through the real router: the scope comes from a link
(?partner=ID) or the sidebar picker; every page then shows one partner's data, masked."""

from __future__ import annotations

import re

import pytest

from ops_core.access import DEMO_USER
from ops_core.demo.catalog import CLIENTS, PARTNERS
from tests.app.conftest import run_page

PARTNER = "LAKESHORE"
OTHER_PARTNER_NAMES = [name for pid, name, *_ in PARTNERS if pid != PARTNER]
CLIENT_NAMES = [c[1] for c in CLIENTS]
CLIENT_IDS = [c[0] for c in CLIENTS]
PSEUDONYM = re.compile(r"^Client [0-9A-F]{4}$")


def scoped(at, partner: str = PARTNER):
    at.session_state["user"] = DEMO_USER.scoped_to(partner)
    return at


def frames(at):
    return [d.value for d in at.dataframe]


def frame_with(at, column: str):
    return next(df for df in frames(at) if column in df.columns)


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    parts += [str(df.to_csv()) for df in frames(at)]
    parts += [str(o) for s in at.multiselect for o in s.options]
    return "\n".join(parts)


def assert_nothing_foreign(at) -> None:
    page = texts(at)
    for name in OTHER_PARTNER_NAMES + CLIENT_NAMES:
        assert name not in page, name


def open_link(at, **params):
    """A link opened in a browser: the session's first run carries the parameters."""
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_link_scopes_the_session_and_shows_the_banner(app):
    open_link(app, partner=PARTNER)
    user = app.session_state["user"]
    assert user.partner == PARTNER
    banner = " ".join(w.value for w in app.warning)
    assert "Partner view: Lakeshore Bank" in banner
    assert "personal data masked" in banner
    assert any(b.label == "Leave partner view" for b in app.button)


def test_leaving_restores_the_full_view(app):
    open_link(app, partner=PARTNER)
    app.button(key="leave_partner_banner").click().run()
    assert app.session_state["user"].partner is None
    assert not any("Partner view" in w.value for w in app.warning)
    assert "partner" not in app.query_params and "partner_view" not in app.query_params


def test_a_later_partner_parameter_does_not_scope_the_session(app):
    """Partner scorecards put ?partner=ID in the URL for the partner they show."""
    open_link(app)
    run_page(app, "pages/overview.py", partner=PARTNER)
    assert app.session_state["user"].partner is None


def test_a_scoped_session_keeps_partner_view_in_the_url(app):
    open_link(app, partner=PARTNER)
    assert app.query_params["partner_view"] in (PARTNER, [PARTNER])
    run_page(app, "pages/rail_health.py")
    assert app.query_params["partner_view"] in (PARTNER, [PARTNER])


def test_partner_view_parameter_also_scopes(app):
    open_link(app, partner_view=PARTNER)
    assert app.session_state["user"].partner == PARTNER


def test_unknown_partner_link_keeps_the_full_view(app):
    open_link(app, partner="NOPE")
    assert app.session_state["user"].partner is None


def test_sidebar_picker_enters_partner_view(app):
    open_link(app)
    app.sidebar.selectbox(key="_partner_picker").select("MERIDIAN").run()
    assert app.session_state["user"].partner == "MERIDIAN"
    assert "Partner view: Meridian Trust" in " ".join(w.value for w in app.warning)


def test_scoped_navigation_hides_unfiltered_pages():
    from ui.access import HIDDEN_FOR_PARTNERS, visible_pages

    class P:
        def __init__(self, url_path):
            self.url_path = url_path

    pages = {"A": [P("overview"), P("kpis")], "B": [P("import")]}
    assert visible_pages(pages, DEMO_USER) is pages
    shown = visible_pages(pages, DEMO_USER.scoped_to(PARTNER))
    assert [p.url_path for ps in shown.values() for p in ps] == ["overview", "kpis"]
    assert "import" in HIDDEN_FOR_PARTNERS  # it writes
    safe = {"kpis", "alerts", "incidents", "reconciliation", "breaks", "break"}
    safe |= {"disputes-analytics"}
    assert not safe & HIDDEN_FOR_PARTNERS  # filtered and masked in ops_core now


def test_a_scoped_login_cannot_leave(app):
    scoped(app)
    run_page(app, "pages/overview.py")
    assert not [b for b in app.button if b.label == "Leave partner view"]
    assert "limited to this partner" in " ".join(w.value for w in app.warning)


def test_overview_shows_only_the_partners_rails(app):
    scoped(app)
    run_page(app, "pages/overview.py")
    tiles = [m.value for m in app.markdown if m.value.startswith("#### ")]
    assert tiles, "no rail tiles"
    # Lakeshore carries ACH and RTP only (ops_core.demo.catalog.RAIL_SHAPES)
    assert all(("ACH" in t or "RTP" in t or "Real-Time" in t) for t in tiles), tiles
    assert_nothing_foreign(app)


def test_rail_health_breakdown_has_one_partner_and_pseudonymous_clients(app):
    scoped(app)
    run_page(app, "pages/rail_health.py", start="2026-11-14", end="2026-11-20")
    by_partner, by_client = frame_with(app, "partner"), frame_with(app, "client")
    assert set(by_partner.partner) == {"Lakeshore Bank"}
    assert len(by_client) and all(PSEUDONYM.match(c) for c in by_client.client)
    assert set(app.multiselect[1].options) == {"Lakeshore Bank"}
    assert all(PSEUDONYM.match(o) for o in app.multiselect[2].options)
    assert_nothing_foreign(app)


def test_rail_health_payments_are_masked(app):
    scoped(app)
    run_page(app, "pages/rail_health.py", start="2026-11-20", end="2026-11-20", payments="1")
    pay = frame_with(app, "payment_id")
    assert len(pay) and set(pay.partner_id) == {PARTNER}
    assert all(PSEUDONYM.match(c) for c in pay.client_id)
    names = pay.counterparty_name.dropna()
    assert len(names) and all(n.startswith("••••") and len(n) <= 8 for n in names)
    assert_nothing_foreign(app)


def test_client_filter_by_pseudonym_still_filters(app):
    scoped(app)
    run_page(app, "pages/rail_health.py", start="2026-11-14", end="2026-11-20")
    alias = frame_with(app, "client").client.iloc[0]  # a client with payments in the view
    assert alias in app.multiselect[2].options
    run_page(app, "pages/rail_health.py", start="2026-11-14", end="2026-11-20", clients=alias)
    assert set(frame_with(app, "client").client) == {alias}
    assert app.query_params["clients"] in (alias, [alias])  # the real id stays off the URL


@pytest.mark.parametrize(
    "page", ["pages/dispute_calendar.py", "pages/dispute_case.py", "pages/routing.py"]
)
def test_other_pages_show_nothing_foreign(app, page):
    scoped(app)
    run_page(app, page)
    assert_nothing_foreign(app)


def test_dispute_case_in_partner_view_is_read_only_and_masked(app, demo_db):
    from ops_core.disputes import board

    mine = sorted(board.partner_cases(demo_db.cursor(), PARTNER))
    scoped(app)
    run_page(app, "pages/dispute_case.py", case=str(mine[0]))
    assert app.title[0].value.startswith(f"Case {mine[0]}")
    assert not app.get("form") and not app.button, "no edits in a partner view"
    assert_nothing_foreign(app)
    other = demo_db.cursor().execute("SELECT max(case_id) FROM dispute_cases").fetchone()[0]
    if other not in mine:
        run_page(app, "pages/dispute_case.py", case=str(other))
        assert any("no dispute case" in e.value for e in app.error)


# ---- the pages that filter in ops_core (reconciliation, alerts, incidents, weekly KPIs) ----
MASKED = re.compile(r"^••••.{0,4}$")


def no_edit_controls(at) -> None:
    assert not at.get("form"), "no forms in a partner view"
    labels = {b.label for b in at.button} - {"Leave partner view", "Reload"}
    assert not labels, labels


@pytest.mark.parametrize(
    "page",
    [
        "pages/reconciliation.py",
        "pages/break_queue.py",
        "pages/break_detail.py",
        "pages/alerts.py",
        "pages/incidents.py",
        "pages/weekly_kpis.py",
        "pages/scorecards.py",
        "pages/dispute_analytics.py",
    ],
)
def test_unhidden_pages_show_nothing_foreign(app, page):
    scoped(app, "MERIDIAN")
    run_page(app, page)
    page_text = texts(app)
    for name in [n for pid, n, *_ in PARTNERS if pid != "MERIDIAN"] + CLIENT_NAMES:
        assert name not in page_text, (page, name)
    assert "Database:" not in " ".join(c.value for c in app.sidebar.caption)
    if page != "pages/scorecards.py":
        no_edit_controls(app)


def test_reconciliation_is_the_partners_only(app, demo_db):
    scoped(app, "MERIDIAN")
    run_page(app, "pages/reconciliation.py", start="2026-11-01", end="2026-11-20")
    rails = sorted(o.split(" ")[0] for o in app.multiselect[0].options)
    assert rails == ["ACH", "FedNow", "RTP"]  # Meridian's rails
    breaks = next(d.value for d in app.dataframe if {"break", "SLA"} <= set(d.value.columns))
    assert all("partner_view=MERIDIAN" in link for link in breaks["break"])  # new tab stays
    balances = frame_with(app, "bank")
    assert set(balances.bank) == {"MERIDIAN"} and all(MASKED.match(a) for a in balances.account)
    assert not any(b.label == "Run now" for b in app.button)


def test_break_queue_counts_the_partners_breaks(app, demo_db):
    expected = (
        demo_db.cursor()
        .execute(
            "SELECT count(*) FROM recon_breaks WHERE partner_id = 'MERIDIAN'"
            " AND status IN ('open', 'investigating', 'escalated')"
        )
        .fetchone()[0]
    )
    scoped(app, "MERIDIAN")
    run_page(app, "pages/break_queue.py")
    queue = frame_with(app, "what differs")
    assert len(queue) == expected > 0
    assert set(queue.partner) == {"MERIDIAN"}
    assert all(MASKED.match(a) for a in queue.assignee if a != "–")
    assert not any(t.value.startswith("Bulk actions") for t in app.subheader)


def test_a_foreign_break_link_says_not_found(app, demo_db):
    cur = demo_db.cursor()
    other = cur.execute("SELECT min(break_id) FROM recon_breaks WHERE partner_id <> 'MERIDIAN'")
    other = other.fetchone()[0]
    scoped(app, "MERIDIAN")
    run_page(app, "pages/break_detail.py", **{"break": str(other)})
    assert [e.value for e in app.error] == [f"Break {other} not found in this view."]
    assert_nothing_foreign_of(app, "MERIDIAN")


def test_an_own_break_is_shown_masked_and_read_only(app, demo_db):
    cur = demo_db.cursor()
    mine, account = cur.execute(
        "SELECT break_id, account FROM recon_breaks WHERE partner_id = 'MERIDIAN'"
        " AND account IS NOT NULL ORDER BY break_id LIMIT 1"
    ).fetchone()
    scoped(app, "MERIDIAN")
    run_page(app, "pages/break_detail.py", **{"break": str(mine)})
    assert app.title[0].value.startswith(f"Break {mine}:")
    no_edit_controls(app)
    assert account not in texts(app)
    ledger = frame_with(app, "counterparty_name")
    assert all(MASKED.match(n) for n in ledger.counterparty_name.dropna())
    assert all(PSEUDONYM.match(c) for c in ledger.client)
    assert_nothing_foreign_of(app, "MERIDIAN")


def test_weekly_kpis_in_a_partner_view(app):
    scoped(app)
    run_page(app, "pages/weekly_kpis.py", week="2026-W46")
    rails = sorted(o.split(" ")[0] for o in app.multiselect[0].options)
    assert rails == ["ACH", "RTP"]  # Lakeshore's rails
    badges = " ".join(str(b.proto) for b in app.get("badge"))
    assert "Company-wide: not in a partner view" in badges or any(
        "Company-wide figures" in i.value for i in app.info
    )
    assert_nothing_foreign(app)


def test_weekly_kpis_count_only_the_partners_payments(app, demo_db):
    from datetime import UTC, datetime

    from ops_core.kpis import IsoWeek, Scope, weekly_report

    cur = demo_db.cursor()
    week = IsoWeek.parse("2026-W46")
    now = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
    scoped_report = weekly_report(cur, week, now, Scope(partner=PARTNER), keys=("volume",))
    volume = scoped_report.summary().set_index("series").this_week
    expected = cur.execute(
        "SELECT sum(payments) FROM rollup_hourly WHERE partner_id = ? AND hour >= ? AND hour < ?",
        [PARTNER, week.start, week.end],
    ).fetchone()[0]
    assert volume["all"] == expected > 0
    assert set(volume.index) == {"all", "ACH", "RTP"}
    full = weekly_report(cur, week, now, Scope(), keys=("volume",))
    assert full.summary().set_index("series").this_week["all"] > expected
    out = weekly_report(cur, week, now, Scope(partner=PARTNER), keys=("ach_overall_rate",))
    assert not out.results[0].available and "partner view" in out.results[0].reason


def test_kpi_exports_in_a_partner_view_are_its_rails_only(demo_db):
    from datetime import UTC, datetime

    from ops_core.kpis import IsoWeek, Scope, weekly_report
    from ops_core.kpis.export import to_csv, to_xlsx

    week, now = IsoWeek.parse("2026-W46"), datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
    report = weekly_report(demo_db.cursor(), week, now, Scope(partner=PARTNER))
    csv = to_csv(report)
    assert "ACH" in csv and "RTP" in csv
    for rail in ("FedNow", "SPEI", "UPI", "USDC", "Visa Direct", "Mastercard Move"):
        assert rail not in csv, rail
    assert "partner view" in csv  # the company-wide KPIs say why they are empty
    full = to_csv(weekly_report(demo_db.cursor(), week, now, Scope()))
    assert "FedNow" in full
    assert to_xlsx(report)[:2] == b"PK"


def assert_nothing_foreign_of(at, partner: str) -> None:
    page = texts(at) + " ".join(t.value for t in at.title)
    for name in [n for pid, n, *_ in PARTNERS if pid != partner] + CLIENT_NAMES:
        assert name not in page, name


def test_dispute_analytics_names_clients_by_pseudonym_only(app):
    scoped(app)
    run_page(app, "pages/dispute_analytics.py", start="2026-08-01", end="2026-11-20")
    clients = [v for df in frames(app) if "client" in df.columns for v in df.client]
    assert clients and all(PSEUDONYM.match(c) for c in clients), clients[:5]
    assert_nothing_foreign(app)
    page = texts(app)
    assert not [c for c in CLIENT_IDS if re.search(rf"\b{c}\b", page)]


@pytest.mark.parametrize("partner", ["MASTERCARD", "KEYSTONE"])
def test_dispute_analytics_of_a_partner_with_no_ach_debits(app, partner):
    scoped(app, partner)
    run_page(app, "pages/dispute_analytics.py", start="2026-08-01", end="2026-11-20")
    assert "No ACH debits in the lookback window." in [i.value for i in app.info]
    assert_nothing_foreign_of(app, partner)
