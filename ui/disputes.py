"""Streamlit glue for the dispute pages: cached reads, saves that survive concurrent edits,
and the small renderers the three pages share (grid cells, agenda rows, case sections)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ops_core import rollups
from ops_core.access import User
from ops_core.disputes import analytics, board, cases, ics, intake, lifecycle, rules
from ops_core.disputes.deadlines import urgency
from ops_core.errors import OpsError
from ui import access, data, feedback, fmt

NETWORK_LABEL = {"visa": "Visa", "mastercard": "Mastercard", "nacha": "Nacha ACH", "reg_e": "Reg E"}
NETWORK_BADGE = {
    "visa": ":blue-badge[VISA]",
    "mastercard": ":violet-badge[MC]",
    "nacha": ":green-badge[ACH]",
    "reg_e": ":gray-badge[REG E]",
}
URGENCY_ICON = {
    "missed": ":red[:material/error:]",
    "overdue": ":red[:material/warning:]",
    "due_soon": ":orange[:material/schedule:]",
    "upcoming": ":blue[:material/event:]",
    "watch": ":gray[:material/visibility:]",
}
URGENCY_LABEL = {
    "missed": "network deadline missed",
    "overdue": "past the team's date",
    "due_soon": "due within 3 days",
    "upcoming": "later",
    "watch": "counterparty's window",
}
OUTCOME_COLOR = {"won": "green", "lost": "red", "accepted": "gray", "expired": "red"}
CASE_PAGE = "pages/dispute_case.py"
CALENDAR_PAGE = "pages/dispute_calendar.py"
FLASH = "_dispute_flash"


# ---- cached reads (keyed on the data version, STYLE.md) ----
@st.cache_data(show_spinner=False)
def deadlines(
    data_version_: int, start: date, end: date, today: date, partner: str | None = None
) -> pd.DataFrame:
    return board.board(data.cursor(), start, end, today, partner)


@st.cache_data(show_spinner=False)
def case_detail(
    data_version_: int, case_id: int, partner: str | None = None
) -> board.CaseDetail | None:
    return board.case_detail(data.cursor(), case_id, partner)


@st.cache_data(show_spinner=False)
def case_list(data_version_: int, open_only: bool, partner: str | None = None) -> pd.DataFrame:
    return board.case_list(data.cursor(), open_only, partner)


@st.cache_data(show_spinner=False)
def payment(data_version_: int, payment_id: int) -> pd.DataFrame:
    return data.cursor().execute("SELECT * FROM payments WHERE payment_id = ?", [payment_id]).df()


@st.cache_data(show_spinner=False)
def analytics_bundle(
    data_version_: int, start: datetime, end: datetime, partner: str | None = None
) -> dict:
    """``partner``: a partner's screen-share view (its payments and cases, clients by
    pseudonym: ops_core.disputes.analytics)."""
    cur = data.cursor()
    names = analytics.client_names(cur, partner)
    returns = analytics.ach_return_rates(cur, end, partner=partner)
    rates = analytics.dispute_rates(cur, start, end, partner)
    concentration = analytics.reason_concentration(cur, start, end, partner)
    return {
        "names": names,
        "returns": returns,
        "rates": rates,
        "concentration": concentration,
        "cards": analytics.card_ratios(cur, end, partner=partner),
        "findings": analytics.upstream_patterns(rates, concentration, returns, names),
    }


# ---- saves ----
def held(case_id: int, detail: board.CaseDetail) -> dict:
    """The versions this session opened the case (and its checklist) at. Saves are checked
    against them, so a change someone else made meanwhile is refused with a ConflictError
    naming it, never overwritten. Refreshed after this session's own save or a reload."""
    key = f"_dispute_held_{case_id}"
    if key not in st.session_state:
        st.session_state[key] = {
            "case": int(detail.case["version"]),
            "evidence": dict(
                zip(detail.evidence.evidence_id, detail.evidence.version, strict=True)
            ),
        }
    return st.session_state[key]


