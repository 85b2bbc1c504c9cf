"""What the reconciliation pages show, computed from the last run's tables (no UI here).

- ``summary``: match rate by rail, partner and day; open breaks by category and age bucket;
  SLA at risk and breached; the unmatched amount; the balance tie-out; the last runs.
- ``queue``: breaks filtered by status, category, rail, partner, severity, queue and assignee.
- ``detail``: one break with its ledger rows and external rows (file and line), the fields
  side by side with the differing ones flagged, candidate matches with scores, the timeline
  and the audit trail.

Each takes ``partner``: None is the full view; a partner id is that partner's screen-share
view (issue 8): only its breaks, items and accounts (filtered in the SQL), clients as
pseudonyms, account numbers and personal names cut to their last four characters, free text
masked (``ops_core.access.partner_view``). A break of another partner is not found.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb
import pandas as pd

from ops_core import audit, money, sql
from ops_core.access import masking, partner_view
from ops_core.recon import breaks

JUDGED = ("matched", "break", "resolved")
# What a state means when the run stored no reason of its own (a kept match stores its own).
STATE_REASONS = {
    "matched": "same reference, amount, currency and status, settled on time",
    "in_flight": "inside its settlement window, or its statement day not reported yet",
    "no_movement": "failed in the ledger and no movement reported",
    "not_covered": "before the first day its source reported, or no rule for its rail",
    "linked": "linked to its original payment, or an earlier status superseded",
    "break": "see the break",
    "resolved": "a person resolved or wrote off its break",
}
RISK_HOURS = 24
CANDIDATE_DAYS = 5
CANDIDATE_PCT = 10


@dataclass(frozen=True)
class QueueFilter:
    """Break queue filters; empty tuples mean any. ``assignee``: None any, '' unassigned."""

    statuses: tuple[str, ...] = breaks.OPEN
    categories: tuple[str, ...] = ()
    rails: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    queues: tuple[str, ...] = ()
    assignee: str | None = None


def queue(
    cur: duckdb.DuckDBPyConnection,
    f: QueueFilter,
    as_of: datetime,
    partner: str | None = None,
) -> pd.DataFrame:
    """Breaks matching ``f`` with age, aging bucket and SLA state (breached/at_risk/ok);
    ``partner``: that partner's breaks only, masked."""
    df = sql.query(
        cur,
        "recon/view_breaks",
        statuses=list(f.statuses),
        categories=list(f.categories),
        rails=list(f.rails),
        partners=list(f.partners),
        severities=list(f.severities),
        queues=list(f.queues),
        assignee=f.assignee,
        as_of=as_of,
        risk_hours=RISK_HOURS,
        partner=partner,
    )
    df["age_bucket"] = [breaks.age_bucket(int(d)) for d in df["age_days"]]
    df["severity_rank"] = df["severity"].map(breaks.SEVERITY_ORDER)
    return df if partner is None else _masked_queue(cur, df, partner)


BREAK_TEXT = ("detail", "ledger_value", "ext_value", "notes", "closed_reason")
BREAK_PEOPLE = ("assignee", "resolved_by")
INTERNAL_NOTE = "(internal note, not shown in a partner view)"


def _masked_queue(cur: duckdb.DuckDBPyConnection, df: pd.DataFrame, partner: str) -> pd.DataFrame:
    view = partner_view.load(cur, partner)
    personal = sql.query(cur, "recon/view_break_personal", partner=partner)
    known = dict(zip(personal["break_id"], personal["personal"], strict=True))
    out = view.frame(df, people=BREAK_PEOPLE)
    if "notes" in out.columns:
        out["notes"] = None  # internal working notes stay with the team
    for col in BREAK_TEXT:
        if col in out.columns:
            out[col] = [
                view.text(v, known.get(b, ())) for b, v in zip(df["break_id"], df[col], strict=True)
            ]
    return out


