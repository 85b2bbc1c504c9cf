"""Hand-made ledgers for routing tests: attempts written the way the ledger holds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd

from ops_core.db import Database
from ops_core.reference.rails import sync_rails
from ops_core.routing import reference

ET = ZoneInfo("America/New_York")
CLIENTS = [("us1", "US Client", "payroll", "US"), ("dk1", "DK Client", "travel", "DK")]
CURRENCY = {"SEPA_INST": "EUR", "SPEI": "MXN", "UPI": "INR", "USDC": "USDC"}


def et(day: date, hh: int, mm: int = 0) -> datetime:
    """A wall-clock time in New York (the ACH windows' zone)."""
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=ET)


COLUMNS = [
    "payment_id",
    "original_payment_id",
    "attempt_no",
    "original_created_at",
    "client_id",
    "rail_id",
    "partner_id",
    "direction",
    "dc",
    "amount_minor",
    "currency",
    "created_at",
    "final_at",
    "status",
]


@dataclass
class Ledger:
    """Writes payment attempts the way the ledger holds them (one row per attempt).

    Rows are buffered and written in one INSERT by ``flush`` (or on leaving a ``with`` block).
    """

    cur: object
    next_id: int = 1
    rows: list[tuple] = field(default_factory=list)
    known: dict[int, tuple[int, int, datetime]] = field(default_factory=dict)

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.flush()

    def add(
        self,
        rail: str,
        partner: str,
        created: datetime,
        amount: int,
        *,
        status: str = "completed",
        final: datetime | None = None,
        latency_s: float = 2.0,
        direction: str = "push",
        client: str = "us1",
        retry_of: int | None = None,
    ) -> int:
        pid = self.next_id
        self.next_id += 1
        if retry_of is None:
            orig, attempt, orig_created = pid, 1, created
        else:
            orig, attempt, orig_created = self.known[retry_of]
            attempt += 1
        self.known[pid] = (orig, attempt, orig_created)
        if status != "pending" and final is None:
            final = created + timedelta(seconds=latency_s)
        dc = "credit" if direction == "push" else "debit"
        self.rows.append(
            (
                pid,
                orig,
                attempt,
                orig_created,
                client,
                rail,
                partner,
                direction,
                dc,
                amount,
                CURRENCY.get(rail, "USD"),
                created,
                None if status == "pending" else final,
                status,
            )
        )
        return pid

    def flush(self) -> None:
        if not self.rows:
            return
        frame = pd.DataFrame(self.rows, columns=COLUMNS)
        for col in ("original_created_at", "created_at", "final_at"):
            frame[col] = pd.to_datetime(frame[col], utc=True)
        self.cur.register("ledger_rows", frame)
        self.cur.execute("INSERT INTO payments BY NAME SELECT * FROM ledger_rows")
        self.cur.unregister("ledger_rows")
        self.rows.clear()


def prepare(db: Database) -> None:
    """Reference rows a routing ledger needs: rails, two clients, the routing rule tables."""
    with db.transaction() as cur:
        sync_rails(cur)
        cur.executemany(
            "INSERT INTO clients VALUES (?, ?, ?, ?, DATE '2024-01-01')", [list(c) for c in CLIENTS]
        )
        reference.sync(cur)
