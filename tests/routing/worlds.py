"""A small world of US bank-account routes with known history, for what-if tests.

History (Monday 2026-11-02, $500 payments, band 'small'), 100 pushes and (ACH only) 100 pulls
per route:

    route                       success   latency           cost per payment (fees, 1 attempt)
    ACH via LAKESHORE next_day    99/100  next 08:30 ET     15.35 cents
    ACH via MERIDIAN  next_day    98/100  next 08:30 ET     12.35
    ACH via LAKESHORE same_day   100/100  13:00 ET          50.55
    ACH via MERIDIAN  same_day    99/100  13:00 ET          45.55
    RTP via LAKESHORE instant     99/100  1 s               29.50
    RTP via MERIDIAN  instant     99/100  3 s               34.50
    FEDNOW via MERIDIAN instant   97/100  2 s               24.50

The payments simulated are on Tuesday 2026-11-03 (ET = UTC-5) and mostly pending, so they do
not change the history. A payment's urgency is the service its own route delivered.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from ops_core import routing
from ops_core.routing import Policy, reference, whatif
from tests.routing.ledger import Ledger, et

MON, TUE = date(2026, 11, 2), date(2026, 11, 3)
HISTORY = [
    # rail, partner, service, failures, latency (s) or None for ACH
    ("ACH", "LAKESHORE", "next_day", 1),
    ("ACH", "MERIDIAN", "next_day", 2),
    ("ACH", "LAKESHORE", "same_day", 0),
    ("ACH", "MERIDIAN", "same_day", 1),
    ("RTP", "LAKESHORE", "instant", 1),
    ("RTP", "MERIDIAN", "instant", 1),
    ("FEDNOW", "MERIDIAN", "instant", 3),
]
LATENCY_S = {"RTP/LAKESHORE": 1, "RTP/MERIDIAN": 3, "FEDNOW/MERIDIAN": 2}
PERIOD = (datetime(2026, 11, 3, 5, tzinfo=UTC), datetime(2026, 11, 4, 5, tzinfo=UTC))


def history(led: Ledger, direction: str = "push") -> None:
    for rail, partner, service, failures in HISTORY:
        if direction == "pull" and rail != "ACH":
            continue
        for i in range(100):
            status = ("returned" if rail == "ACH" else "failed") if i < failures else "completed"
            if rail != "ACH":
                created = et(MON, 12)
                final = created + timedelta(seconds=LATENCY_S[f"{rail}/{partner}"])
            elif service == "same_day":
                created, final = et(MON, 10), et(MON, 13)
            else:
                created, final = et(MON, 12), et(TUE, 8, 30)
            led.add(rail, partner, created, 50_000, status=status, final=final, direction=direction)


def simulate(db, payments, policy: Policy, paths: dict[str, Path] | None = None):
    """Add the payments, refresh, run the what-if; per-payment choices and candidates."""
    with db.transaction() as cur:
        with Ledger(cur, next_id=db.led_next) as led:
            for p in payments:
                led.add(**p)
        db.led_next = led.next_id
        routing.refresh(cur)
        if paths:
            reference.sync(cur, paths)
    cur = db.cursor()
    whatif.run(cur, *PERIOD, policy)
    choice = exact(cur, "SELECT * FROM routing_whatif ORDER BY original_payment_id")
    cands = exact(cur, "SELECT * FROM routing_candidates")
    whatif.drop(cur)
    return choice, cands


def exact(cur, query: str):
    """A DataFrame whose DECIMAL columns hold Decimal values (not floats)."""
    return cur.sql(query).to_arrow_table().to_pandas()


def push(hh: int, mm: int = 0, amount: int = 50_000, rail="ACH", partner="LAKESHORE", **kw):
    """A pending push created on Tuesday at hh:mm ET (pending ACH reads as next-day)."""
    return dict(
        rail=rail, partner=partner, created=et(TUE, hh, mm), amount=amount, status="pending", **kw
    )


def same_day(hh: int, mm: int = 0, direction: str = "push", partner="LAKESHORE"):
    """An ACH payment that settled the same ET day (so its urgency is same_day)."""
    return dict(
        rail="ACH",
        partner=partner,
        created=et(TUE, hh, mm),
        amount=50_000,
        final=et(TUE, 18),
        direction=direction,
    )
