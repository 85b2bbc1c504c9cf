"""Run the rules: findings for a set of evaluation times, as one DataFrame (findings.COLUMNS).

A pure function of the data and the times: nothing is written. Every rule computes all the
times it is given in one set-based pass (the hourly replay of the demo is one query per rule,
not one per hour).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

import pandas as pd

from ops_core.alerts import codes, gated, rates, returns, stuck
from ops_core.alerts import findings as fx
from ops_core.alerts.rules import RULES, missing_sources

Detector = Callable[..., pd.DataFrame]


def _detectors(hourly: Callable, nacha: Callable) -> dict[str, Detector]:
    return {
        "stuck": stuck.detect,
        "success_drop": lambda cur, t, ctx: rates.detect_success(cur, t, ctx, hourly()),
        "latency_spike": lambda cur, t, ctx: rates.detect_latency(cur, t, ctx, hourly()),
        "new_code": codes.detect_new,
        "code_spike": codes.detect_spike,
        **{
            f"nacha_{rate}": (
                lambda cur, t, ctx, rate=rate: returns.detect(cur, t, ctx, rate, nacha(ctx))
            )
            for rate in returns.RATES
        },
        "settlement_late": gated.detect_settlements,
        "balance_tieout": gated.detect_tieouts,
        "dispute_deadline": gated.detect_disputes,
        "break_sla": gated.detect_breaks,
    }


def detect(
    cur, times: list[datetime], rule_ids: Iterable[str] | None = None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Findings of ``rule_ids`` (default: all) at each of ``times``, and the rules skipped
    because their source tables are missing ({rule_id: reason})."""
    times = sorted(times)
    ctx = fx.context(cur, max(times).date())
    cache: dict = {}

    def hourly() -> pd.DataFrame:
        if "h" not in cache:
            cache["h"] = rates.hourly(cur, times)
        return cache["h"]

    def nacha(ctx: fx.Context) -> dict:
        if "nacha" not in cache:
            cache["nacha"] = returns.rates_at(cur, times, ctx)
        return cache["nacha"]

    detectors = _detectors(hourly, nacha)
    frames, skipped = [], {}
    for rule_id in rule_ids or RULES:
        reason = missing_sources(cur, RULES[rule_id])
        if reason:
            skipped[rule_id] = reason
            continue
        found = detectors[rule_id](cur, times, ctx)
        if not found.empty:
            frames.append(fx.normalize(found))
    if not frames:
        return fx.empty(), skipped
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["at", "rule_id"], kind="stable").reset_index(drop=True), skipped