def reload(case_id: int) -> None:
    st.session_state.pop(f"_dispute_held_{case_id}", None)
    st.cache_data.clear()


def save(case_id: int, action: Callable[[duckdb.DuckDBPyConnection], object], done: str) -> None:
    """Run one audited edit in a transaction; report a conflict or a refused move."""

    def write() -> dict:
        with data.database().transaction() as cur:
            action(cur)
            rollups.bump_version(cur)
            return _snapshot(cur, case_id)

    ok, snapshot = feedback.attempt(FLASH, write)
    if ok:
        st.session_state[f"_dispute_held_{case_id}"] = snapshot
        feedback.done(FLASH, done)
    st.rerun()


def _snapshot(cur: duckdb.DuckDBPyConnection, case_id: int) -> dict:
    version = cur.execute(
        "SELECT version FROM dispute_cases WHERE case_id = ?", [case_id]
    ).fetchone()[0]
    items = cur.execute(
        "SELECT evidence_id, version FROM dispute_evidence WHERE case_id = ?", [case_id]
    ).fetchall()
    return {"case": version, "evidence": dict(items)}


def flash() -> None:
    feedback.show(FLASH)


def data_now_date(tz: str) -> date:
    return fmt.pd_local_date(data.now(), tz)


# ---- calendar ----
SHORT_REASON = {
    "unauthorized_transfer": "unauthorized",
    "incorrect_amount": "wrong amount",
    "omitted_transfer": "omitted",
    "computational_error": "computation",
}


def deadline_label(r, reason: bool = True) -> str:
    text = f"{URGENCY_ICON[r.urgency]} **#{r.case_id}** {NETWORK_BADGE[r.network]}"
    return f"{text} {SHORT_REASON.get(r.reason_code, r.reason_code)}" if reason else text


def deadline_help(r) -> str:
    return (
        f"{r.action} ({r.client}, {r.stage_label}). Team date {r.internal_due}, processor "
        f"{r.processor_due}, network {r.network_due}; rule {r.rule_id}"
        f"{' (uncertain)' if r.uncertain else ''}."
    )


def month_grid(df: pd.DataFrame, weeks: list[list[date]], month: int, today: date) -> None:
    """A Monday-first month grid: each deadline on the team's due day, linked to its case."""
    head = st.columns(7)
    for col, name in zip(head, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True):
        col.markdown(f"**{name}**")
    by_day = {d: g for d, g in df.groupby("internal_due")} if not df.empty else {}
    for week in weeks:
        for col, day in zip(st.columns(7), week, strict=True):
            with col.container(border=True, height=168):
                _day_cell(day, by_day.get(day), month, today)


def _day_cell(day: date, items: pd.DataFrame | None, month: int, today: date) -> None:
    label = f"{day.day}" if day.month == month else f":gray[{day:%b} {day.day}]"
    if day == today:
        label = f":blue-background[**{day.day} · today**]"
    st.page_link(
        CALENDAR_PAGE,
        label=label,
        query_params={"month": f"{day:%Y-%m}", "day": day.isoformat()},
    )
    if items is None:
        return
    for r in items.head(3).itertuples():
        st.page_link(
            CASE_PAGE,
            label=deadline_label(r, reason=False),
            help=deadline_help(r),
            query_params={"case": str(r.case_id)},
        )
    if len(items) > 3:
        st.caption(f"+{len(items) - 3} more: open the day")


def agenda(df: pd.DataFrame, tz: str, title: str) -> None:
    st.subheader(title)
    if df.empty:
        st.info("Nothing due.")
        return
    for r in df.itertuples():
        cols = st.columns([2.4, 5, 2])
        cols[0].page_link(CASE_PAGE, label=deadline_label(r), query_params={"case": str(r.case_id)})
        flag = " · :orange[⚠️ uncertain rule]" if r.uncertain else ""
        cols[1].markdown(f"{r.action} — {r.client} · {r.stage_label}{flag}", help=r.source)
        if r.party == "us":
            # the processor's line only where it asks for an earlier date than the network
            processor = (
                f":orange[processor {r.processor_due:%a %d %b}]  \n"
                if r.processor_due != r.network_due
                else ""
            )
            cols[2].markdown(
                f"team **{r.internal_due:%a %d %b}**  \n{processor}"
                f":gray[network {r.network_due:%a %d %b}]"
            )
        else:
            cols[2].markdown(f"window ends **{r.network_due:%a %d %b}**")


