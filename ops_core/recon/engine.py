"""The reconciliation run: stage new files, match in passes, classify, tie out, manage breaks.

A run is one transaction (all or nothing) of named statements in ``ops_core/sql/recon``:

1. sync the rule tables from their CSVs (``rules.sync``) and purge items of removed files;
2. stage what nobody has staged: the rows of new files into ``recon_ext_items`` and new
   payments into ``recon_ledger_items`` (migration 061; the ingest loader stages each file as
   it loads it, ``ops_core.recon.staging``, so this is usually nothing);
3. pass 1 ``exact``: in-scope payments against settlement items on the reference their rail's
   rule names, classified in the same join (``pass_exact``), duplicates resolved. The pairs
   are kept (``recon_pairs``, migration 062): a run pairs again only the references of items
   staged since the pairs were made (with every item sharing them), and everything on a first
   run, when a rule changed or when an item went away (``_pairs_scope``). The verdict of every
   unpaired ledger item (in flight, missing, ...) is worked out again by every run;
4. the rows of the items whose kept pair is not clean (the exceptions: a few hundred thousand
   of 10 million) fetched once (``exc_rows_*``) for the steps that read their columns; pass 2
   ``tolerance`` and pass 3 ``batch`` on what is left; their matches are kept too;
5. pass 4 ``return``: returns and NOCs linked to their original entry;
6. item states (exactly one per ledger and external item; a clean pair is its recon_pairs
   row, the rest are written again), balance tie-out per account/day;
7. findings -> breaks: new ones opened and routed, found ones refreshed, vanished ones closed
   with the reason (what matched them), breached SLAs escalated; every change audited.

A second run over the same inputs changes nothing but its own run record (idempotent).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb
import pandas as pd

from ops_core import money, rollups, sql
from ops_core.access import User, actor_name, require
from ops_core.db import Database
from ops_core.health import data_now
from ops_core.recon import days, rules
from ops_core.reference.csvload import REFERENCE_DIR

ENGINE_ACTOR = "reconciliation engine"
FX_CSV = REFERENCE_DIR / "fx_reference_rates.csv"
_PARAM = re.compile(r"\$(\w+)")


@dataclass(frozen=True)
class RunResult:
    """What a run did: recorded in ``recon_runs`` as well."""

    run_id: int
    as_of: datetime
    seconds: float
    inputs: dict[str, Any]
    counts: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)


class _Steps:
    """Runs named statements on one cursor and times each step (for the run record, bench)."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> None:
        self.cur, self.params, self.timings = cur, params, {}

    def __call__(self, step: str, *names: str, **extra: Any) -> None:
        started = time.perf_counter()
        for name in names:
            statement = sql.statement(f"recon/{name}")
            body = "\n".join(
                ln for ln in statement.splitlines() if not ln.lstrip().startswith("--")
            )
            names_used = set(_PARAM.findall(body))
            wanted = {k: v for k, v in {**self.params, **extra}.items() if k in names_used}
            self.cur.execute(statement, wanted)
        self.timings[step] = self.timings.get(step, 0.0) + time.perf_counter() - started

    def timed(self, step: str, action: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        value = action()
        self.timings[step] = self.timings.get(step, 0.0) + time.perf_counter() - started
        return value

    def scalar(self, query: str, params: list | None = None) -> Any:
        return self.cur.execute(query, params or []).fetchone()[0]


def run(
    db: Database,
    *,
    as_of: datetime | None = None,
    actor: str | User = ENGINE_ACTOR,
    files: rules.RuleFiles | None = None,
) -> RunResult:
    """Reconcile everything loaded so far as of ``as_of`` (default: the data's now). A run
    opens, escalates and closes breaks: a ``User`` actor needs ``edit_breaks``
    (PermissionDenied otherwise); the run records ``actor_name(actor)``."""
    if isinstance(actor, User):
        require(actor, "edit_breaks")
    actor = actor_name(actor)
    started = time.perf_counter()
    with db.transaction() as cur:
        as_of = (as_of or data_now(cur)).astimezone(UTC)
        run_id = cur.execute(
            "INSERT INTO recon_runs (started_at, as_of, actor, status) VALUES (?, ?, ?, 'running')"
            " RETURNING run_id",
            [datetime.now(UTC), as_of, actor],
        ).fetchone()[0]
    try:
        with db.writing, db.transaction() as cur:  # loads and rollup catch-ups wait
            result = _run(cur, run_id, as_of, actor, files or rules.RuleFiles(), started)
    except Exception as exc:
        with db.transaction() as cur:
            cur.execute(
                "UPDATE recon_runs SET status = 'failed', finished_at = ?, message = ?,"
                " duration_ms = ? WHERE run_id = ?",
                [datetime.now(UTC), str(exc)[:2000], _ms(started), run_id],
            )
        raise
    return result


def _run(
    cur: duckdb.DuckDBPyConnection,
    run_id: int,
    as_of: datetime,
    actor: str,
    files: rules.RuleFiles,
    started: float,
) -> RunResult:
    now = datetime.now(UTC)
    params = {
        "run_id": run_id,
        "as_of": as_of,
        "as_of_day": as_of.date(),
        "now": now,
        "actor": actor,
    }
    step = _Steps(cur, params)
    # Every statement that needs an order says ORDER BY; without this DuckDB keeps the input
    # order of 10-million-row temp tables for nothing. SESSION: this cursor only.
    cur.execute("SET SESSION preserve_insertion_order = false")
    digest = step.timed("rules", lambda: rules.sync(cur, files))
    step("setup", "macros", "macro_source", "macro_names", "macro_code")
    step.timed("setup", lambda: _register_fx(cur))
    step("purge", "purge_items", "purge_staged", "purge_coverage", "purge_bank_days")
    step("purge", "purge_matches")
    step("stage", "new_files", *FILE_STAGING)
    staged = cur.execute(
        "SELECT count(*), coalesce(sum(items), 0) FROM recon_staged_files WHERE run_id = ?",
        [run_id],
    ).fetchone()
    ledger_digest = stage_ledger(cur, step, as_of.date())
    every = step.timed("pairs", lambda: _pairs_scope(cur, step, f"{digest}/{ledger_digest}"))
    step("exact", "rule_no_clear", "rule_no_keep")
    step("exact", "pass_exact", "pairs_fix", "pairs_view", all=every)
    ext_dups, ledger_dups = step.timed("duplicates", lambda: _fanned_out(cur, every))
    if ext_dups or ledger_dups:
        dups = {"ext_dups": ext_dups, "ledger_dups": ledger_dups}
        step("duplicates", "dup_refs", "dup_resolve", "dup_delete", "dup_delete_ext", **dups)
        step("duplicates", "dup_insert")
    paired = step.scalar("SELECT count(*) FROM rx_pairs_x") + step.scalar(
        "SELECT count(*) FROM rx_pairs_fix"
    )
    step("keep", "pairs_delete", "pairs_insert", all=every)
    step("keep", "verdicts", "verdicts_delete", "verdicts_insert", "pairs_kept_view")
    # the exceptions' rows, fetched once for the steps that read their columns
    step("exceptions", "pairs_exc_view", "exc_rows_ledger", "exc_rows_ext")
    step("tolerance", "leftover_ext", "leftover_ledger", "pass_tolerance")
    if step.scalar("SELECT count(*) FROM rx_left_e WHERE source_table = 'bank_statement_lines'"):
        step("batch", "card_batches")
        for (rule_id,) in cur.execute(
            "SELECT rule_id FROM recon_rules WHERE pass = 'batch' AND effective_from <= ?"
            " ORDER BY priority, rule_id",
            [as_of.date()],
        ).fetchall():
            step("batch", "pass_batch", rule_id=rule_id)
    step("returns", "pass_return")
    step("states", "ledger_states", "ext_states", "exceptions_ledger", "exceptions_ext")
    step("balances", "balances_clear", "balances")
    step("findings", "findings_pairs", "findings_unpaired", "findings_other", "judge")
    step("breaks", "changes_create", "breaks_new", "breaks_new_changes", "breaks_refresh")
    step("breaks", "breaks_reopen", "breaks_reopen_apply", "breaks_reopen_changes")
    step("breaks", "breaks_close", "breaks_close_apply", "breaks_close_changes")
    step("breaks", "breaks_escalate", "breaks_escalate_apply", "breaks_escalate_changes")
    step("breaks", "audit_changes", "resolved_items")
    step("write", "states_clear_ext", "states_clear_ext_exc")
    step("write", "states_write_ledger", "states_write_ext")
    step.timed("keep", lambda: _keep_basis(cur, f"{digest}/{ledger_digest}"))
    inputs = {
        "files_staged": int(staged[0]),
        "items_staged": int(staged[1]),
        "external_items": step.scalar("SELECT count(*) FROM recon_ext_items"),
        "ledger_items": step.scalar("SELECT count(*) FROM recon_ledger_items"),
        "pairs_made": "all" if every else "changed",
        "pair_rows_made": int(paired),
        "rules": digest,
        "as_of": as_of.isoformat(),
    }
    counts = step.timed("counts", lambda: _counts(cur, run_id))
    seconds = time.perf_counter() - started
    cur.execute(
        "UPDATE recon_runs SET status = 'done', finished_at = ?, inputs = ?, counts = ?,"
        " duration_ms = ? WHERE run_id = ?",
        [datetime.now(UTC), json.dumps(inputs), json.dumps(counts), _ms(started), run_id],
    )
    rollups.bump_version(cur)
    return RunResult(run_id, as_of, seconds, inputs, counts, dict(step.timings))


# what staging writes (files at load or by a run, the ledger side): kept by
# reset(staging=False)
STAGED_TABLES = (
    "recon_ext_items",
    "recon_staged_files",
    "recon_ext_coverage",
    "recon_ext_bank_days",
    "recon_ledger_items",
    "recon_ledger_combos",
    "recon_ledger_basis",
)


RESET_TABLES = (
    *STAGED_TABLES,
    "recon_matches",
    "recon_pairs",
    "recon_pairs_basis",
    "recon_paired_files",
    "recon_rule_no",
    "recon_ledger_exc",
    "recon_ext_exc",
    "recon_balances",
    "recon_breaks",
    "recon_runs",
)

# The statements that stage new files (rx_new_files) and what is kept per staged file, in
# order: a run (after new_files) and the loader (ops_core.recon.staging, after new_file) run
# the same ones.
FILE_STAGING = ("stage_external", "staged_files", "staged_coverage", "staged_bank_days")


def reset(db: Database, *, staging: bool = True) -> None:
    """Forget every run, item, match and break (and the breaks' audit trail): the next run
    starts from scratch. For a rebuilt demo world and the benchmark, not for production.
    ``staging=False`` keeps the staged external items (``ops_core.recon.staging``: staged
    when their file was loaded; a run purges those of removed files) and the staged ledger
    (a run forgets the rows of payments that are gone)."""
    kept = () if staging else STAGED_TABLES
    with db.transaction() as cur:
        for table in RESET_TABLES:
            if table not in kept:
                cur.execute(f"DELETE FROM {table}")
        cur.execute("DELETE FROM audit_log WHERE entity = 'break'")
        rollups.bump_version(cur)


def _pairs_scope(cur: duckdb.DuckDBPyConnection, step: _Steps, digest: str) -> bool:
    """Which items the exact pass pairs: True for all of them (no kept pairs yet, or what
    they were made from changed: the rules, the staged ledger's basis; or an item went away:
    a ledger row deleted, a paired file no longer staged). Else rx_dirty_l and rx_dirty_e
    name the items to pair again: those staged since the pairs were made and every item
    sharing a reference with one (recon/dirty_*), whose kept pairs are replaced."""
    kept = cur.execute("SELECT digest, ledger_seq, ledger_count FROM recon_pairs_basis").fetchone()
    every = kept is None or kept[0] != digest
    if not every:
        seq = kept[1] if kept[1] is not None else -1
        now, new = cur.execute(
            "SELECT count(*), count(*) FILTER (WHERE coalesce(seq, 0) > ?) FROM recon_ledger_items",
            [seq],
        ).fetchone()
        gone_files = cur.execute(
            "SELECT count(*) FROM recon_paired_files"
            " WHERE file_id NOT IN (SELECT file_id FROM recon_staged_files)"
        ).fetchone()[0]
        # every row new: staged again (its basis changed), so every pair is made again
        every = now != kept[2] + new or gone_files > 0 or (new > 0 and new == now)
    if every:
        step("pairs", "dirty_none", "dirty_none_ext")
    else:
        step("pairs", "paired_new", "dirty_refs", "dirty_ledger", "dirty_ext", ledger_seq=seq)
    return every


def _keep_basis(cur: duckdb.DuckDBPyConnection, digest: str) -> None:
    """Record what the kept pairs now include (recon_pairs_basis, recon_paired_files)."""
    # rows staged before migration 062 have no number: 0, older than any staging since
    seq, count = cur.execute(
        "SELECT coalesce(max(seq), 0), count(*) FROM recon_ledger_items"
    ).fetchone()
    cur.execute("DELETE FROM recon_pairs_basis")
    cur.execute("INSERT INTO recon_pairs_basis VALUES (?, ?, ?)", [digest, seq, count])
    cur.execute("DELETE FROM recon_paired_files")
    cur.execute("INSERT INTO recon_paired_files SELECT file_id FROM recon_staged_files")


def _fanned_out(cur: duckdb.DuckDBPyConnection, every: bool) -> tuple[bool, bool]:
    """Whether some reference paired more than once: (a payment paired twice, i.e. a duplicate
    on the external side; an external item paired twice, a duplicate in the ledger). Every
    input item (of the items paired this run) appears exactly once in the exact pass's pairs
    unless a reference fanned out.
    Counting is cheap; finding which references did is an aggregation over 10 million pairs,
    done only for the side that needs it."""
    ledger_in = cur.execute(
        "SELECT count(*) FROM recon_ledger_items WHERE rule_no IS NOT NULL AND payment_id NOT IN ("
        " SELECT unnest(ledger_ids) FROM recon_matches)"
        " AND (? OR payment_id IN (SELECT payment_id FROM rx_dirty_l))",
        [every],
    ).fetchone()[0]
    ext_in = cur.execute(
        "SELECT count(*) FROM recon_ext_items WHERE role = 'settlement' AND ext_id NOT IN ("
        " SELECT unnest(ext_ids) FROM recon_matches WHERE pass = 'tolerance'"
        " UNION SELECT ext_ids[1] FROM recon_matches WHERE pass = 'batch')"
        " AND (? OR ext_id IN (SELECT ext_id FROM rx_dirty_e))",
        [every],
    ).fetchone()[0]
    rows = cur.execute("SELECT count(payment_id), count(ext_id) FROM rx_pairs_x").fetchone()
    return rows[0] != ledger_in, rows[1] != ext_in


def _counts(cur: duckdb.DuckDBPyConnection, run_id: int) -> dict[str, Any]:
    def by(query: str) -> dict[str, int]:
        return {
            str(k): int(v) for k, v in cur.execute(query, [run_id] * query.count("?")).fetchall()
        }

    # the states' counts as recon_ledger_state / recon_ext_state would give them, without
    # grouping their 10 million clean pairs by a string: those are one count, of the
    # recon_matched view's rows on the outcome codes (the view's join to the rule names
    # changes no count)
    states = (
        "SELECT state, sum(n) FROM (SELECT 'matched' AS state, count(*) AS n FROM rx_pairs"
        " WHERE outcome_code IN (rx_code('outcome', 'ok'), rx_code('outcome', 'ok_tolerance'))"
        " AND payment_id IS NOT NULL AND ext_id IS NOT NULL"
        " UNION ALL SELECT state, count(*) FROM {} GROUP BY state)"
        " GROUP BY state HAVING sum(n) > 0 ORDER BY state"
    )
    return {
        "ledger": by(states.format("recon_ledger_exc")),
        "external": by(states.format("recon_ext_exc")),
        "matches": by("SELECT pass, count(*) FROM recon_matches WHERE run_id = ? GROUP BY 1"),
        "breaks": {
            "new": cur.execute(
                "SELECT count(*) FROM recon_breaks WHERE first_run_id = ?", [run_id]
            ).fetchone()[0],
            "closed": cur.execute("SELECT count(*) FROM rx_close").fetchone()[0],
            "reopened": cur.execute("SELECT count(*) FROM rx_reopen").fetchone()[0],
            "escalated": cur.execute("SELECT count(*) FROM rx_escalate").fetchone()[0],
            "open": by(
                "SELECT category, count(*) FROM recon_breaks"
                " WHERE status IN ('open', 'investigating', 'escalated') GROUP BY 1 ORDER BY 1"
            ),
        },
    }


def stage_ledger(cur: duckdb.DuckDBPyConnection, step: _Steps, as_of_day: date) -> str:
    """The rules in force, the rules' banking days and the ledger side: stage the payments
    nobody has staged into recon_ledger_items (all of them when the basis they were staged
    under changed, migration 061) and define the rx_ledger view (a run, and bench.recon's
    exact pass alone). Returns the scope part of the staged rows' basis (which rule, number,
    source and reference field each (rail, partner) has): the kept pairs depend on it; the
    late days they depend on are in the staged rows themselves."""
    every = step.timed("stage_ledger", lambda: _unstaged_payments(cur))
    step("rules", "combos", all=every)
    step("rules", "rules_in_force", "rule_numbers")
    step.timed("rules", lambda: _register_rule_params(cur))
    step.timed("setup", lambda: _register_days(cur, as_of_day))
    step("stage_ledger", "coverage", "scope", "currencies")
    step.timed("stage_ledger", lambda: _register_currencies(cur))
    stored = cur.execute("SELECT digest, lo, hi FROM recon_ledger_basis").fetchone()
    if stored is not None and stored[0] != _basis(cur, stored[1], stored[2]):
        cur.execute("DELETE FROM recon_ledger_items")  # staged under other rules or calendars
        every = True
    digest = stored[0] if stored is not None else None
    if every or stored is None or _any_new(cur):
        seq = cur.execute("SELECT nextval('recon_stage_seq')").fetchone()[0]
        step("stage_ledger", "ledger", all=every, seq=seq)
        lo, hi = cur.execute(
            "SELECT min(item_day), max(item_day) FROM recon_ledger_items"
        ).fetchone()
        digest = _basis(cur, lo, hi)
        cur.execute("DELETE FROM recon_ledger_basis")
        cur.execute("INSERT INTO recon_ledger_basis VALUES (?, ?, ?)", [digest, lo, hi])
    step("stage_ledger", "ledger_view")
    return digest.split("/")[0]


def stage_new_files(cur: duckdb.DuckDBPyConnection, run_id: int) -> None:
    """Stage the files of rx_new_files in the caller's transaction (the ingest loader, after
    recon/new_file): the FILE_STAGING statements a run's "stage" step runs after new_files."""
    _Steps(cur, {"run_id": run_id, "now": datetime.now(UTC)})("stage", *FILE_STAGING)


def stage_payments(cur: duckdb.DuckDBPyConnection, as_of_day: date | None = None) -> None:
    """Stage the payments nobody has staged, in the caller's transaction (the ingest loader,
    after a ledger file's rows are written; the rule tables must be synced): the ledger side
    a run would otherwise stage, paid per file at load time (``ops_core.recon.staging``)."""
    as_of_day = as_of_day or data_now(cur).astimezone(UTC).date()
    step = _Steps(cur, {"as_of_day": as_of_day})
    step("setup", "macros", "macro_source", "macro_names", "macro_code")
    stage_ledger(cur, step, as_of_day)


def _unstaged_payments(cur: duckdb.DuckDBPyConnection) -> bool:
    """Find the payments to stage: True for every payment (nothing is staged yet); else
    rx_new_pay holds the unstaged ones (none when the staged ids are the payments' ids, which
    a count and a checksum of the ids tell without joining 10 million rows to 10 million),
    and staged rows of payments that are gone are deleted."""
    n_pay, n_staged, same = cur.execute(
        "SELECT (SELECT count(*) FROM payments), (SELECT count(*) FROM recon_ledger_items),"
        " (SELECT sum(hash(payment_id)) FROM payments)"
        " IS NOT DISTINCT FROM (SELECT sum(hash(payment_id)) FROM recon_ledger_items)"
    ).fetchone()
    if n_staged == 0 or (n_pay == n_staged and same):
        cur.execute(sql.statement("recon/ledger_none"))
        return n_staged == 0
    cur.execute(sql.statement("recon/ledger_gone"))
    cur.execute(sql.statement("recon/ledger_new"))
    return False


def _any_new(cur: duckdb.DuckDBPyConnection) -> bool:
    return cur.execute("SELECT count(*) FROM rx_new_pay").fetchone()[0] > 0


def _basis(cur: duckdb.DuckDBPyConnection, lo: date | None, hi: date | None) -> str:
    """The digest of what staged ledger rows depend on (recon/ledger_basis): 'scope/days'."""
    scope, day_digest = cur.execute(
        sql.statement("recon/ledger_basis"), {"lo": lo, "hi": hi}
    ).fetchone()
    return f"{scope}/{day_digest}"


def _register_fx(cur: duckdb.DuckDBPyConnection) -> None:
    """rx_fx(currency, exponent, usd_per_unit): the reference rates with each currency's
    minor-unit exponent, for USD exposure and for formatting amounts in break texts."""
    rates = pd.read_csv(FX_CSV, dtype={"currency": str, "usd_per_unit": str})
    rates = rates.sort_values("effective_from").groupby("currency").tail(1)
    frame = pd.DataFrame(
        {
            "currency": rates["currency"],
            "exponent": [money.exponent(c) for c in rates["currency"]],
            "usd_per_unit": rates["usd_per_unit"].astype(float),
        }
    )
    cur.register("rx_fx_frame", frame)
    cur.execute("CREATE OR REPLACE TEMP TABLE rx_fx AS SELECT * FROM rx_fx_frame")
    cur.unregister("rx_fx_frame")


def _register_currencies(cur: duckdb.DuckDBPyConnection) -> None:
    """rx_currency(code): the currency string of a cur_code of rx_cur (recon/currencies), as a
    CASE over the ledger's few currencies. The rx_ledger view decodes with it; a join to rx_cur
    there made the optimizer reorder the joins of every step reading the view."""
    rows = cur.execute("SELECT cur, currency FROM rx_cur ORDER BY cur").fetchall()
    cases = " ".join(f"WHEN {int(code)} THEN {_literal(name)}" for code, name in rows)
    body = f"CASE code {cases} END" if rows else "CAST(NULL AS VARCHAR)"
    cur.execute(f"CREATE OR REPLACE TEMP MACRO rx_currency(code) AS {body}")


# the rule columns the exact pass reads, each a macro rx_rule_<column>(rule_no)
RULE_PARAMS = ("amount_tol_minor", "amount_tol_bps", "fee_max_minor", "fee_fixed_minor", "fee_bps")


def _register_rule_params(cur: duckdb.DuckDBPyConnection) -> None:
    """rx_rule_<column>(rule_no) for RULE_PARAMS: the rule's value by its run number
    (rx_rule_no: 1, 2, ... dense) from a constant list. The exact pass reads them only for
    the pairs that get that far in its CASE; joining every pair to the rules instead cost
    a tenth of the pass (measured at 3M and 10M rows, alternated with the floor)."""
    rows = cur.execute(
        "SELECT n.rule_no, " + ", ".join(f"r.{c}" for c in RULE_PARAMS) + " FROM recon_rules"
        " AS r JOIN rx_rule_no AS n ON n.rule_id = r.rule_id ORDER BY n.rule_no"
    ).fetchall()
    if [row[0] for row in rows] != list(range(1, len(rows) + 1)):
        raise AssertionError("rx_rule_no is not numbered 1, 2, ...")
    for at, column in enumerate(RULE_PARAMS, start=1):
        values = ", ".join("NULL" if row[at] is None else str(int(row[at])) for row in rows)
        cur.execute(
            f"CREATE OR REPLACE TEMP MACRO rx_rule_{column}(n) AS CAST([{values}] AS BIGINT[])[n]"
        )


def _literal(text: str) -> str:
    """A string as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _register_days(cur: duckdb.DuckDBPyConnection, as_of_day: date) -> None:
    """rx_days(rule_id, day, ...): each rule's date windows over the data's date range."""
    lo, hi = cur.execute(
        "SELECT least(utc_day(min(coalesce(final_at, created_at))), $d),"
        " greatest(utc_day(max(coalesce(final_at, created_at))), $d) FROM payments",
        {"d": as_of_day},
    ).fetchone()
    ext_lo, ext_hi = cur.execute(
        "SELECT min(value_date), max(value_date) FROM recon_ext_items"
    ).fetchone()
    start = min(d for d in (lo, ext_lo) if d is not None) - timedelta(days=7)
    end = max(d for d in (hi, ext_hi) if d is not None) + timedelta(days=7)
    calendars = dict(cur.execute("SELECT rail_id, calendar FROM rails").fetchall())
    wanted = [
        days.DayRule(rule_id, days.calendars_by_rail(calendars, rail), late, window)
        for rule_id, rail, late, window in cur.execute(
            "SELECT rule_id, rail_id, late_after_days, date_window_days FROM recon_rules"
        ).fetchall()
    ]
    table = days.as_arrow(days.rule_days(wanted, start, end))
    cur.register("rx_days_frame", table)
    cur.execute("CREATE OR REPLACE TEMP TABLE rx_days AS SELECT * FROM rx_days_frame")
    cur.unregister("rx_days_frame")


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
