"""Streamlit glue for the reconciliation pages: cached reads, saves that survive concurrent
edits (version-checked, conflicts shown, never overwritten), and the renderers the three pages
share. The numbers come from ops_core.recon.views; nothing here queries the database.

Reads take ``partner`` (``ui.access.partner_scope()``): in a partner's screen-share view
ops_core returns that partner's data only, masked. Writes take the signed-in ``User`` as
``actor`` so ops_core checks the role (and refuses every write in a partner view)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ops_core.access import User, partner_view
from ops_core.errors import OpsError
from ops_core.recon import breaks, engine, views
from ui import access, data, feedback, fmt

QUEUE_PAGE = "pages/break_queue.py"
DETAIL_PAGE = "pages/break_detail.py"
FLASH = "_recon_flash"
LABELS = breaks.CATEGORY_LABELS
SEVERITY_BADGE = {"critical": "red", "high": "orange", "medium": "blue", "low": "gray"}
SLA_BADGE = {"breached": "red", "at_risk": "orange", "ok": "green", "closed": "gray"}
STATUS_BADGE = {
    "open": "blue",
    "investigating": "violet",
    "escalated": "red",
    "resolved": "green",
    "written_off": "gray",
}


# ---- cached reads (keyed on the data version, STYLE.md) ----
@st.cache_data(show_spinner=False)
def summary(
    data_version_: int, start: date, end: date, as_of: datetime, partner: str | None = None
) -> views.Summary:
    return views.summary(data.cursor(), start, end, as_of, partner)


@st.cache_data(show_spinner=False)
def queue(
    data_version_: int, f: views.QueueFilter, as_of: datetime, partner: str | None = None
) -> pd.DataFrame:
    return views.queue(data.cursor(), f, as_of, partner)


@st.cache_data(show_spinner=False)
def detail(
    data_version_: int, break_id: int, partner: str | None = None
) -> views.BreakDetail | None:
    return views.detail(data.cursor(), break_id, partner)


@st.cache_data(show_spinner=False)
def partner_rails(data_version_: int, partner: str) -> tuple[str, ...]:
    """The rails a partner carries (the rail filter of its screen-share view)."""
    return partner_view.load(data.cursor(), partner).rails


# ---- writes ----
def run_now(actor: User) -> None:
    """Run reconciliation from the page (the same run as the CLI); report what it did."""
    try:
        result = engine.run(data.database(), actor=actor)
    except OpsError as exc:
        st.session_state[FLASH] = ("error", f"Reconciliation failed: {exc}")
    else:
        b = result.counts["breaks"]
        st.session_state[FLASH] = (
            "success",
            f"Run {result.run_id} done in {result.seconds:.1f} s: {b['new']} new breaks, "
            f"{b['closed']} closed, {b['escalated']} escalated.",
        )
    st.cache_data.clear()
    st.rerun()


def held(break_id: int, version: int) -> int:
    """The version this session opened the break at: a save is checked against it, so a
    change someone else made meanwhile is refused with their change shown, not overwritten."""
    key = f"_break_held_{break_id}"
    if key not in st.session_state:
        st.session_state[key] = int(version)
    return st.session_state[key]


def reload(break_id: int) -> None:
    st.session_state.pop(f"_break_held_{break_id}", None)
    st.cache_data.clear()


def save(break_id: int, actor: User, done: str, **fields: str | None) -> None:
    ok, saved = feedback.attempt(
        FLASH,
        lambda: breaks.edit(
            data.database(), break_id, expected_version=held(break_id, 0), actor=actor, **fields
        ),
    )
    if ok:
        st.session_state[f"_break_held_{break_id}"] = saved.version
        feedback.done(FLASH, done if saved.changes else "Nothing changed.")
    st.cache_data.clear()
    st.rerun()


def bulk(seen: dict[int, int], actor: User, what: str, **fields: str | None) -> None:
    """Apply one change to the selected breaks at the versions the queue showed."""
    try:
        result = breaks.bulk_edit(data.database(), seen, actor=actor, **fields)
    except OpsError as exc:  # PermissionDenied: nothing was saved
        st.session_state[FLASH] = ("error", str(exc))
        st.rerun()
    parts = [f"{what}: {len(result.updated)} saved"]
    if result.unchanged:
        parts.append(f"{len(result.unchanged)} already so")
    kind = "success"
    if result.conflicts or result.refused:
        kind = "conflict"
        for bid, msg in {**result.conflicts, **result.refused}.items():
            parts.append(f"break {bid} NOT saved: {msg}")
    st.session_state[FLASH] = (kind, "\n\n".join(parts))
    st.cache_data.clear()
    st.rerun()


def flash() -> None:
    feedback.show(FLASH, error_prefix="")


# ---- summary page ----
def kpis(s: views.Summary, rails: list[str]) -> None:
    ledger = s.ledger[s.ledger.rail_id.isin(rails)] if rails else s.ledger
    rate = views.match_rates(ledger.assign(all="all"), ["all"])
    open_b = s.open_breaks
    cols = st.columns(5)
    if rate.empty:
        cols[0].metric("Match rate", "–")
    else:
        r = rate.iloc[0]
        cols[0].metric(
            "Match rate",
            fmt.pct(r.match_rate, 2),
            help=f"{r.matched:,} of {r.judged:,} judged ledger items matched; "
            f"{r.in_flight:,} in flight are not judged yet",
        )
    usd = int(open_b["exposure_usd_minor"].sum()) if not open_b.empty else 0
    cols[1].metric("Unmatched amount", fmt.money(usd, "USD"), help="Open breaks, in USD")
    cols[2].metric("Open breaks", f"{len(open_b):,}")
    cols[3].metric("SLA breached", f"{int((open_b.sla_state == 'breached').sum()):,}")
    cols[4].metric("SLA at risk (24 h)", f"{int((open_b.sla_state == 'at_risk').sum()):,}")


def last_run_caption(s: views.Summary, tz: str, partner: str | None = None) -> None:
    run = views.last_run(s.runs)
    if run is None:
        st.info("Reconciliation has not run yet on this database.")
        return
    if partner is not None:  # the run's counts are company-wide
        st.caption(
            f"Last reconciled at {fmt.local(run['started_at'], tz)}, as of "
            f"{fmt.local(run['as_of'], tz)}."
        )
        return
    b = run["counts"].get("breaks", {})
    st.caption(
        f"Last run {run['run_id']} ({run['status']}) at {fmt.local(run['started_at'], tz)}, as of "
        f"{fmt.local(run['as_of'], tz)}, {run['duration_ms'] or 0:,} ms: staged "
        f"{run['inputs'].get('files_staged', 0)} files; {b.get('new', 0)} new breaks, "
        f"{b.get('closed', 0)} closed, {b.get('escalated', 0)} escalated."
    )


def rate_axis_floor(lowest_rate: float) -> float:
    """Where the match-rate bars' axis starts (in %): below the lowest rate by at least its
    own gap to 100 %, so the lowest bar fills at least half the plot and its label fits
    inside it (an axis starting 2 points below 84 % cut the label to '84.1')."""
    lowest = lowest_rate * 100
    return max(0.0, lowest - max(2.0, 100 - lowest))


def rate_by_rail_chart(rates: pd.DataFrame, rail_names: dict[str, str]) -> None:
    judged = rates[rates.judged > 0]
    if judged.empty:
        st.info("No judged items in this period.")
        return
    fig = go.Figure(
        go.Bar(
            x=[rail_names.get(r, r) for r in judged.rail_id],
            y=judged.match_rate * 100,
            text=[f"{v:.2%}" for v in judged.match_rate],
            customdata=judged[["matched", "judged", "break"]],
            hovertemplate="%{x}: %{text}<br>%{customdata[0]:,} of %{customdata[1]:,}"
            " matched, %{customdata[2]:,} breaks<extra></extra>",
            marker_color=["#2a9d8f" if v >= 0.999 else "#e9c46a" for v in judged.match_rate],
        )
    )
    low = rate_axis_floor(float(judged.match_rate.min()))
    fig.update_layout(
        height=300,
        margin=dict(l=10, r=10, t=10, b=10),
        yaxis=dict(title="matched %", range=[low, 100.5]),
    )
    st.plotly_chart(fig, width="stretch")


def rate_by_day_chart(rates: pd.DataFrame, rail_names: dict[str, str]) -> None:
    judged = rates[rates.judged > 0]
    if judged.empty:
        return
    fig = go.Figure()
    for rail, g in judged.sort_values("day").groupby("rail_id"):
        fig.add_scatter(
            x=pd.to_datetime(g.day).dt.date,
            y=g.match_rate * 100,
            name=rail_names.get(rail, rail),
            mode="lines+markers",
            customdata=g[["matched", "judged"]],
            hovertemplate="%{y:.2f}% (%{customdata[0]:,} of %{customdata[1]:,})",
        )
    low = max(0.0, float(judged.match_rate.min()) * 100 - 1)
    fig.update_layout(
        height=330,
        margin=dict(l=10, r=10, t=10, b=10),
        hovermode="x unified",
        yaxis=dict(title="matched %", range=[low, 100.5]),
        xaxis=dict(tickformat="%d %b"),
        legend=dict(orientation="h", y=-0.15),
    )
    st.plotly_chart(fig, width="stretch")


def rate_table(rates: pd.DataFrame, by: str, names: dict[str, str] | None = None) -> None:
    show = rates.copy()
    if names:
        show[by] = show[by].map(lambda v: names.get(v, v))
    st.dataframe(
        show,
        hide_index=True,
        width="stretch",
        column_config={
            "match_rate": st.column_config.ProgressColumn(
                "match rate", format="percent", min_value=0.0, max_value=1.0
            )
        },
    )


def category_age(grid: pd.DataFrame) -> None:
    if grid.empty:
        st.success("No open breaks.")
        return
    buckets = [c for c in grid.columns if c not in ("category", "total")]
    top = max(int(grid[buckets].to_numpy().max()), 1)

    def shade(v: int) -> str:
        return f"background-color: rgba(231, 111, 81, {0.12 + 0.6 * v / top:.2f})" if v else ""

    show = grid.assign(
        queue=[f"/breaks?category={c}{access.partner_link()}" for c in grid.category],
        category=grid.category.map(LABELS),
    )
    st.dataframe(
        show.style.map(shade, subset=buckets),
        hide_index=True,
        width="stretch",
        column_config={
            "queue": st.column_config.LinkColumn("queue", display_text="open in queue"),
        },
    )


def break_links(df: pd.DataFrame, tz: str, height: int | None = None) -> None:
    """A compact break list, each row linking to its detail page."""
    if df.empty:
        st.caption("None.")
        return
    show = pd.DataFrame(
        {
            "break": [f"/break?break={b}{access.partner_link()}" for b in df.break_id],
            "category": df.category.map(LABELS),
            "severity": df.severity,
            "SLA": df.sla_state.str.replace("_", " "),
            "due": [fmt.local(t, tz, "%d %b %H:%M") for t in df.sla_due_at],
            "amount": fmt.money_column(df, column="exposure_minor"),
            "assignee": df.assignee.fillna("–"),
        }
    )
    st.dataframe(
        show,
        hide_index=True,
        width="stretch",
        height=height or fmt.table_height(show),
        column_config={"break": st.column_config.LinkColumn("break", display_text=r"break=(\d+)")},
    )


def balances_table(df: pd.DataFrame) -> None:
    if df.empty:
        st.info("No bank balances in this period.")
        return
    money_cols = {
        "opening": "opening_minor",
        "+ ledger": "ledger_movements_minor",
        "= expected": "expected_closing_minor",
        "bank closing": "closing_minor",
        "explained": "explained_minor",
        "unexplained": "unexplained_minor",
    }
    show = pd.DataFrame(
        {
            "day": pd.to_datetime(df.day).dt.date,
            "account": df.account,
            "bank": df.partner_id,
            "lines": df.bank_lines,
        }
    )
    for label, col in money_cols.items():
        show[label] = fmt.money_column(df, False, col)
    flags = (df["unexplained_minor"].fillna(0) != 0).tolist()
    st.dataframe(
        show.reset_index(drop=True).style.apply(
            lambda r: ["background-color: #fde2e1" if flags[r.name] else ""] * len(r), axis=1
        ),
        hide_index=True,
        width="stretch",
        height=fmt.table_height(show, 320),
    )


# ---- break detail ----
def header(b: dict, tz: str) -> None:
    st.title(f"Break {b['break_id']}: {LABELS[b['category']]}")
    sla = (
        "closed"
        if b["status"] in breaks.CLOSED
        else ("breached" if b["sla_due_at"] < data.now() else "ok")
    )
    st.markdown(
        f":{STATUS_BADGE[b['status']]}-badge[{breaks.STATUS_LABELS[b['status']]}] "
        f":{SEVERITY_BADGE[b['severity']]}-badge[{b['severity']}] "
        f":{SLA_BADGE[sla]}-badge[SLA {sla}] · {b['rail_id'] or 'unknown rail'} · "
        f"{b['partner_id'] or '–'} · field **{b['field']}** · rule {b['rule_id'] or '–'}"
    )
    st.info(b["detail"], icon=":material/difference:")
    if b["closed_reason"]:
        st.success(f"Closed by the engine: {b['closed_reason']}", icon=":material/task_alt:")
    cols = st.columns([1, 1, 3])
    cols[0].metric("At stake", fmt.money(b["exposure_minor"], b["currency"], False))
    cols[1].metric(
        "Age", f"{(data.now().date() - b['item_date']).days} d", help=f"since {b['item_date']}"
    )
    cols[2].markdown(
        f"**SLA due** {fmt.local(b['sla_due_at'], tz)}  \n"
        f"**Queue** {b['queue']} · **Assignee** {b['assignee'] or 'nobody'}  \n"
        f"**Amounts** ledger {fmt.money(b['ledger_amount_minor'], b['currency'], False)} · "
        f"external {fmt.money(b['ext_amount_minor'], b['currency'], False)}"
    )


def compare_table(d: views.BreakDetail) -> None:
    b = d.brk
    st.markdown(
        f"**{b['field']}**: ledger `{b['ledger_value'] or '–'}` · "
        f"bank/network `{b['ext_value'] or '–'}`"
    )
    shown = d.compare.drop(columns="differs")
    flags = d.compare["differs"].tolist()
    st.dataframe(
        shown.style.apply(
            lambda r: (
                ["background-color: #ffe8cc; font-weight: 600" if flags[r.name] else ""] * len(r)
            ),
            axis=1,
        ),
        hide_index=True,
        width="stretch",
        height=fmt.table_height(shown),
    )


def ledger_rows(df: pd.DataFrame, tz: str) -> None:
    if df.empty:
        st.caption("No ledger payment.")
        return
    show = df.assign(
        amount=fmt.money_column(df, False),
        created=[fmt.local(t, tz) for t in df.created_at],
        final=[fmt.local(t, tz) for t in df.final_at],
    )[
        [
            "payment_id",
            "rail_id",
            "partner_id",
            "client",
            "flow",
            "amount",
            "status",
            "reference",
            "created",
            "final",
            "counterparty_name",
            "state",
            "rule_id",
        ]
    ]
    st.dataframe(show, hide_index=True, width="stretch", height=fmt.table_height(show, 250))


def external_rows(df: pd.DataFrame) -> None:
    if df.empty:
        st.caption("Nothing reported by the bank, network or chain.")
        return
    where = [
        str(path) if fmt.missing(line) else f"line {int(line)}"
        for line, path in zip(df.source_line, df.xml_path, strict=True)
    ]
    show = df.assign(
        amount=fmt.money_column(df, False),
        where=where,
        value_date=pd.to_datetime(df.value_date).dt.date,
    )[
        [
            "ext_id",
            "file",
            "where",
            "source_table",
            "ref",
            "flow",
            "amount",
            "value_date",
            "ext_status",
            "type_code",
            "counterparty",
            "state",
            "rule_id",
        ]
    ]
    st.dataframe(show, hide_index=True, width="stretch", height=fmt.table_height(show, 250))


def candidate_rows(df: pd.DataFrame) -> None:
    if df.empty:
        st.caption("No candidates: nothing unmatched nearby with a similar amount.")
        return
    dates = [c for c in ("value_date", "day") if c in df]
    show = df.assign(amount=fmt.money_column(df, False)).drop(columns="amount_minor")
    for c in dates:
        show[c] = pd.to_datetime(show[c]).dt.date
    st.dataframe(
        show,
        hide_index=True,
        width="stretch",
        column_config={
            "score": st.column_config.ProgressColumn(
                "score", format="%.2f", min_value=0.0, max_value=1.0
            )
        },
    )


def edit_form(b: dict, actor: User, saver: Callable[..., None]) -> None:
    status = b["status"]
    choices = [status, *breaks.TRANSITIONS[status]]
    resolutions = ["", *breaks.PERSON_RESOLUTIONS]
    with st.form("edit_break"):
        cols = st.columns(3)
        new_status = cols[0].selectbox(
            "Status", choices, format_func=breaks.STATUS_LABELS.get, key="break_status"
        )
        assignee = cols[1].text_input("Assignee", b["assignee"] or "", key="break_assignee")
        current = b["resolution_category"] if b["resolution_category"] in resolutions else ""
        resolution = cols[2].selectbox(
            "Resolution (to close)",
            resolutions,
            index=resolutions.index(current),
            format_func=lambda r: breaks.RESOLUTIONS.get(r, "–"),
            key="break_resolution",
        )
        notes = st.text_area("Edit notes", b["notes"] or "", height=110, key="break_notes")
        if st.form_submit_button("Save", type="primary"):
            fields = {"status": new_status, "assignee": assignee, "notes": notes}
            if new_status in breaks.CLOSED:
                fields["resolution_category"] = resolution or None
            saver(b["break_id"], actor, "Saved.", **fields)


def timeline_table(df: pd.DataFrame, tz: str) -> None:
    show = df.assign(at=[fmt.local(t, tz, "%Y-%m-%d %H:%M:%S") for t in df["at"]])
    st.dataframe(show, hide_index=True, width="stretch", height=fmt.table_height(show, 420))


def audit_table(df: pd.DataFrame, tz: str) -> None:
    """Every saved field, newest last, as a plain table (a break has tens of entries)."""
    if df.empty:
        st.caption("No changes yet.")
        return
    show = df.assign(
        event_at=[fmt.local(t, tz, "%Y-%m-%d %H:%M:%S") for t in df.event_at],
        old_value=df.old_value.fillna("–"),
        new_value=df.new_value.fillna("–"),
    ).rename(columns={"event_at": "when", "old_value": "old", "new_value": "new"})
    st.table(show.set_index("when"))


# ---- break queue ----
def queue_table(df: pd.DataFrame, tz: str, selectable: bool = True):
    """The queue with a selection column (for bulk actions, when ``selectable``); each break
    links to its page."""
    show = pd.DataFrame(
        {
            "break": [f"/break?break={b}{access.partner_link()}" for b in df.break_id],
            "category": df.category.map(LABELS),
            "status": df.status.map(breaks.STATUS_LABELS),
            "severity": df.severity,
            "SLA": df.sla_state.str.replace("_", " "),
            "SLA due": [fmt.local(x, tz, "%d %b %H:%M") for x in df.sla_due_at],
            "age": df.age_bucket,
            "amount": fmt.money_column(df, column="exposure_minor"),
            "rail": df.rail_id,
            "partner": df.partner_id,
            "queue": df.queue,
            "assignee": df.assignee.fillna("–"),
            "what differs": df.detail,
        }
    )
    return st.dataframe(
        show,
        hide_index=True,
        width="stretch",
        height=fmt.table_height(show, 700),
        on_select="rerun" if selectable else "ignore",
        selection_mode="multi-row",
        key="queue_table",
        column_config={
            "break": st.column_config.LinkColumn("break", display_text=r"break=(\d+)"),
            "what differs": st.column_config.TextColumn("what differs", width="large"),
        },
    )


PENDING = "_recon_pending"


def confirm_bulk(actor: User) -> None:
    """Ask before a bulk action runs; it applies at the versions the queue showed."""
    pending = st.session_state.get(PENDING)
    if not pending:
        return
    kind, seen, fields = pending
    ids = ", ".join(str(b) for b in list(seen)[:12]) + (" …" if len(seen) > 12 else "")
    if kind == "assign":
        what = f"Assign {len(seen)} breaks to {fields['assignee'] or 'nobody'}"
    else:
        label = breaks.RESOLUTIONS[fields["resolution_category"]]
        what = f"Resolve {len(seen)} breaks as “{label}”"
    st.warning(
        f"{what}? Breaks {ids}. Each change is audited under your name; a break someone else "
        "changed since you loaded this page is reported, not overwritten.",
        icon=":material/help:",
    )
    yes, no, _ = st.columns([1, 1, 4])
    if yes.button("Confirm", type="primary", key="bulk_confirm"):
        st.session_state.pop(PENDING, None)
        bulk(seen, actor, what, **fields)
    if no.button("Cancel", key="bulk_cancel"):
        st.session_state.pop(PENDING, None)
        st.rerun()