def ics_bytes(df: pd.DataFrame) -> bytes:
    stamp = datetime.now(UTC).replace(microsecond=0)
    return ics.calendar_text(ics.deadline_events(df), stamp).encode()


# ---- case page ----
def case_picker(df: pd.DataFrame) -> None:
    st.subheader("Open cases")
    if df.empty:
        st.info("No open dispute cases.")
        return
    show = df.assign(
        # a link opens a new session: a partner view keeps its scope through ?partner=
        link=[f"/dispute?case={c}{access.partner_link()}" for c in df.case_id],
        amount=fmt.money_column(df, compact=False, column="amount_disputed_minor"),
    )[["link", "network", "reason_code", "client", "stage", "status", "next_due", "amount"]]
    st.dataframe(
        show,
        hide_index=True,
        width="stretch",
        column_config={"link": st.column_config.LinkColumn("case", display_text=r"case=(\d+)")},
    )


def open_case_form(version: int, actor: User, now: datetime) -> None:
    """Open a case by hand from a ledger payment: the network follows from its rail."""
    st.subheader("Open a case from a payment")
    pid = st.number_input("Payment id", min_value=1, step=1, value=None, placeholder="e.g. 296750")
    if pid is None:
        return
    p = payment(version, int(pid))
    if p.empty:
        st.error(f"Payment {int(pid)} does not exist.")
        return
    pay = p.iloc[0]
    try:
        network = intake.network_for(pay.rail_id, pay.dc)
    except OpsError as exc:
        st.error(str(exc))
        return
    st.caption(
        f"{pay.rail_id} {pay.direction} {pay.txn_type or ''} · {pay.client_id} · "
        f"{fmt.money(pay.amount_minor, pay.currency, False)} · {pay.status} · "
        f"dispute network: **{NETWORK_LABEL[network]}**"
    )
    codes = {
        c: r.title
        for (n, c), r in rules.reasons().items()
        if n == network and (pay.direction != "push" or r.push_allowed)
    }
    with st.form("open_case"):
        code = st.selectbox("Reason code", list(codes), format_func=lambda c: f"{c} {codes[c]}")
        stage = st.selectbox(
            "Stage", lifecycle.ENTRY_STAGES[network], format_func=lifecycle.STAGE_LABELS.get
        )
        new_account = st.checkbox("Reg E: new account (20 business days / 90 days)")
        if st.form_submit_button("Open case"):
            try:
                with data.database().transaction() as cur:
                    case_id = intake.open_from_payment(
                        cur,
                        int(pid),
                        reason_code=code,
                        stage=stage,
                        actor=actor,
                        opened_at=now,
                        new_account=new_account,
                    )
                    rollups.bump_version(cur)
            except OpsError as exc:
                st.error(f"Not opened: {exc}")
                return
            st.session_state[FLASH] = ("success", f"Case {case_id} opened.")
            st.switch_page(CASE_PAGE, query_params={"case": str(case_id)})


