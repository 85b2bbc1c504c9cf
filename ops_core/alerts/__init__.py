"""Alerts, incidents and partner scorecards (GitHub issue 6).

Evaluation is a function of the data and a point in time: ``evaluate(db, at)`` runs every
rule (``rules``: thresholds as data in reference/alert_rules.csv) over the rollups and the
ledger as they were at ``at`` and moves the alerts' state machine (``store``) to ``at``:
new conditions open alerts, cleared ones resolve themselves. ``replay`` does the same hour by
hour over a range in one pass (the demo uses it). ``python -m ops_core.alerts evaluate``.

- ``detectors``: the rules' findings (pure, nothing written); ``store``: the state machine;
- ``actions``: acknowledge, assign, snooze, resolve with a note (audited, version-checked);
- ``incidents``: group alerts, post-mortem fields, timeline, Markdown export;
- ``scorecards``: per partner success rate, latency, settlement timeliness, incidents;
- ``webhook``: Slack-compatible notifications with retries; ``demo``: the demo's alerts.
"""

from __future__ import annotations

import json
import time as clock
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb
import pandas as pd

from ops_core import rollups
from ops_core.alerts import findings, store
from ops_core.alerts.detectors import detect
from ops_core.alerts.rules import RULES
from ops_core.db import Database
from ops_core.errors import OpsError

__all__ = [
    "RULES",
    "RunResult",
    "detect",
    "evaluate",
    "evaluate_in",
    "last_run",
    "replay",
    "replay_in",
]
DAILY_HOUR = 6  # daily rules run in a replay at 06:00 UTC (before the US business day)


@dataclass(frozen=True)
class RunResult:
    """What one evaluation (or a replay of many) did."""

    at: datetime
    firing: int
    opened: tuple[int, ...]
    resolved: tuple[int, ...]
    skipped: dict[str, str]
    seconds: float


def last_run(cur: duckdb.DuckDBPyConnection) -> datetime | None:
    return cur.execute("SELECT max(evaluated_at) FROM alert_runs").fetchall()[0][0]


def evaluate(db: Database, at: datetime, rule_ids: list[str] | None = None) -> RunResult:
    """Evaluate every rule (or ``rule_ids``) at ``at`` and update the alerts, in one transaction.

    Refuses an ``at`` earlier than the latest evaluation: alerts only move forward in time.
    """
    with db.transaction() as cur:
        return evaluate_in(cur, at, rule_ids)


def evaluate_in(cur, at: datetime, rule_ids: list[str] | None = None) -> RunResult:
    """``evaluate`` inside the caller's transaction."""
    started = clock.perf_counter()
    at = at.astimezone(UTC)
    _check_forward(cur, at)
    found, skipped = detect(cur, [at], rule_ids)
    evaluated = {r for r in (rule_ids or RULES) if r not in skipped}
    m = store.load(cur)
    store.step(m, at, store.records(found), evaluated, store.id_source(cur))
    store.write(cur, m)
    seconds = clock.perf_counter() - started
    _record_runs(
        cur, [(at, evaluated, skipped, len(found), len(m.opened), len(m.resolved))], seconds
    )
    rollups.bump_version(cur)
    return RunResult(at, len(found), tuple(m.opened), tuple(m.resolved), skipped, seconds)


def replay(
    db: Database, start: datetime, end: datetime, step: timedelta = timedelta(hours=1)
) -> RunResult:
    """Evaluate at every ``step`` from ``start`` to ``end`` (inclusive) as if run on schedule:
    hourly rules at each step, daily rules (cadence 24) at DAILY_HOUR UTC. One detection
    pass per rule, one write, one transaction."""
    with db.transaction() as cur:
        return replay_in(cur, start, end, step)


def replay_in(
    cur, start: datetime, end: datetime, step: timedelta = timedelta(hours=1)
) -> RunResult:
    """``replay`` inside the caller's transaction."""
    started = clock.perf_counter()
    times = list(
        pd.date_range(start.astimezone(UTC), end.astimezone(UTC), freq=step).to_pydatetime()
    )
    if not times:
        raise OpsError(f"nothing to replay between {start} and {end}")
    _check_forward(cur, times[0])
    due = {r: _due(rule.cadence, times) for r, rule in RULES.items()}
    found, skipped = _detect_by_cadence(cur, due)
    m = store.load(cur)
    next_id = store.id_source(cur)
    by_time: dict[datetime, list] = {}
    for f in store.records(found):
        by_time.setdefault(f["at"], []).append(f)
    runs = []
    for at in times:
        evaluated = {r for r, ts in due.items() if at in ts and r not in skipped}
        now = by_time.get(at, [])
        opened, resolved = len(m.opened), len(m.resolved)
        store.step(m, at, now, evaluated, next_id)
        runs.append(
            (at, evaluated, skipped, len(now), len(m.opened) - opened, len(m.resolved) - resolved)
        )
    store.write(cur, m)
    seconds = clock.perf_counter() - started
    _record_runs(cur, runs, seconds / len(times))
    rollups.bump_version(cur)
    return RunResult(times[-1], len(found), tuple(m.opened), tuple(m.resolved), skipped, seconds)


def _due(cadence: int, times: list[datetime]) -> set[datetime]:
    if cadence <= 1:
        return set(times)
    return {t for t in times if t.hour == DAILY_HOUR and t.minute == 0} or {times[-1]}


def _detect_by_cadence(cur, due: dict[str, set[datetime]]):
    groups: dict[frozenset, list[str]] = {}
    for rule_id, ts in due.items():
        groups.setdefault(frozenset(ts), []).append(rule_id)
    frames, skipped = [], {}
    for ts, rule_ids in groups.items():
        found, skip = detect(cur, sorted(ts), rule_ids)
        skipped.update(skip)
        if len(found):
            frames.append(found)
    found = pd.concat(frames, ignore_index=True) if frames else findings.empty()
    return found, skipped


def _check_forward(cur, at: datetime) -> None:
    last = last_run(cur)
    if last is not None and at < last:
        raise OpsError(
            f"alerts were already evaluated up to {last:%Y-%m-%d %H:%M} UTC; evaluate at that "
            "time or later (alerts move forward in time)"
        )


def _record_runs(cur, runs: list, seconds: float) -> None:
    rows = []
    for at, evaluated, skipped, firing, opened, resolved in runs:
        rows.append(
            {
                "evaluated_at": at,
                "ran_at": datetime.now(UTC),
                "seconds": seconds,
                "rules": json.dumps(sorted(evaluated)),
                "skipped": json.dumps(skipped, sort_keys=True),
                "firing": firing,
                "opened": opened,
                "resolved": resolved,
            }
        )
    store._append(cur, "alert_runs", rows)
