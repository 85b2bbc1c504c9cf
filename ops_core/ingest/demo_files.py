"""The demo's external data as real files, loaded through the real importers.

``write_and_load(db, out_dir, as_of)`` reads the demo ledger (table ``payments``), writes
what banks, networks and the chain would send about it, and loads every file with
``loader.load_file``, so the demo exercises the same path as a user's upload:

* ``ach/``: NACHA return files (addenda 99) per ODFI and return day over the whole ledger
  window, and one notification-of-change file (addenda 98);
* ``bai2/``: a BAI2 previous-day report per ACH partner account and day;
* ``camt053/``: a camt.053 statement of the SEPA Instant account (Nordhavn) per day;
* ``pacs002/``: a pacs.002 status report per instant rail (RTP, FedNow), partner and day;
* ``card/``: a card push settlement CSV per network and settlement day (T+1);
* ``usdc/``: the day's USDC Transfer logs (eth_getLogs JSON).

The per-day files cover the last ``days`` complete days before ``as_of`` (10 by default:
the 1M-payment demo then writes about 250 files and 100k rows in a few seconds). A few
realistic discrepancies are injected on purpose for reconciliation to find; they are
listed in ``discrepancies.json`` beside the files and in the returned summary.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections import namedtuple
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from ops_core import calendars, sql
from ops_core.db import Database
from ops_core.ingest import demo_nacha as nacha
from ops_core.ingest import demo_rails as rails
from ops_core.ingest import demo_statements as stmts
from ops_core.ingest.loader import LoadResult, load_file
from ops_core.ingest.sinks import TABLES

DEMO_ACTOR = "demo generator"
DAYS = 10
RETURN_WINDOW_DAYS = 90
# The demo ledger's ODFIs: trace numbers start with these DFI ids (ops_core.demo.build.ROUTING).
ODFIS = {
    "LAKESHORE": nacha.Odfi("LAKESHORE", "Lakeshore Bank", "07100001"),
    "MERIDIAN": nacha.Odfi("MERIDIAN", "Meridian Trust", "02100002"),
}
ACCOUNTS = {
    "LAKESHORE": stmts.Account("Lakeshore Bank", ODFIS["LAKESHORE"].routing, "4410072819", "USD"),
    "MERIDIAN": stmts.Account("Meridian Trust", ODFIS["MERIDIAN"].routing, "7730021455", "USD"),
    "NORDHAVN": stmts.Account("Nordhavn Bank", "NRDHDKKK", "DK5000400440116243", "EUR"),
}
OPENING = {"LAKESHORE": 2_500_000_000, "MERIDIAN": 1_800_000_000, "NORDHAVN": 2_000_000_000}
INSTANT = [("RTP", "LAKESHORE"), ("RTP", "MERIDIAN"), ("FEDNOW", "MERIDIAN")]
CARDS = {"VISA_DIRECT": "VISA", "MC_MOVE": "MASTERCARD"}
FEE_MINOR = 250  # the bank fee netted from one ACH settlement credit


@dataclass(frozen=True)
class Discrepancy:
    """A difference injected on purpose between the ledger and an external file."""

    kind: str
    file: str  # path relative to out_dir
    day: str
    payment_id: int | None
    detail: str


@dataclass
class _Plan:
    """Everything one run writes: ledger rows by file, the day window, what was injected."""

    settled: dict[tuple[str, str, date], list[Any]]  # (rail, partner, final day) -> rows
    returns: dict[tuple[str, date], list[Any]]  # (partner, return day) -> rows
    days: list[date]
    as_of: datetime
    discrepancies: list[Discrepancy]

    def rows(self, rail: str, partner: str, day: date | None, *statuses: str) -> list[Any]:
        found = self.settled.get((rail, partner, day), []) if day else []
        return [r for r in found if r.status in (statuses or ("completed",))]


def demo_dir(db: Database) -> Path:
    """Where a database's demo files go: ``demo/`` beside its file (``data/demo/`` for
    ``data/railyard.duckdb``), or a fresh temporary folder for an in-memory database."""
    if db.path == ":memory:":
        return Path(tempfile.mkdtemp(prefix="railyard_demo_"))
    return Path(db.path).resolve().parent / "demo"


def write_and_load(db: Database, out_dir: Path, as_of: datetime, *, days: int = DAYS) -> dict:
    """Write the demo's external files under ``out_dir`` and load them; a summary dict."""
    started = time.perf_counter()
    paths, discrepancies = _write(db, Path(out_dir), as_of, days)
    written = time.perf_counter() - started
    clear_demo_files(db)
    results = load_demo_files(db, paths)
    return {
        "out_dir": str(out_dir),
        "files": len(paths),
        "rows": sum(r.rows for r in results),
        "flagged": [r.name for r in results if not r.control_ok],
        "write_seconds": round(written, 2),
        "seconds": round(time.perf_counter() - started, 2),
        "discrepancies": [asdict(d) for d in discrepancies],
    }