def case_header(case: dict) -> None:
    reason = rules.reasons().get((case["network"], case["reason_code"]))
    title = reason.title if reason else case["reason_code"]
    st.title(f"Case {case['case_id']}: {NETWORK_LABEL[case['network']]} {case['reason_code']}")
    st.caption(
        f"{title} · {case['client']} · {case['rail_id']} {case['txn_type'] or ''} · "
        f"ref {case['external_ref'] or '–'} · source {case['source']}"
    )
    status = lifecycle.STATUS_LABELS[case["status"]]
    outcome = (
        f" :{OUTCOME_COLOR[case['outcome']]}-badge[{case['outcome']}]" if case["outcome"] else ""
    )
    st.markdown(
        f"**Stage** :blue-badge[{lifecycle.STAGE_LABELS[case['stage']]}] since "
        f"{_d(case['stage_started_on'])} · **Status** :orange-badge[{status}]{outcome} · "
        f"**Rights** {case['rights']} ({case['direction'] or '–'}) · "
        f"**Rule category** {case['rule_category']}"
    )
    cols = st.columns(3)
    cols[0].metric("Disputed", fmt.money(case["amount_disputed_minor"], case["currency"], False))
    cols[1].metric("Recovered", fmt.money(case["amount_recovered_minor"], case["currency"], False))
    cols[2].metric("Assignee", case["assignee"] or "–")
    if case["rights"] == "limited":
        st.warning(
            "Push-to-card (OCT) payment: limited dispute rights. Only Visa 13.8 'Original Credit"
            " Transaction Not Accepted' applies; no fraud chargeback on a credit (domain.md §6.5).",
            icon=":material/info:",
        )


def deadline_table(dl: pd.DataFrame, today: date) -> None:
    if dl.empty:
        st.info("No deadline rule applies to this stage.")
        return
    soon = rules.settings().due_soon_days
    state = [
        ("late" if late else "met")
        if party == "check"
        else (
            ("done late" if late is True else "done")
            if not pd.isna(done)
            else deadlines_urgency(party, i, n, today, soon)
        )
        for party, done, late, i, n in zip(
            dl.party, dl.done_at, dl.late, dl.internal_due, dl.network_due, strict=True
        )
    ]
    show = pd.DataFrame(
        {
            "stage": dl.stage.map(lifecycle.STAGE_LABELS),
            "who": dl.party.map(PARTY_LABEL),
            "team due": [str(_d(v)) for v in dl.internal_due],
            "processor due": [str(_d(v)) for v in dl.processor_due],
            "network due": [str(_d(v)) for v in dl.network_due],
            "state": state,
            "action": dl.action,
            "counted from": [str(_d(v)) for v in dl.start_on],
            "rule": dl.rule_id,
            "uncertain": dl.uncertain.map({True: "⚠️ yes", False: ""}),
            "source": dl.source,
        }
    )
    st.dataframe(show, hide_index=True, width="stretch")
    buffer = rules.settings().internal_buffer_banking_days
    st.caption(
        "Network due: the network's or regulation's deadline. Processor due: the acquirer's or"
        " processor's own earlier date for our answers (reference/dispute_processor_offsets.csv,"
        f" domain.md §6.2). Team due: {buffer} banking days before the processor's."
    )


PARTY_LABEL = {"us": "us", "counterparty": "counterparty", "check": "check on them"}


def deadlines_urgency(party: str, internal, network, today: date, soon: int) -> str:
    return URGENCY_LABEL[urgency(party, _d(internal), _d(network), today, soon)]


def _d(value) -> date:
    return pd.Timestamp(value).date()


def payment_section(p: pd.DataFrame, tz: str) -> None:
    if p.empty:
        st.info("This case is not linked to a ledger payment.")
        return
    first = p.iloc[0]
    st.markdown(
        f"Payment **{first.payment_id}** · {first.rail_id} via {first.partner_id} · "
        f"{first.direction} {first.txn_type or ''} · "
        f"{fmt.money(first.amount_minor, first.currency, False)} · now **{first.payment_status}**"
        f"{' ' + first.code if isinstance(first.code, str) else ''} · to {first.counterparty_name}"
    )
    events = p.dropna(subset=["event_status"])
    show = pd.DataFrame(
        {
            f"when ({tz})": [fmt.local(t, tz, "%Y-%m-%d %H:%M:%S") for t in events.event_at],
            "status": events.event_status,
            "code": events.event_code.fillna(""),
        }
    )
    st.dataframe(show, hide_index=True, width="stretch")


