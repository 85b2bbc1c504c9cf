"""Reconciliation rules as data: four CSVs in ops_core/reference, checked and synced into DuckDB.

- ``recon_rules.csv``: the matching passes per rail and partner (``*`` = any), in priority
  order. ``exact`` pairs on a reference; ``tolerance`` on amount (absolute and basis points,
  fee-aware), a date window in the rail's banking days and the counterparty; ``batch`` pairs a
  bank lump sum with a group (``partner_day``, ``client_day``, ``card_batch``); ``return`` links
  returns and NOCs to their original entry. The most specific rule for a (rail, partner) wins:
  a named partner over ``*``, then the lowest priority number.
- ``recon_accounts.csv``: which rail and partner an external account, network or chain is.
- ``break_sla.csv``: severity, SLA hours and escalation queue by category, USD amount and age.
- ``break_routing.csv``: the queue (and optional owner) of a break by rail, partner, category
  and amount; the lowest priority number that matches wins.

Column names that end up in SQL (reference keys, group keys) are checked against allowlists
here, so a rule file can choose among them but never inject SQL.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ops_core.errors import ConfigError
from ops_core.reference.csvload import REFERENCE_DIR, CsvRow, read_rows

RULES_CSV = REFERENCE_DIR / "recon_rules.csv"
ACCOUNTS_CSV = REFERENCE_DIR / "recon_accounts.csv"
SLA_CSV = REFERENCE_DIR / "break_sla.csv"
ROUTING_CSV = REFERENCE_DIR / "break_routing.csv"

PASSES = ("exact", "tolerance", "batch", "return")
LEDGER_KEYS = ("ach_trace_number", "end_to_end_id", "uetr", "network_txn_id", "tx_hash_log_index")
EXT_KEYS = {
    "bank_statement_lines": ("customer_reference", "end_to_end_id", "bank_reference"),
    "card_settlements": ("network_txn_id",),
    "chain_transfers": ("tx_hash_log_index",),
    "iso_status_reports": ("original_end_to_end_id", "original_uetr"),
    "iso_payment_messages": ("end_to_end_id", "uetr", "original_end_to_end_id"),
    "ach_returns": ("original_trace",),
    "ach_nocs": ("original_trace",),
}
GROUPS = ("partner_day", "client_day", "card_batch")
CATEGORIES = (
    "missing_at_bank",
    "unknown_bank_item",
    "amount_mismatch",
    "duplicate",
    "currency_fx",
    "fee_variance",
    "late_settlement",
    "status_mismatch",
    "unmatched_return",
    "unexplained_balance",
)
SEVERITIES = ("low", "medium", "high", "critical")

RULE_COLUMNS = (
    "rule_id", "priority", "pass", "rail_id", "partner_id", "ext_source", "ledger_key",
    "ext_key", "type_codes", "group_by", "on_duplicate", "amount_tol_minor", "amount_tol_bps",
    "fee_max_minor", "fee_fixed_minor", "fee_bps", "date_window_days", "late_after_days",
    "counterparty_min", "description", "source", "effective_from",
)  # fmt: skip
ACCOUNT_COLUMNS = (
    "ext_source", "account", "rail_id", "partner_id", "currency", "description", "source",
    "effective_from",
)  # fmt: skip
SLA_COLUMNS = (
    "category", "min_amount_usd_minor", "min_age_days", "severity", "sla_hours", "escalate_to",
    "source", "effective_from",
)  # fmt: skip
ROUTING_COLUMNS = (
    "priority", "rail_id", "partner_id", "category", "min_amount_usd_minor", "queue", "owner",
    "source", "effective_from",
)  # fmt: skip


@dataclass(frozen=True)
class RuleFiles:
    """Where the four rule tables are read from (tests point these at their own CSVs)."""

    rules: Path = RULES_CSV
    accounts: Path = ACCOUNTS_CSV
    sla: Path = SLA_CSV
    routing: Path = ROUTING_CSV

    def digest(self) -> str:
        """A short hash of the four files: recorded with each run (which rules judged it)."""
        h = hashlib.sha256()
        for path in (self.rules, self.accounts, self.sla, self.routing):
            h.update(path.read_bytes())
        return h.hexdigest()[:12]


def _int(row: CsvRow, field: str, *, optional: bool = False) -> int | None:
    text = row.values[field].strip()
    if not text and optional:
        return None
    try:
        value = int(text)
    except ValueError:
        raise row.error(f"field {field} is {text!r} (expected a whole number)") from None
    if value < 0:
        raise row.error(f"field {field} is negative ({value})")
    return value


def _choice(row: CsvRow, field: str, allowed: tuple[str, ...], *, optional: bool = False):
    value = row.values[field].strip()
    if not value and optional:
        return None
    if value not in allowed:
        raise row.error(f"field {field} is {value!r} (expected one of {list(allowed)})")
    return value


def _rule(row: CsvRow) -> tuple:
    source = _choice(row, "ext_source", tuple(EXT_KEYS))
    kind = _choice(row, "pass", PASSES)
    needs_keys = kind in ("exact", "return")
    ledger_key = _choice(row, "ledger_key", LEDGER_KEYS, optional=not needs_keys)
    ext_key = _choice(row, "ext_key", EXT_KEYS[source], optional=not needs_keys)
    group = _choice(row, "group_by", GROUPS, optional=kind != "batch")
    similarity = row.values["counterparty_min"].strip()
    if similarity and not 0 <= float(similarity) <= 1:
        raise row.error(f"field counterparty_min is {similarity} (expected 0 to 1)")
    return (
        row.required("rule_id"), _int(row, "priority"), kind, row.required("rail_id"),
        row.required("partner_id"), source, ledger_key, ext_key, row.text("type_codes"), group,
        _choice(row, "on_duplicate", ("break", "supersede"), optional=True) or "break",
        _int(row, "amount_tol_minor"), _int(row, "amount_tol_bps"), _int(row, "fee_max_minor"),
        _int(row, "fee_fixed_minor", optional=True), _int(row, "fee_bps", optional=True),
        _int(row, "date_window_days", optional=True), _int(row, "late_after_days", optional=True),
        float(similarity) if similarity else None, row.required("description"),
        row.required("source"), row.iso_date("effective_from"),
    )  # fmt: skip


def _account(row: CsvRow) -> tuple:
    return (
        _choice(row, "ext_source", tuple(EXT_KEYS)), row.required("account"),
        row.required("rail_id"), row.required("partner_id"), row.required("currency"),
        row.required("description"), row.required("source"), row.iso_date("effective_from"),
    )  # fmt: skip


def _sla(row: CsvRow) -> tuple:
    return (
        _choice(row, "category", ("*", *CATEGORIES)), _int(row, "min_amount_usd_minor"),
        _int(row, "min_age_days"), _choice(row, "severity", SEVERITIES), _int(row, "sla_hours"),
        row.required("escalate_to"), row.required("source"), row.iso_date("effective_from"),
    )  # fmt: skip


def _route(row: CsvRow) -> tuple:
    return (
        _int(row, "priority"), row.required("rail_id"), row.required("partner_id"),
        _choice(row, "category", ("*", *CATEGORIES)), _int(row, "min_amount_usd_minor"),
        row.required("queue"), row.text("owner"), row.required("source"),
        row.iso_date("effective_from"),
    )  # fmt: skip


def load(path: Path, columns: tuple[str, ...], parse: Callable[[CsvRow], tuple]) -> list[tuple]:
    rows = [parse(r) for r in read_rows(path, columns)]
    if not rows:
        raise ConfigError(f"{path}: no rows")
    return rows


def check_rules(rows: list[tuple]) -> None:
    """Cross-row checks: unique ids, and return rules keyed like the exact rule of their rail
    (a return is found by the reference its original was matched on)."""
    ids = [r[0] for r in rows]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError(f"{RULES_CSV.name}: rule ids used twice: {dupes}")
    exact = {(r[3], r[4]): r[6] for r in rows if r[2] == "exact"}
    for r in rows:
        if r[2] != "return" or r[3] == "*":
            continue
        key = exact.get((r[3], r[4])) or exact.get((r[3], "*"))
        if key and key != r[6]:
            raise ConfigError(
                f"{RULES_CSV.name}: return rule {r[0]} uses ledger key {r[6]}, but the exact rule "
                f"of {r[3]} matches on {key}; a return must be found by the same reference"
            )


def sync(cur: duckdb.DuckDBPyConnection, files: RuleFiles | None = None) -> str:
    """Replace the four rule tables from their CSVs (in the caller's transaction); the digest."""
    files = files or RuleFiles()
    rules = load(files.rules, RULE_COLUMNS, _rule)
    check_rules(rules)
    tables = {
        "recon_rules": rules,
        "recon_accounts": load(files.accounts, ACCOUNT_COLUMNS, _account),
        "break_sla": load(files.sla, SLA_COLUMNS, _sla),
        "break_routing": load(files.routing, ROUTING_COLUMNS, _route),
    }
    for table, rows in tables.items():
        cur.execute(f"DELETE FROM {table}")
        marks = ", ".join("?" * len(rows[0]))
        cur.executemany(f"INSERT INTO {table} VALUES ({marks})", [list(r) for r in rows])
    return files.digest()