def write_demo_files(
    db: Database, out_dir: Path, as_of: datetime, *, days: int = DAYS
) -> list[Path]:
    """Write the files (and ``discrepancies.json``); the data files' paths, in load order."""
    return _write(db, Path(out_dir), as_of, days)[0]


def load_demo_files(db: Database, paths: Iterable[Path]) -> list[LoadResult]:
    """Load each file through the importers, as the demo generator (a rejection raises)."""
    return [load_file(db, path, name=path.name, actor=DEMO_ACTOR) for path in paths]


def clear_demo_files(db: Database) -> int:
    """Forget files an earlier demo build loaded (its ledger is gone); user files stay.

    Two transactions: DuckDB checks a foreign key against rows deleted earlier in the
    same transaction, so the referencing rows must be gone (committed) first."""
    ids = "SELECT file_id FROM source_files WHERE loaded_by = ?"
    with db.transaction() as cur:
        for table in sorted(set(TABLES.values())):
            cur.execute(f"DELETE FROM {table} WHERE source_file_id IN ({ids})", [DEMO_ACTOR])
    with db.transaction() as cur:
        cur.execute("DELETE FROM source_files WHERE loaded_by = ? RETURNING file_id", [DEMO_ACTOR])
        return len(cur.fetchall())


def _write(
    db: Database, out_dir: Path, as_of: datetime, days: int
) -> tuple[list[Path], list[Discrepancy]]:
    plan = _plan(db, as_of.astimezone(UTC), days)
    files: dict[str, bytes] = {}
    files.update(_return_files(plan))
    files.update(_noc_file(plan))
    files.update(_bai2_files(plan))
    files.update(_camt_files(plan))
    files.update(_pacs_files(plan))
    files.update(_card_files(plan))
    files.update(_usdc_files(plan))
    paths = []
    for rel, data in files.items():
        path = out_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    _clean(out_dir, set(paths))
    listing = [asdict(d) for d in plan.discrepancies]
    (out_dir / "discrepancies.json").write_text(json.dumps(listing, indent=1) + "\n")
    return paths, plan.discrepancies


SUBDIRS = ("ach", "bai2", "camt053", "pacs002", "card", "usdc")


def _clean(out_dir: Path, keep: set[Path]) -> None:
    """Remove files of an earlier run that this run did not rewrite (only in the folders
    this module writes)."""
    for sub in SUBDIRS:
        for old in (out_dir / sub).glob("*"):
            if old.is_file() and old not in keep:
                old.unlink()


def _plan(db: Database, as_of: datetime, days: int) -> _Plan:
    last = as_of.date() - timedelta(days=1)
    window = [last - timedelta(days=n) for n in range(days - 1, -1, -1)]
    start = datetime.combine(window[0] - timedelta(days=1), datetime.min.time(), UTC)
    today = datetime.combine(as_of.date(), datetime.min.time(), UTC)
    settled: dict[tuple[str, str, date], list[Any]] = {}
    returns: dict[tuple[str, date], list[Any]] = {}
    cur = db.cursor()
    try:
        every_rail = ["ACH", "RTP", "FEDNOW", "SEPA_INST", "USDC", *CARDS]
        for r in _fetch(cur, "ingest/demo_settled", rails=every_rail, since=start, until=today):
            settled.setdefault((r.rail_id, r.partner_id, r.final_day), []).append(r)
        since = as_of - timedelta(days=RETURN_WINDOW_DAYS)
        for r in _fetch(cur, "ingest/demo_returns", since=since, until=as_of):
            returns.setdefault((r.partner_id, r.return_day), []).append(r)
    finally:
        cur.close()
    return _Plan(settled, returns, window, as_of, [])