@dataclass(frozen=True)
class Summary:
    ledger: pd.DataFrame  # rail, partner, day, state, currency, items, amount_minor
    external: pd.DataFrame  # source, rail, partner, day, state, currency, items, amount_minor
    open_breaks: pd.DataFrame  # the queue's columns, open statuses only
    balances: pd.DataFrame
    runs: pd.DataFrame


def summary(
    cur: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    as_of: datetime,
    partner: str | None = None,
) -> Summary:
    """The summary page's data; ``partner``: that partner's payments, items, breaks and
    accounts only, and the runs without their company-wide counts or who started them."""
    span = {"start": start, "end": end, "partner": partner}
    balances = sql.query(cur, "recon/view_balances", **span)
    runs = sql.query(cur, "recon/view_runs", limit=10)
    if partner is not None:
        balances = partner_view.load(cur, partner).frame(balances)
        runs = runs.assign(actor=None, inputs="{}", counts="{}", message=None)
    return Summary(
        ledger=sql.query(cur, "recon/view_ledger_states", **span),
        external=sql.query(cur, "recon/view_ext_states", **span),
        open_breaks=queue(cur, QueueFilter(), as_of, partner),
        balances=balances,
        runs=runs,
    )


def match_rates(ledger: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Matched / judged per group, with the in-flight and break counts beside it."""
    if ledger.empty:
        return pd.DataFrame(columns=[*by, "matched", "judged", "match_rate", "in_flight", "break"])
    wide = ledger.pivot_table(index=by, columns="state", values="items", aggfunc="sum").fillna(0)
    for state in ("matched", "break", "resolved", "in_flight", "no_movement", "not_covered"):
        if state not in wide:
            wide[state] = 0
    wide["judged"] = wide[list(JUDGED)].sum(axis=1)
    wide["match_rate"] = (wide["matched"] / wide["judged"]).where(wide["judged"] > 0)
    cols = [
        "matched",
        "judged",
        "match_rate",
        "break",
        "resolved",
        "in_flight",
        "no_movement",
        "not_covered",
    ]
    out = wide[cols].reset_index()
    for c in cols:
        if c != "match_rate":
            out[c] = out[c].astype("int64")
    return out


def by_category_and_age(open_breaks: pd.DataFrame) -> pd.DataFrame:
    """Open breaks counted by category (rows) and aging bucket (columns, oldest last)."""
    labels = [b[2] for b in breaks.AGE_BUCKETS]
    if open_breaks.empty:
        return pd.DataFrame(columns=["category", *labels, "total"])
    grid = pd.crosstab(open_breaks["category"], open_breaks["age_bucket"])
    grid = grid.reindex(columns=labels, fill_value=0)
    grid["total"] = grid.sum(axis=1)
    return grid.sort_values("total", ascending=False).reset_index()


def unmatched_amount(open_breaks: pd.DataFrame) -> pd.DataFrame:
    """The amount at stake in open breaks, per currency and in USD (reference rates)."""
    if open_breaks.empty:
        return pd.DataFrame(columns=["currency", "breaks", "exposure_minor", "exposure_usd_minor"])
    return (
        open_breaks.groupby("currency", as_index=False)
        .agg(
            breaks=("break_id", "count"),
            exposure_minor=("exposure_minor", "sum"),
            exposure_usd_minor=("exposure_usd_minor", "sum"),
        )
        .sort_values("exposure_usd_minor", ascending=False)
    )


@dataclass(frozen=True)
class BreakDetail:
    brk: dict[str, Any]
    ledger: pd.DataFrame
    external: pd.DataFrame
    compare: pd.DataFrame  # field, ledger, external, differs
    candidates: pd.DataFrame
    timeline: pd.DataFrame  # at, source, what, who
    audit: pd.DataFrame
    balance: pd.DataFrame = field(default_factory=pd.DataFrame)


def detail(
    cur: duckdb.DuckDBPyConnection, break_id: int, partner: str | None = None
) -> BreakDetail | None:
    """One break in full; None when it does not exist or (``partner`` given) is not that
    partner's, so another partner's break id opened by URL is simply not found."""
    rows = sql.query(cur, "recon/view_break", break_id=break_id, partner=partner)
    if rows.empty:
        return None
    brk = {k: (None if _missing(v) else v) for k, v in rows.iloc[0].to_dict().items()}
    brk["item_date"] = pd.Timestamp(brk["item_date"]).date()
    ledger_ids = _ids(brk.get("ledger_ids")) or _ids([brk.get("payment_id")])
    ext_ids = _ids(brk.get("ext_ids")) or _ids([brk.get("ext_id")])
    if brk["category"] == "duplicate" and brk["side"] == "external":
        same = sql.query(cur, "recon/view_same_reference", ext_id=ext_ids[0])
        ext_ids = [*ext_ids, *[i for i in _ids(same["ext_id"]) if i not in ext_ids]]
        ledger_ids = _ids(same["payment_id"].dropna())
    rows_of = {"ids": ledger_ids, "partner": partner}
    ledger = _with_reasons(sql.query(cur, "recon/view_ledger_rows", **rows_of))
    external = _with_reasons(sql.query(cur, "recon/view_ext_rows", **{**rows_of, "ids": ext_ids}))
    trail = audit.history(cur, "break", break_id)
    balance = pd.DataFrame()
    if brk["side"] == "account":
        day = {"start": brk["item_date"], "end": brk["item_date"], "partner": partner}
        balance = sql.query(cur, "recon/view_balances", **day)
        balance = balance[balance["account"] == brk["account"]]
    d = BreakDetail(
        brk=brk,
        ledger=ledger,
        external=external,
        compare=compare(ledger, external, brk),
        candidates=candidates(cur, brk, partner),
        timeline=timeline(cur, brk, ledger, external, trail),
        audit=trail,
        balance=balance,
    )
    return d if partner is None else _masked_detail(partner_view.load(cur, partner), d)


def _masked_detail(view: partner_view.PartnerView, d: BreakDetail) -> BreakDetail:
    """What a partner's screen-share shows of a break: every account number, counterparty and
    person it names cut to the last four characters, clients pseudonymised, text masked."""
    personal = {d.brk.get("account")}
    for df, cols in (
        (d.ledger, ("counterparty_name", "counterparty_account")),
        (d.external, ("counterparty", "account")),
        (d.candidates, ("counterparty_name", "counterparty")),
        (d.audit, ("actor",)),
    ):
        for col in cols:
            if col in df.columns:
                personal |= set(df[col].dropna().astype(str))
    personal |= {d.brk.get(c) for c in BREAK_PEOPLE}
    if not d.audit.empty:  # earlier assignees and resolvers
        who = d.audit[d.audit["field"].isin(BREAK_PEOPLE)]
        personal |= {*who["old_value"].dropna(), *who["new_value"].dropna()}
    personal = {p for p in personal if isinstance(p, str)}
    brk = dict(d.brk)
    for col in BREAK_TEXT:
        brk[col] = view.text(brk.get(col), personal)
    for col in BREAK_PEOPLE:
        brk[col] = view.person(brk.get(col))
    brk["account"] = masking.last4(brk.get("account"))
    compare_ = d.compare.copy()
    is_party = compare_["field"] == "counterparty"
    for side in ("ledger", "external"):
        compare_.loc[is_party, side] = compare_.loc[is_party, side].map(
            lambda v: v if v == "–" else masking.last4(v)
        )
        compare_[side] = [view.text(v, personal) for v in compare_[side]]
    audit_ = view.frame(
        d.audit, text=("old_value", "new_value"), people=("actor",), personal=personal
    )
    brk["notes"] = None  # the team's working notes are internal: not shown to a partner
    if not audit_.empty:
        is_note = audit_["field"] == "notes"
        audit_.loc[is_note, ["old_value", "new_value"]] = INTERNAL_NOTE
    timeline_ = view.frame(d.timeline, text=("what",), people=("who",), personal=personal)
    if not timeline_.empty:
        is_note = timeline_["what"].astype(str).str.startswith("notes:")
        timeline_.loc[is_note, "what"] = f"notes: {INTERNAL_NOTE}"
    return BreakDetail(
        brk=brk,
        ledger=view.frame(d.ledger, people=("counterparty",), personal=personal),
        external=view.frame(
            d.external, text=("file",), people=("counterparty",), personal=personal
        ),
        compare=compare_,
        candidates=view.frame(d.candidates, people=("counterparty",), personal=personal),
        timeline=timeline_,
        audit=audit_,
        balance=view.frame(d.balance),
    )


def _with_reasons(df: pd.DataFrame) -> pd.DataFrame:
    if not df.empty:
        df["reason"] = df["reason"].fillna(df["state"].map(STATE_REASONS))
    return df


def _ids(values: Any) -> list[int]:
    if values is None:
        return []
    return [int(v) for v in list(values) if v is not None and not pd.isna(v)]


COMPARED = (
    ("reference", "reference", "ref"),
    ("amount", "amount_minor", "amount_minor"),
    ("currency", "currency", "currency"),
    ("direction", "flow", "flow"),
    ("date", "final_day", "value_date"),
    ("status", "status", "ext_status"),
    ("counterparty", "counterparty_name", "counterparty"),
)


def compare(
    ledger: pd.DataFrame, external: pd.DataFrame, brk: dict[str, Any] | None = None
) -> pd.DataFrame:
    """The fields of the first ledger row and the first external row side by side; for a
    group (a batch match) the amounts are the group totals. ``differs`` flags what does not
    agree; dates differ only when lateness is the break (a T+1 settlement is not a difference)."""
    if ledger.empty and external.empty:
        return pd.DataFrame(columns=["field", "ledger", "external", "differs"])
    group = bool(brk) and brk.get("match_kind") in ("many_to_one", "batch_to_line")
    left = _side(ledger, "final_day", group)
    right = _side(external, None, group)
    if right.get("value_date") is not None:
        right["value_date"] = pd.Timestamp(right["value_date"]).date()
    rows = []
    for label, lcol, rcol in COMPARED:
        lv, rv = left.get(lcol), right.get(rcol)
        one_sided = not left or not right
        differs = label in ("reference", "amount") if one_sided else _differs(label, lv, rv)
        if label == "date" and brk is not None:
            differs = brk.get("field") == "settlement date"
        rows.append({"field": label, "ledger": lv, "external": rv, "differs": differs})
    out = pd.DataFrame(rows)
    if "fee_minor" in right and right.get("fee_minor") is not None:
        out.loc[len(out)] = {
            "field": "fee",
            "ledger": None,
            "external": right["fee_minor"],
            "differs": False,
        }
    out["ledger"] = [
        _show(f, v, left.get("currency")) for f, v in zip(out.field, out.ledger, strict=True)
    ]
    out["external"] = [
        _show(f, v, right.get("currency")) for f, v in zip(out.field, out.external, strict=True)
    ]
    return out


def _side(df: pd.DataFrame, day_col: str | None, group: bool) -> dict[str, Any]:
    if df.empty:
        return {}
    first = {k: (None if _missing(v) else v) for k, v in df.iloc[0].to_dict().items()}
    if group and len(df) > 1 and "amount_minor" in df and df["amount_minor"].notna().all():
        first["amount_minor"] = int(df["amount_minor"].sum())
        first["reference"] = first.get("reference") and f"{len(df)} items"
    if day_col:
        at = first.get("final_at") or first.get("created_at")
        first[day_col] = pd.Timestamp(at).date() if at is not None else None
    return first


def _missing(v: Any) -> bool:
    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _differs(label: str, lv: Any, rv: Any) -> bool:
    if lv is None or rv is None:
        return False  # the source does not carry this field (a status report has no amount)
    if label == "status":
        ok = {
            ("completed", "settled"),
            ("returned", "settled"),
            ("failed", "rejected"),
            ("pending", "pending"),
        }
        return (str(lv), str(rv)) not in ok
    if label == "counterparty":
        return str(lv).lower() not in str(rv).lower()
    return str(lv) != str(rv)


def _show(label: str, value: Any, currency: Any) -> str:
    if value is None or _missing(value):
        return "–"
    if label in ("amount", "fee") and currency:
        return money.format_money(int(value), str(currency))
    return str(value)


def candidates(
    cur: duckdb.DuckDBPyConnection, brk: dict[str, Any], partner: str | None = None
) -> pd.DataFrame:
    """Possible partners of an item nothing matched, best score first (empty otherwise: a
    pair or a duplicate already has its counterpart); ``partner``: among its own only."""
    if brk["category"] not in ("missing_at_bank", "unknown_bank_item"):
        return pd.DataFrame()
    if brk["side"] == "ledger" and brk.get("payment_id") is not None:
        return sql.query(
            cur,
            "recon/view_candidates_ledger",
            payment_id=int(brk["payment_id"]),
            days=CANDIDATE_DAYS,
            pct=CANDIDATE_PCT,
            partner=partner,
        )
    if brk["side"] == "external" and brk.get("ext_id") is not None:
        return sql.query(
            cur,
            "recon/view_candidates_ext",
            ext_id=int(brk["ext_id"]),
            days=CANDIDATE_DAYS,
            pct=CANDIDATE_PCT,
            partner=partner,
        )
    return pd.DataFrame()


def timeline(
    cur: duckdb.DuckDBPyConnection,
    brk: dict[str, Any],
    ledger: pd.DataFrame,
    external: pd.DataFrame,
    trail: pd.DataFrame,
) -> pd.DataFrame:
    """What happened, oldest first: the ledger's status history, the external rows' booking
    and file loads, the break's detection and every change people or the engine made."""
    events: list[tuple[Any, str, str, str]] = []
    if not ledger.empty:
        history = sql.query(cur, "recon/view_payment_events", ids=_ids(ledger["payment_id"]))
        for r in history.itertuples():
            events.append(
                (
                    r.event_at,
                    "ledger",
                    f"payment {r.payment_id}: {r.status}"
                    + (f" ({r.code})" if isinstance(r.code, str) else ""),
                    "ledger",
                )
            )
    for r in external.itertuples():
        where = f"line {r.source_line}" if not _missing(r.source_line) else r.xml_path
        if not _missing(r.value_date):  # a date, not an instant: placed at noon UTC
            day = pd.Timestamp(r.value_date)
            events.append(
                (
                    day.tz_localize("UTC") + pd.Timedelta(hours=12),
                    "external",
                    f"item {r.ext_id} {r.ext_status}, value date {day:%Y-%m-%d}",
                    "bank / network",
                )
            )
        if not _missing(r.loaded_at):
            events.append((r.loaded_at, "file", f"{r.file} loaded ({where})", "import"))
    events.append(
        (brk["detected_at"], "break", f"difference knowable: {brk['category']}", "engine")
    )
    for r in trail.itertuples():
        events.append(
            (
                r.event_at,
                "break",
                f"{r.field}: {r.old_value or '–'} → {r.new_value or '–'}",
                r.actor,
            )
        )
    df = pd.DataFrame(events, columns=["at", "source", "what", "who"])
    df["at"] = pd.to_datetime(df["at"], utc=True)
    return df.sort_values("at", kind="stable").reset_index(drop=True)


def last_run(runs: pd.DataFrame) -> dict[str, Any] | None:
    """The newest run as a dict with its JSON inputs and counts decoded."""
    if runs.empty:
        return None
    row = runs.iloc[0].to_dict()
    row["inputs"] = json.loads(row["inputs"] or "{}")
    row["counts"] = json.loads(row["counts"] or "{}")
    return row
