"""The alert rules: what each one measures (here) and its thresholds (data, per rail and partner).

Thresholds live in ``reference/alert_rules.csv``: one row per (rule, rail, partner) with ``*``
for "any"; the most specific row in force wins (rail and partner, then rail, then ``*``), and
among those the newest ``effective_from`` on or before the evaluation date. Each row cites its
source. A rule whose source tables are missing evaluates to nothing (``requires``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import duckdb
import pandas as pd

from ops_core.errors import ConfigError
from ops_core.reference.csvload import REFERENCE_DIR, CsvRow, read_rows

RULES_CSV = REFERENCE_DIR / "alert_rules.csv"
COLUMNS = (
    "rule_id",
    "rail_id",
    "partner_id",
    "enabled",
    "threshold",
    "critical",
    "unit",
    "min_volume",
    "min_z",
    "sustain_hours",
    "lookback_days",
    "unit_seconds",
    "effective_from",
    "source",
)
ANY = "*"


@dataclass(frozen=True)
class Rule:
    """What a rule measures. ``worse`` says which direction of its value is bad; ``cadence``
    is how often a replay evaluates it (hours); ``requires`` maps each table it reads to the
    columns it needs; ``impact`` is 'flow' (summed over the hours it fires) or 'level'
    (the most at any one time)."""

    rule_id: str
    title: str
    metric: str
    units: tuple[str, ...]
    worse: str = "higher"
    cadence: int = 1
    impact: str = "flow"
    requires: tuple[tuple[str, tuple[str, ...]], ...] = ()


RECON_BREAKS = (
    "recon_breaks",
    (
        "break_id",
        "category",
        "rail_id",
        "partner_id",
        "status",
        "sla_due_at",
        "detected_at",
        "resolved_at",
        "exposure_minor",
        "currency",
    ),
)
RECON_BALANCES = (
    ("recon_balances", ("account", "day", "currency", "unexplained_minor")),
    ("recon_accounts", ("ext_source", "account", "rail_id", "partner_id")),
)
DISPUTES = (
    (
        "dispute_deadlines",
        ("case_id", "party", "start_on", "internal_due", "network_due", "done_at"),
    ),
    ("dispute_cases", ("case_id", "network", "amount_disputed_minor", "currency", "closed_at")),
)
RULES: dict[str, Rule] = {
    r.rule_id: r
    for r in (
        Rule(
            "stuck",
            "Payments stuck in pending",
            "stuck payments",
            ("seconds", "banking_days", "confirmations"),
            impact="level",
        ),
        Rule("success_drop", "Success-rate drop", "success rate", ("pp",), worse="lower"),
        Rule("latency_spike", "p95 latency spike", "p95 latency", ("ratio",)),
        Rule("new_code", "Code never seen on this rail", "code count", ("count",)),
        Rule("code_spike", "Code share far above its baseline", "code share", ("ratio",)),
        *(
            Rule(
                f"nacha_{rate}",
                f"ACH {rate} return rate near Nacha's limit",
                f"{rate} return rate",
                ("share_of_limit",),
                cadence=24,
                impact="level",
            )
            for rate in ("unauthorized", "administrative", "overall")
        ),
        Rule(
            "settlement_late",
            "Expected settlement not received",
            "settlements missing",
            ("count",),
            impact="level",
            requires=(RECON_BREAKS,),
        ),
        Rule(
            "balance_tieout",
            "Bank balance does not tie out",
            "unexplained variance",
            ("minor_units",),
            impact="level",
            requires=RECON_BALANCES,
        ),
        Rule(
            "dispute_deadline",
            "Dispute deadlines at risk",
            "responses due",
            ("banking_days",),
            impact="level",
            requires=DISPUTES,
        ),
        Rule(
            "break_sla",
            "Breaks past their SLA",
            "breaks past SLA",
            ("hours",),
            impact="level",
            requires=(RECON_BREAKS,),
        ),
    )
}


@dataclass(frozen=True)
class Setting:
    """One row of alert_rules.csv."""

    rule_id: str
    rail_id: str
    partner_id: str
    enabled: bool
    threshold: float
    critical: float | None
    unit: str
    min_volume: float
    min_z: float | None
    sustain_hours: int
    lookback_days: int
    unit_seconds: float | None
    effective_from: date
    source: str


def _number(row: CsvRow, field: str) -> float | None:
    text = row.text(field)
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        raise row.error(f"field {field} is {text!r} (expected a number)") from None


def _setting(row: CsvRow) -> Setting:
    rule_id = row.required("rule_id")
    if rule_id not in RULES:
        raise row.error(f"unknown rule {rule_id!r} (expected one of {sorted(RULES)})")
    unit = row.required("unit")
    if unit not in RULES[rule_id].units:
        raise row.error(f"rule {rule_id} does not measure in {unit!r}")
    threshold = _number(row, "threshold")
    if threshold is None:
        raise row.error("field threshold is empty")
    if unit == "confirmations" and not _number(row, "unit_seconds"):
        raise row.error("a threshold in confirmations needs unit_seconds (the block time)")
    return Setting(
        rule_id=rule_id,
        rail_id=row.required("rail_id"),
        partner_id=row.required("partner_id"),
        enabled=row.boolean("enabled"),
        threshold=threshold,
        critical=_number(row, "critical"),
        unit=unit,
        min_volume=_number(row, "min_volume") or 0.0,
        min_z=_number(row, "min_z"),
        sustain_hours=int(_number(row, "sustain_hours") or 1),
        lookback_days=int(_number(row, "lookback_days") or 0),
        unit_seconds=_number(row, "unit_seconds"),
        effective_from=row.iso_date("effective_from"),
        source=row.required("source"),
    )


@cache
def settings() -> tuple[Setting, ...]:
    """Every row of alert_rules.csv, checked (cached: the file is read once per process)."""
    rows = tuple(_setting(r) for r in read_rows(RULES_CSV, COLUMNS))
    keys = [(s.rule_id, s.rail_id, s.partner_id, s.effective_from) for s in rows]
    if len(set(keys)) != len(keys):
        raise ConfigError(f"{RULES_CSV}: two rows share rule, rail, partner and effective_from")
    return rows


def setting_for(rule_id: str, rail_id: str, partner_id: str, on: date) -> Setting | None:
    """The most specific row in force on ``on`` for this rule and route (None: no row)."""
    best: tuple[int, date] | None = None
    found = None
    for s in settings():
        if s.rule_id != rule_id or s.effective_from > on:
            continue
        if s.rail_id not in (rail_id, ANY) or s.partner_id not in (partner_id, ANY):
            continue
        rank = ((s.rail_id != ANY) * 2 + (s.partner_id != ANY), s.effective_from)
        if best is None or rank > best:
            best, found = rank, s
    return found


def settings_frame(rule_id: str, routes: pd.DataFrame, on: date) -> pd.DataFrame:
    """``routes`` (rail_id, partner_id) with the setting in force for each; only enabled ones."""
    rows = []
    for rail, partner in routes[["rail_id", "partner_id"]].drop_duplicates().itertuples(False):
        s = setting_for(rule_id, rail, partner, on)
        if s is not None and s.enabled:
            rows.append({**s.__dict__, "rail_id": rail, "partner_id": partner})
    cols = [f for f in Setting.__dataclass_fields__]
    return pd.DataFrame(rows, columns=cols)


def routes(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every (rail, partner) pair the data knows."""
    return cur.execute("SELECT rail_id, partner_id FROM rail_partners ORDER BY ALL").df()


def missing_sources(cur: duckdb.DuckDBPyConnection, rule: Rule) -> str | None:
    """Why ``rule`` cannot be evaluated on this database (None: it can)."""
    for table, columns in rule.requires:
        have = {
            r[0]
            for r in cur.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                [table],
            ).fetchall()
        }
        if not have:
            return f"table {table} does not exist yet"
        lacking = [c for c in columns if c not in have]
        if lacking:
            return f"table {table} lacks columns {lacking}"
    return None