def _fetch(cur: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[Any]:
    """A named statement's rows as named tuples (plain Python: cheaper than a DataFrame)."""
    cur.execute(sql.statement(name), params)
    row = namedtuple("Row", [d[0] for d in cur.description])
    return [row(*values) for values in cur.fetchall()]


def _note(plan: _Plan, kind: str, rel: str, day: date, payment_id: Any, detail: str) -> None:
    pid = None if payment_id is None else int(payment_id)
    plan.discrepancies.append(Discrepancy(kind, rel, day.isoformat(), pid, detail))


def _day_offset(plan: _Plan, back: int) -> date | None:
    """The window's last day minus ``back`` days, if the window reaches that far."""
    return plan.days[-1 - back] if back < len(plan.days) else None


# --- NACHA returns and NOCs -------------------------------------------------------------


def _return_item(row: Any, code: str, corrected: str = "") -> nacha.ReturnItem:
    amount = 0 if code.startswith("C") else int(row.amount_minor)  # a NOC moves no money
    return nacha.ReturnItem(
        payment_id=int(row.payment_id), client_id=row.client_id, client_name=row.client_name,
        sec=row.txn_type, dc=row.dc, amount_minor=amount,
        code=code, original_trace=row.ach_trace_number, name=row.counterparty_name,
        account=row.counterparty_account, corrected_data=corrected,
    )  # fmt: skip


def _return_files(plan: _Plan) -> dict[str, bytes]:
    files = {}
    for (partner, day), rows in sorted(plan.returns.items()):
        items = [_return_item(r, r.code) for r in rows]
        created = max(r.returned_at for r in rows) + timedelta(minutes=1)
        rel = f"ach/returns_{partner}_{day:%Y%m%d}.ach"
        files[rel] = nacha.ach_file(ODFIS[partner], items, day, created, f"R{day:%m%d}")
    return files


NOC_CHANGES = [("C01", "account"), ("C05", "32"), ("C02", "routing"), ("C01", "account"),
               ("C05", "32")]  # fmt: skip


def _noc_file(plan: _Plan) -> dict[str, bytes]:
    """Five notifications of change from Lakeshore about entries settled two days before."""
    day, source = plan.days[-1], _day_offset(plan, 2)
    rows = plan.rows("ACH", "LAKESHORE", source)[: len(NOC_CHANGES)]
    if not rows:
        return {}
    items = []
    for row, (code, what) in zip(rows, NOC_CHANGES, strict=False):
        corrected = {"account": row.counterparty_account[::-1], "routing": "071000505"}.get(
            what, what
        )
        items.append(_return_item(row, code, corrected))
    rel = f"ach/noc_LAKESHORE_{day:%Y%m%d}.ach"
    created = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=14)
    return {rel: nacha.ach_file(ODFIS["LAKESHORE"], items, day, created, f"N{day:%m%d}")}


# --- bank statements --------------------------------------------------------------------


def _ach_items(plan: _Plan, partner: str, day: date) -> list[tuple[int, stmts.Item]]:
    rows = plan.rows("ACH", partner, day, "completed", "returned")
    items = [(int(x.payment_id), _ach_item(x, partner)) for x in rows]
    for x in plan.returns.get((partner, day), []):
        credit = x.dc == "credit"  # a returned payout comes back in; a returned pull goes out
        text = (
            f"RETURN {x.code} {x.client_name} {nacha.ascii_text(x.counterparty_name, 22).strip()}"
        )
        item = stmts.Item(credit, int(x.amount_minor), "168" if credit else "468",
                          f"RT{x.payment_id:010d}", x.ach_trace_number, text)  # fmt: skip
        items.append((int(x.payment_id), item))
    return items


