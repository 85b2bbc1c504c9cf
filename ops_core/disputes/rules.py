"""The dispute rule tables, read from reference CSVs (rule tables are data, STYLE.md).

- ``dispute_rules.csv``: one deadline per (network, stage, rule category), with its source,
  its ``effective_from`` and an ``uncertain`` flag for the ⚠️ items of domain.md §6-§7.
- ``dispute_reason_codes.csv``: Visa, Mastercard, Nacha and Reg E reason codes, the rule
  category that picks their deadlines and whether a push (OCT) payment may be disputed so.
- ``dispute_evidence.csv``: the evidence checklist per network and reason.
- ``dispute_settings.csv``: the internal buffer and the calendar it is counted on.
- ``dispute_processor_offsets.csv``: how many banking days before the network's deadline the
  acquirer/processor wants our response (domain.md §6.2: "model two deadlines per stage").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from ops_core.calendars import CALENDARS
from ops_core.errors import ConfigError, OpsError
from ops_core.reference.csvload import REFERENCE_DIR, CsvRow, read_rows

RULES_CSV = REFERENCE_DIR / "dispute_rules.csv"
REASONS_CSV = REFERENCE_DIR / "dispute_reason_codes.csv"
EVIDENCE_CSV = REFERENCE_DIR / "dispute_evidence.csv"
SETTINGS_CSV = REFERENCE_DIR / "dispute_settings.csv"
OFFSETS_CSV = REFERENCE_DIR / "dispute_processor_offsets.csv"

NETWORKS = ("visa", "mastercard", "nacha", "reg_e")
PARTIES = frozenset({"us", "counterparty", "check"})
ANCHORS = frozenset({"stage_start", "case_opened", "payment_settled"})
DAY_TYPES = frozenset({"calendar", "banking"})
ROLLS = frozenset({"none", "next_banking_day", "banking_day"})
ANY = "*"

RULE_COLUMNS = (
    "rule_id",
    "network",
    "stage",
    "rule_category",
    "party",
    "action",
    "anchor",
    "days",
    "day_type",
    "calendar",
    "roll",
    "effective_from",
    "uncertain",
    "source",
)
REASON_COLUMNS = (
    "network",
    "code",
    "title",
    "category",
    "rule_category",
    "push_allowed",
    "source",
    "uncertain",
)
EVIDENCE_COLUMNS = ("network", "applies_to", "item", "required", "source")
OFFSET_COLUMNS = (
    "network",
    "stage",
    "rule_category",
    "banking_days",
    "calendar",
    "effective_from",
    "uncertain",
    "source",
)


@dataclass(frozen=True)
class Rule:
    """One deadline: ``days`` calendar or banking days after its anchor date."""

    rule_id: str
    network: str
    stage: str
    rule_category: str  # '*' = every category of the network
    party: str  # us | counterparty | check
    action: str
    anchor: str  # stage_start | case_opened | payment_settled
    days: int
    day_type: str  # calendar | banking
    calendar: str
    roll: str  # none | next_banking_day | banking_day
    effective_from: date
    uncertain: bool
    source: str


@dataclass(frozen=True)
class Reason:
    network: str
    code: str
    title: str
    category: str
    rule_category: str
    push_allowed: bool
    source: str
    uncertain: bool


@dataclass(frozen=True)
class EvidenceItem:
    network: str
    applies_to: str  # a code, a category, a rule category or '*'
    item: str
    required: bool
    source: str


@dataclass(frozen=True)
class ProcessorOffset:
    """The processor's due date for our response: ``banking_days`` before the network's."""

    network: str
    stage: str
    rule_category: str  # '*' = every category of the network
    banking_days: int
    calendar: str
    effective_from: date
    uncertain: bool
    source: str


@dataclass(frozen=True)
class Settings:
    internal_buffer_banking_days: int = 2
    team_calendar: str = "US_FED"
    due_soon_days: int = 3


def _choice(row: CsvRow, field: str, allowed: frozenset[str] | tuple[str, ...]) -> str:
    value = row.required(field)
    if value not in allowed:
        raise row.error(f"field {field} is {value!r} (expected one of {sorted(allowed)})")
    return value


def _int(row: CsvRow, field: str, minimum: int = 0) -> int:
    value = row.required(field)
    if not value.isdigit() or int(value) < minimum:
        raise row.error(f"field {field} is {value!r} (expected a whole number >= {minimum})")
    return int(value)


def _rule(row: CsvRow) -> Rule:
    return Rule(
        rule_id=row.required("rule_id"),
        network=_choice(row, "network", NETWORKS),
        stage=row.required("stage"),
        rule_category=row.required("rule_category"),
        party=_choice(row, "party", PARTIES),
        action=row.required("action"),
        anchor=_choice(row, "anchor", ANCHORS),
        days=_int(row, "days", 1),
        day_type=_choice(row, "day_type", DAY_TYPES),
        calendar=_choice(row, "calendar", frozenset(CALENDARS)),
        roll=_choice(row, "roll", ROLLS),
        effective_from=row.iso_date("effective_from"),
        uncertain=row.boolean("uncertain"),
        source=row.required("source"),
    )


def read_rules(path: Path | None = None) -> tuple[Rule, ...]:
    """Every row of dispute_rules.csv, checked: unknown values name the file and line."""
    rules: dict[str, Rule] = {}
    for row in read_rows(path or RULES_CSV, RULE_COLUMNS):
        rule = _rule(row)
        if rule.rule_id in rules:
            raise row.error(f"second rule with id {rule.rule_id}")
        rules[rule.rule_id] = rule
    return tuple(rules.values())


def read_reasons(path: Path | None = None) -> dict[tuple[str, str], Reason]:
    reasons: dict[tuple[str, str], Reason] = {}
    for row in read_rows(path or REASONS_CSV, REASON_COLUMNS):
        r = Reason(
            network=_choice(row, "network", NETWORKS),
            code=row.required("code"),
            title=row.required("title"),
            category=row.required("category"),
            rule_category=row.required("rule_category"),
            push_allowed=row.boolean("push_allowed"),
            source=row.required("source"),
            uncertain=row.boolean("uncertain"),
        )
        if (r.network, r.code) in reasons:
            raise row.error(f"second row for {r.network} {r.code}")
        reasons[(r.network, r.code)] = r
    return reasons


def read_evidence(path: Path | None = None) -> tuple[EvidenceItem, ...]:
    return tuple(
        EvidenceItem(
            network=_choice(row, "network", NETWORKS),
            applies_to=row.required("applies_to"),
            item=row.required("item"),
            required=row.boolean("required"),
            source=row.required("source"),
        )
        for row in read_rows(path or EVIDENCE_CSV, EVIDENCE_COLUMNS)
    )


def read_offsets(path: Path | None = None) -> tuple[ProcessorOffset, ...]:
    """Every row of dispute_processor_offsets.csv, checked (file and line on an error)."""
    seen: set[tuple[str, str, str, date]] = set()
    out = []
    for row in read_rows(path or OFFSETS_CSV, OFFSET_COLUMNS):
        o = ProcessorOffset(
            network=_choice(row, "network", NETWORKS),
            stage=row.required("stage"),
            rule_category=row.required("rule_category"),
            banking_days=_int(row, "banking_days", 0),
            calendar=_choice(row, "calendar", frozenset(CALENDARS)),
            effective_from=row.iso_date("effective_from"),
            uncertain=row.boolean("uncertain"),
            source=row.required("source"),
        )
        key = (o.network, o.stage, o.rule_category, o.effective_from)
        if key in seen:
            raise row.error(f"second offset for {key}")
        seen.add(key)
        out.append(o)
    return tuple(out)


def read_settings(path: Path | None = None) -> Settings:
    values = {
        row.required("setting"): row.required("value")
        for row in read_rows(path or SETTINGS_CSV, ("setting", "value", "meaning"))
    }
    try:
        settings = Settings(
            internal_buffer_banking_days=int(values.get("internal_buffer_banking_days", 2)),
            team_calendar=values.get("team_calendar", "US_FED"),
            due_soon_days=int(values.get("due_soon_days", 3)),
        )
    except ValueError as exc:
        raise ConfigError(f"{path or SETTINGS_CSV}: {exc}") from None
    if settings.team_calendar not in CALENDARS or settings.internal_buffer_banking_days < 0:
        raise ConfigError(f"{path or SETTINGS_CSV}: bad team_calendar or buffer: {settings}")
    return settings


@cache
def rules() -> tuple[Rule, ...]:
    return read_rules()


@cache
def reasons() -> dict[tuple[str, str], Reason]:
    return read_reasons()


@cache
def evidence_items() -> tuple[EvidenceItem, ...]:
    return read_evidence()


@cache
def settings() -> Settings:
    return read_settings()


@cache
def offsets() -> tuple[ProcessorOffset, ...]:
    return read_offsets()


def offset_for(
    network: str,
    stage: str,
    rule_category: str,
    on: date,
    table: tuple[ProcessorOffset, ...] | None = None,
) -> ProcessorOffset | None:
    """The processor offset in force on ``on`` for a stage (exact category beats '*', then the
    latest effective_from); None when the processor adds nothing (Nacha, Reg E)."""
    found = [
        o
        for o in (table if table is not None else offsets())
        if o.network == network
        and o.stage == stage
        and o.rule_category in (rule_category, ANY)
        and o.effective_from <= on
    ]
    return max(found, key=lambda o: (o.rule_category != ANY, o.effective_from), default=None)


def reason(network: str, code: str) -> Reason:
    """The reason code's row; OpsError naming the network when it is unknown."""
    try:
        return reasons()[(network, code)]
    except KeyError:
        known = sorted(c for n, c in reasons() if n == network)
        raise OpsError(
            f"unknown {network} reason code {code!r} (known: {', '.join(known)})"
        ) from None