def timeline(df: pd.DataFrame, tz: str) -> None:
    show = df.assign(when=[fmt.local(t, tz) for t in df.event_at])[
        ["when", "actor", "kind", "stage", "detail"]
    ]
    st.dataframe(show.rename(columns={"when": f"when ({tz})"}), hide_index=True, width="stretch")


def audit_trail(df: pd.DataFrame, tz: str) -> None:
    if df.empty:
        st.caption("No edits yet.")
        return
    show = df.assign(when=[fmt.local(t, tz, "%Y-%m-%d %H:%M:%S") for t in df.event_at])
    show = show[["when", "actor", "field", "old_value", "new_value"]].iloc[::-1]
    st.dataframe(show, hide_index=True, width="stretch")


EVIDENCE_STATUSES = ["missing", "requested", "received", "submitted", "not_applicable"]


def evidence_form(
    case_id: int, ev: pd.DataFrame, versions: dict, actor: User, closed: bool
) -> None:
    """One status per checklist item; each item saves with its own version check."""
    if ev.empty:
        st.info("No checklist for this reason code.")
        return
    with st.form(f"evidence_{case_id}"):
        picked = {}
        for r in ev.itertuples():
            picked[r.evidence_id] = st.selectbox(
                f"{r.item}{' (required)' if r.required else ''}",
                EVIDENCE_STATUSES,
                EVIDENCE_STATUSES.index(r.status),
                key=f"ev_{case_id}_{r.evidence_id}",
                disabled=closed,
            )
        if st.form_submit_button("Save checklist", disabled=closed):
            now = dict(zip(ev.evidence_id, ev.status, strict=True))
            changed = {k: v for k, v in picked.items() if v != now[k]}
            save(
                case_id,
                lambda cur: _save_evidence(cur, changed, versions, actor),
                f"Checklist saved ({len(changed)} item(s) changed).",
            )


def _save_evidence(cur, changed: dict, versions: dict, actor: User) -> None:
    for evidence_id, status in changed.items():
        cases.set_evidence(
            cur,
            int(evidence_id),
            expected_version=int(versions.get(evidence_id, 1)),
            status=status,
            actor=actor,
        )


# ---- analytics ----
FINDING_ICON = {
    "nacha": ":material/gpp_maybe:",
    "client": ":material/person_alert:",
    "cohort": ":material/group:",
    "reason": ":material/pin_drop:",
}
DIMENSIONS = {
    "client": "Client",
    "rail": "Rail",
    "txn_type": "Transaction type",
    "reason": "Reason",
    "network": "Network",
    "cohort": "Onboarding cohort",
}


RATES_ORDER = ("unauthorized", "administrative", "overall")