def _ach_item(row: Any, partner: str) -> stmts.Item:
    credit = row.dc == "debit"  # a pull collects money into the account
    name = nacha.ascii_text(row.counterparty_name, 22).strip()
    reference = f"{partner[:2]}{row.payment_id:010d}"
    return stmts.Item(credit, int(row.amount_minor), "143" if credit else "452", reference,
                      row.ach_trace_number, f"{row.client_name} {row.txn_type} {name}")  # fmt: skip


def _bai2_files(plan: _Plan) -> dict[str, bytes]:
    per_day = {(p, d): _ach_items(plan, p, d) for p in ODFIS for d in plan.days}
    _inject_fee(plan, per_day)
    _inject_late(plan, per_day)
    files = {}
    for partner in ODFIS:
        balance = OPENING[partner]
        for day in plan.days:
            items = [item for _, item in per_day[(partner, day)]]
            created = datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC)
            data, balance = stmts.bai2_file(ACCOUNTS[partner], day, items, balance,
                                            created + timedelta(hours=6))  # fmt: skip
            files[_bai2_rel(partner, day)] = data
    return files


def _bai2_rel(partner: str, day: date) -> str:
    return f"bai2/{partner}_{day:%Y%m%d}.bai2"


def _inject_fee(plan: _Plan, per_day: dict) -> None:
    """A fee netted from one Lakeshore ACH settlement credit (the latest banking day but one)."""
    for back in range(1, len(plan.days)):
        day = _day_offset(plan, back)
        items = per_day.get(("LAKESHORE", day), [])
        for index, (pid, item) in enumerate(items):
            if item.type_code == "143" and item.amount_minor > 10 * FEE_MINOR:
                fee = stmts.Item(**{**asdict(item), "amount_minor": item.amount_minor - FEE_MINOR})
                items[index] = (pid, fee)
                _note(plan, "amount_differs_by_fee", _bai2_rel("LAKESHORE", day), day, pid,
                      f"the bank credited {FEE_MINOR / 100:.2f} USD less than the ledger amount "
                      f"({item.amount_minor} -> {fee.amount_minor} cents): a fee netted from "
                      f"the ACH settlement of trace {item.customer_reference}")  # fmt: skip
                return


def _inject_late(plan: _Plan, per_day: dict) -> None:
    """One Meridian settlement booked two banking days after the ledger's settlement day
    (taken from the first day at least 4 days back that has settlements)."""
    for back in range(4, len(plan.days)):
        source = _day_offset(plan, back)
        target = calendars.add_banking_days("US_FED", source, 2)
        items = per_day.get(("MERIDIAN", source), [])
        settlements = [(p, i) for p, i in items if i.type_code in ("143", "452")]
        if settlements and target <= plan.days[-1]:
            break
    else:
        return
    pid, item = settlements[0]
    items.remove((pid, item))
    per_day[("MERIDIAN", target)].append((pid, item))
    _note(plan, "late_settlement", _bai2_rel("MERIDIAN", target), target, pid,
          f"settled {source} in the ledger, on the bank statement of {target} (2 banking "
          "days late); "
          f"missing from {_bai2_rel('MERIDIAN', source)}")  # fmt: skip


def _camt_files(plan: _Plan) -> dict[str, bytes]:
    files, balance = {}, OPENING["NORDHAVN"]
    for day in plan.days:
        items = [stmts.Item(r.dc == "debit", int(r.amount_minor), "PMNT/ICDT/ESCT",
                            f"NH{r.payment_id:012d}", r.end_to_end_id, r.counterparty_name)
                 for r in plan.rows("SEPA_INST", "NORDHAVN", day)]  # fmt: skip
        rel = f"camt053/NORDHAVN_{day:%Y%m%d}.xml"
        if day == plan.days[-1]:
            items.append(_unmatched_credit(plan, rel, day))
        created = datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC)
        files[rel], balance = stmts.camt053_file(ACCOUNTS["NORDHAVN"], day, items, balance,
                                                 created + timedelta(hours=5))  # fmt: skip
    return files