def rules_for(
    network: str,
    stage: str,
    rule_category: str,
    on: date,
    table: tuple[Rule, ...] | None = None,
) -> list[Rule]:
    """The rules in force on ``on`` for a stage: at most one per party (us, counterparty, check).

    A row for the exact rule category beats a '*' row; among rows of equal specificity the
    latest ``effective_from`` not after ``on`` applies (rules change every year: add a row with
    a later effective_from rather than editing the old one).
    """
    best: dict[str, Rule] = {}
    for r in table if table is not None else rules():
        if (
            r.network != network
            or r.stage != stage
            or r.rule_category not in (rule_category, ANY)
            or r.effective_from > on
        ):
            continue
        held = best.get(r.party)
        if held is None or _rank(r) > _rank(held):
            best[r.party] = r
    return sorted(best.values(), key=lambda r: ("check", "us", "counterparty").index(r.party))


def _rank(r: Rule) -> tuple[bool, date]:
    return (r.rule_category != ANY, r.effective_from)


def checklist(network: str, code: str, category: str, rule_category: str) -> list[EvidenceItem]:
    """Evidence items suited to a reason: code-specific first, then category, then generic."""
    keys = [code, rule_category, category, ANY]
    items = [e for e in evidence_items() if e.network == network and e.applies_to in keys]
    return sorted(items, key=lambda e: keys.index(e.applies_to))
