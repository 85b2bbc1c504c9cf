"""The demo's card dispute report: one processor file written under ``data/demo/disputes/``
and loaded through the real importer (DISPUTE_REPORT_FORMAT.md), then the deadlines are
evaluated (``expiry.expire_passed``), as a daily job would. Deterministic for the ledger
and ``as_of``.

The report brings four new chargebacks on card pulls (AFT) the demo has not disputed yet,
moves one open Visa case on (the issuer filed pre-arbitration after our dispute response),
and carries one chargeback received 45 days ago that nobody answered: the expiry run closes
it as expired, audited as ``system``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from ops_core import rollups
from ops_core.db import Database
from ops_core.disputes.expiry import ExpiryResult, expire_passed
from ops_core.ingest.loader import LoadResult, load_file

NY = ZoneInfo("America/New_York")
DEMO_ACTOR = "demo generator"  # = ingest.demo_files.DEMO_ACTOR: a rebuild forgets its files
FOLDER = "disputes"
HEADER = (
    "report_date", "network", "dispute_id", "network_txn_id", "arn", "reason_code", "stage",
    "amount", "currency", "dispute_date", "stage_date", "network_due_date", "transaction_date",
    "txn_type", "card_last4", "merchant_id", "merchant_name", "outcome",
)  # fmt: skip
# (rail, reason, days before today the dispute arrived): the new chargebacks of the report
NEW = (
    ("VISA_DIRECT", "13.1", 3),
    ("MC_MOVE", "4853", 2),
    ("VISA_DIRECT", "10.4", 6),
    ("MC_MOVE", "4837", 4),
    ("VISA_DIRECT", "13.3", 45),  # never answered: expired by the deadline run
)
NETWORK = {"VISA_DIRECT": "VISA", "MC_MOVE": "MASTERCARD"}


@dataclass(frozen=True)
class DemoReport:
    path: Path
    load: LoadResult
    expiry: ExpiryResult


def write_and_load(db: Database, out_dir: Path, as_of: datetime) -> DemoReport:
    """Write the report, load it as the demo generator, then expire passed windows."""
    today = as_of.astimezone(NY).date()
    path = write_report(db, Path(out_dir), today)
    loaded = load_file(db, path, name=path.name, actor=DEMO_ACTOR, format="dispute_csv")
    with db.transaction() as cur:
        expired = expire_passed(cur, today, at=as_of)
        rollups.bump_version(cur)
    return DemoReport(path, loaded, expired)


def write_report(db: Database, out_dir: Path, today: date) -> Path:
    folder = out_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.csv"):
        old.unlink()
    cur = db.cursor()
    try:
        rows = [*_advanced(cur, today), *_new(cur, today)]
    finally:
        cur.close()
    path = folder / f"chargebacks_{today:%Y%m%d}.csv"
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows([[today - timedelta(days=1), *r] for r in rows])
    path.write_text(text.getvalue())
    return path


def _new(cur: duckdb.DuckDBPyConnection, today: date) -> list[list[object]]:
    rows: list[list[object]] = []
    used: list[int] = [0]
    for rail, reason, back in NEW:
        arrived = today - timedelta(days=back)
        found = cur.execute(
            "SELECT p.payment_id, p.network_txn_id, p.amount_minor, p.currency,"
            " p.created_at, p.client_id, k.name FROM payments p JOIN clients k USING (client_id)"
            " WHERE p.rail_id = ? AND p.txn_type = 'AFT' AND p.status = 'completed'"
            " AND p.created_at < ?::DATE - 5 AND p.created_at >= ?::DATE - 60"
            " AND p.payment_id NOT IN (SELECT payment_id FROM dispute_cases"
            "   WHERE payment_id IS NOT NULL) AND NOT list_contains(?, p.payment_id)"
            " ORDER BY hash(p.payment_id) LIMIT 1",
            [rail, arrived, arrived, used],
        ).fetchone()
        if found is None:
            continue
        pid, txn, amount, currency, created, client, name = found
        used.append(pid)
        prefix = "VCR" if rail == "VISA_DIRECT" else "MCM"
        rows.append(
            [NETWORK[rail], f"{prefix}-R{pid:09d}", txn, f"74{pid:021d}", reason, "chargeback",
             _decimal(amount), currency, arrived, arrived, "",
             created.astimezone(NY).date(), "AFT", f"{pid % 10_000:04d}", client, name, ""]
        )  # fmt: skip
    return rows


def _advanced(cur: duckdb.DuckDBPyConnection, today: date) -> list[list[object]]:
    """An open Visa case waiting after our dispute response: the issuer filed pre-arb."""
    found = cur.execute(
        "SELECT c.external_ref, p.network_txn_id, c.reason_code, c.amount_disputed_minor,"
        " c.currency, c.opened_at, p.created_at, c.client_id, k.name, c.stage_started_on"
        " FROM dispute_cases c JOIN payments p USING (payment_id)"
        " JOIN clients k ON k.client_id = c.client_id"
        " WHERE c.network = 'visa' AND c.rule_category = 'collaboration'"
        " AND c.stage = 'representment' AND c.status = 'waiting' ORDER BY c.case_id LIMIT 1"
    ).fetchone()
    if found is None:
        return []
    ref, txn, reason, amount, currency, opened, created, client, name, started = found
    filed = max(today - timedelta(days=1), started)
    return [
        ["VISA", ref, txn, "", reason, "pre_arbitration", _decimal(amount), currency,
         opened.astimezone(NY).date(), filed, "", created.astimezone(NY).date(), "AFT", "",
         client, name, ""]
    ]  # fmt: skip


def _decimal(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"