def _unmatched_credit(plan: _Plan, rel: str, day: date) -> stmts.Item:
    _note(plan, "no_ledger_payment", rel, day, None,
          "an incoming SEPA credit of 1,250.00 EUR from Fjordline ApS (EndToEndId "
          "NOTPROVIDED) that no ledger payment explains")  # fmt: skip
    return stmts.Item(True, 125_000, "PMNT/RCDT/ESCT", f"NH-IN-{day:%Y%m%d}-0001",
                      "NOTPROVIDED", "Fjordline ApS")  # fmt: skip


# --- rails and chain --------------------------------------------------------------------


def _pacs_files(plan: _Plan) -> dict[str, bytes]:
    files = {}
    mismatch_day = _day_offset(plan, 3)
    for rail, partner in INSTANT:
        for day in plan.days:
            rows = plan.rows(rail, partner, day, "completed", "failed")
            items = [_status(r) for r in rows]
            rel = f"pacs002/{rail}_{partner}_{day:%Y%m%d}.xml"
            if rail == "FEDNOW" and day == mismatch_day:
                _inject_rejection(plan, rel, day, rows, items)
            created = datetime.combine(day + timedelta(days=1), datetime.min.time(), UTC)
            files[rel] = rails.pacs002_file(f"{partner[:4]}{rail}{day:%Y%m%d}",
                                            f"RY{rail}{day:%Y%m%d}", created, items)  # fmt: skip
    return files


def _status(row: Any) -> rails.Status:
    ok = row.status == "completed"
    at = row.final_at
    return rails.Status(row.end_to_end_id, row.uetr, "ACSC" if ok else "RJCT",
                        "" if ok else row.code, at)  # fmt: skip


def _inject_rejection(plan: _Plan, rel: str, day: date, rows: list[Any], items: list) -> None:
    for index, (row, status) in enumerate(zip(rows, items, strict=True)):
        if status.status == "ACSC":
            items[index] = rails.Status(
                status.end_to_end_id, status.uetr, "RJCT", "AM04", status.at
            )
            _note(plan, "status_mismatch", rel, day, row.payment_id,
                  "FedNow reports RJCT AM04 (insufficient funds) for a payment the ledger "
                  "shows completed")  # fmt: skip
            return


def _card_files(plan: _Plan) -> dict[str, bytes]:
    files = {}
    duplicate_day = _day_offset(plan, 2)
    for rail, network in CARDS.items():
        for day in plan.days:
            rows = plan.rows(rail, network, day - timedelta(days=1))  # settled T+1
            cards = [_card_row(r) for r in rows]
            rel = f"card/{network}_{day:%Y%m%d}.csv"
            if network == "VISA" and day == duplicate_day and cards:
                cards.insert(1, cards[0])
                _note(plan, "duplicate", rel, day, rows[0].payment_id,
                      f"Visa settled network transaction {cards[0].network_txn_id} twice "
                      "in the same report")  # fmt: skip
            files[rel] = rails.card_csv_file(network, day, cards)
    return files


def _card_row(row: Any) -> rails.CardRow:
    fee, interchange = rails.card_fees(row.txn_type, int(row.amount_minor))
    return rails.CardRow(row.network_txn_id, row.txn_type, int(row.amount_minor), fee, interchange)


def _usdc_files(plan: _Plan) -> dict[str, bytes]:
    files = {}
    missing_day = _day_offset(plan, 1)
    for day in plan.days:
        rows = plan.rows("USDC", "KEYSTONE", day)
        transfers = [rails.Transfer(r.tx_hash, int(r.log_index), r.counterparty_account,
                                    int(r.amount_minor), r.final_at.replace(tzinfo=UTC))
                     for r in rows]  # fmt: skip
        rel = f"usdc/ethereum_{day:%Y%m%d}.json"
        if day == missing_day and transfers:
            gone = transfers.pop(0)
            _note(plan, "missing_on_chain", rel, day, rows[0].payment_id,
                  f"the ledger has USDC transfer {gone.tx_hash} completed; the day's logs "
                  "have no Transfer for it")  # fmt: skip
        files[rel] = rails.usdc_logs_file("ethereum", transfers)
    return files


def describe(discrepancies: Sequence[dict]) -> str:
    """One line per injected discrepancy, for a build log."""
    return "\n".join(f"{d['kind']}: {d['file']} ({d['day']}): {d['detail']}" for d in discrepancies)