def return_rates(df: pd.DataFrame) -> None:
    """Per client: the three rates by both methods, breaches flagged, plus a chart of the
    unauthorized rate against its 0.5 % line."""
    if df.empty:
        st.info("No ACH debits in the lookback window.")
        return
    wide = df.pivot_table(
        index=["client", "debit_entries"],
        columns=["rate", "method"],
        values="rate_pct",
        aggfunc="first",
    )
    wide = wide[[(r, m) for r in RATES_ORDER for m in (1, 2) if (r, m) in wide.columns]]
    wide.columns = [f"{rate} m{method} %" for rate, method in wide.columns]
    breaches = (
        df[df.breach]
        .groupby("client")
        .apply(
            lambda g: ", ".join(f"{r} m{m}" for r, m in zip(g.rate, g.method, strict=True)),
            include_groups=False,
        )
    )
    wide = wide.reset_index()
    wide.insert(1, "breach", wide.client.map(breaches).fillna(""))
    order = wide.assign(_b=wide.breach != "").sort_values(
        ["_b", "unauthorized m1 %"], ascending=[False, False]
    )
    wide = order.drop(columns="_b")
    limits = df.drop_duplicates("rate").set_index("rate").threshold_pct

    def flag(col):
        rate = col.name.split(" ")[0]
        if rate not in limits:
            return [""] * len(col)
        return ["background-color: #f8d7da" if v > limits[rate] else "" for v in col]

    st.dataframe(
        wide.style.apply(flag, subset=[c for c in wide.columns if c.endswith("%")]).format(
            "{:.3f}", subset=[c for c in wide.columns if c.endswith("%")]
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        "Thresholds: "
        + ", ".join(f"{r} {v:g}%" for r, v in limits.items())
        + ". A red cell is over its threshold."
    )
    st.plotly_chart(_unauthorized_chart(df), width="stretch")


def _unauthorized_chart(df: pd.DataFrame) -> go.Figure:
    u = df[df.rate == "unauthorized"]
    fig = go.Figure()
    for method, g in u.groupby("method"):
        fig.add_bar(x=g.client, y=g.rate_pct, name=f"method {method}")
    limit = float(u.threshold_pct.iloc[0])
    fig.add_hline(
        y=limit,
        line_dash="dash",
        line_color="#d62728",
        annotation_text=f"Nacha {limit:g}%",
        annotation_position="top left",
    )
    fig.update_layout(
        title="Unauthorized return rate by client (%)",
        height=300,
        barmode="group",
        margin=dict(l=10, r=10, t=40, b=10),
        legend=dict(orientation="h", y=1.12, x=0.6),
    )
    return fig


CARD_COLUMNS = [
    "client",
    "network",
    "payments",
    "disputes",
    "ratio",
    "pulls",
    "pull_disputes",
    "pull_ratio",
    "pushes",
    "push_disputes",
    "push_ratio",
    "fraud_disputes",
]


def card_ratios(df: pd.DataFrame) -> None:
    if df.empty:
        st.info("No card payments in the last 30 days.")
        return
    show = df.assign(
        network=df.network.map(NETWORK_LABEL),
        ratio=df.ratio.map(lambda v: fmt.pct(v, 3)),
        pull_ratio=df.pull_ratio.map(lambda v: fmt.pct(v, 2)),
        push_ratio=df.push_ratio.map(lambda v: fmt.pct(v, 3)),
    ).sort_values(["disputes", "client"], ascending=[False, True])
    st.dataframe(
        show[CARD_COLUMNS],
        hide_index=True,
        width="stretch",
    )


def rate_tabs(df: pd.DataFrame, names: dict[str, str]) -> None:
    tabs = st.tabs(list(DIMENSIONS.values()))
    for tab, dim in zip(tabs, DIMENSIONS, strict=True):
        with tab:
            part = df[df.dimension == dim]
            if part.empty:
                st.info("No disputes in this period.")
                continue
            value = part.value.map(names).fillna(part.value) if dim == "client" else part.value
            show = pd.DataFrame(
                {
                    DIMENSIONS[dim]: [
                        ("⚑ " if s else "") + str(v)
                        for v, s in zip(value, part.stands_out, strict=True)
                    ],
                    "payments": part.payments,
                    "disputes": part.disputes,
                    "dispute rate": part.dispute_rate.map(lambda v: fmt.pct(v, 3)),
                    "lift": part.lift.map(lambda v: "–" if fmt.missing(v) else f"{v:.1f}×"),
                    "share of disputes": part.share.map(fmt.pct),
                    "won": part.won,
                    "lost": part.lost,
                    "accepted": part.accepted,
                    "expired": part.expired,
                    "open": part.open,
                    "win rate": part.win_rate.map(fmt.pct),
                    "disputed": [
                        fmt.money(m, c or "USD")
                        for m, c in zip(part.disputed_minor, part.currency, strict=True)
                    ],
                    "recovered": [
                        fmt.money(m, c or "USD")
                        for m, c in zip(part.recovered_minor, part.currency, strict=True)
                    ],
                }
            )
            st.dataframe(show, hide_index=True, width="stretch")
