"""Tiny hand-made worlds for reconciliation: a few payments, a few external rows, one run.

``World`` writes straight into the ledger and ingest tables (the parsers are tested in
tests/ingest); every external row gets a source file so provenance is real.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from ops_core import recon
from ops_core.db import Database, open_db
from ops_core.reference.sync import sync_reference

AS_OF = datetime(2026, 3, 13, 18, 0, tzinfo=UTC)  # a Friday
LAKESHORE_ACCOUNT = "4410072819"
NORDHAVN_IBAN = "DK5000400440116243"


def at(day: date, hour: int = 15) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class World:
    """Builder of a reconciliation scenario on a migrated database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.ids = itertools.count(1)
        self.files = itertools.count(1)
        with db.transaction() as cur:
            sync_reference(cur)

    def _exec(self, query: str, params: list) -> None:
        with self.db.transaction() as cur:
            cur.execute(query, params)

    # ---- ledger ----
    def payment(
        self,
        *,
        rail: str = "ACH",
        partner: str = "LAKESHORE",
        amount: int = 10_000,
        currency: str = "USD",
        status: str = "completed",
        day: date = date(2026, 3, 9),
        dc: str = "credit",
        trace: str | None = None,
        e2e: str | None = None,
        ntid: str | None = None,
        tx: tuple[str, int] | None = None,
        name: str = "Ada Lovelace",
        client: str = "acme",
        payment_id: int | None = None,
    ) -> int:
        pid = payment_id or next(self.ids)
        created = at(day, 9)
        final = None if status == "pending" else at(day)
        self._exec(
            "INSERT INTO payments (payment_id, original_payment_id, original_created_at,"
            " client_id, rail_id, partner_id, direction, dc, amount_minor, currency, created_at,"
            " final_at, status, ach_trace_number, end_to_end_id, network_txn_id, tx_hash,"
            " log_index, counterparty_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?, ?)",
            [
                pid,
                pid,
                created,
                client,
                rail,
                partner,
                "pull" if dc == "debit" else "push",
                dc,
                amount,
                currency,
                created,
                final,
                status,
                trace,
                e2e,
                ntid,
                tx[0] if tx else None,
                tx[1] if tx else None,
                name,
            ],
        )
        return pid

    # ---- external ----
    def file(self, name: str, fmt: str = "bai2") -> int:
        fid = next(self.files)
        self._exec(
            "INSERT INTO source_files (file_id, sha256, original_name, format, size_bytes,"
            " row_count, totals, loaded_at, loaded_by, control_ok) VALUES"
            " (?, ?, ?, ?, 0, 0, '{}', ?, 'test', TRUE)",
            [fid, f"sha-{fid}-{name}", name, fmt, AS_OF],
        )
        return fid

    def bank_line(
        self,
        file_id: int,
        *,
        amount: int,
        dc: str = "debit",
        day: date = date(2026, 3, 9),
        ref: str | None = None,
        e2e: str | None = None,
        type_code: str | None = None,
        text: str = "",
        account: str = LAKESHORE_ACCOUNT,
        currency: str = "USD",
        line: int = 1,
        status: str = "BOOK",
    ) -> None:
        code = type_code or ("143" if dc == "credit" else "452")
        signed = amount if dc == "credit" else -amount
        self._exec(
            "INSERT INTO bank_statement_lines (source_file_id, source_line, account, amount_minor,"
            " currency, dc, type_code, booking_date, value_date, bank_reference,"
            " customer_reference, text, status, end_to_end_id) VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                file_id,
                line,
                account,
                signed,
                currency,
                dc,
                code,
                day,
                day,
                f"B{line}",
                ref or "",
                text,
                status,
                e2e or "",
            ],
        )

    def balances(
        self,
        file_id: int,
        *,
        day: date,
        opening: int,
        closing: int,
        account: str = LAKESHORE_ACCOUNT,
        currency: str = "USD",
    ) -> None:
        for code, amount in (("010", opening), ("015", closing)):
            self._exec(
                "INSERT INTO bank_balances (source_file_id, account, balance_type, amount_minor,"
                " currency, as_of) VALUES (?, ?, ?, ?, ?, ?)",
                [file_id, account, code, amount, currency, day],
            )

    def card(
        self,
        file_id: int,
        *,
        ntid: str,
        amount: int,
        day: date = date(2026, 3, 10),
        txn_type: str = "OCT",
        fee: int | None = None,
        network: str = "VISA",
        batch: str = "VISA20260310",
        line: int = 2,
    ) -> None:
        fee = 25 + amount * 10 // 10_000 if fee is None else fee
        net = amount - fee if txn_type == "AFT" else -(amount + fee)
        self._exec(
            "INSERT INTO card_settlements VALUES (?, ?, ?, ?, ?, ?, ?, 'USD', ?, 0, ?, ?)",
            [file_id, line, day, network, ntid, txn_type, amount, fee, net, batch],
        )

    def status(
        self,
        file_id: int,
        *,
        e2e: str,
        status: str = "ACSC",
        reason: str = "",
        day: date = date(2026, 3, 10),
        path: str = "/Document/TxInfAndSts[1]",
    ) -> None:
        self._exec(
            "INSERT INTO iso_status_reports (source_file_id, xml_path, original_end_to_end_id,"
            " status, reason_code, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [file_id, path, e2e, status, reason, at(day, 1)],
        )

    def chain(
        self,
        file_id: int,
        *,
        tx: tuple[str, int],
        amount: int,
        day: date = date(2026, 3, 9),
        removed: bool = False,
    ) -> None:
        self._exec(
            "INSERT INTO chain_transfers VALUES (?, 1, 'ethereum', ?, ?, 1, 'c', 'f', 't', ?,"
            " 'USDC', ?, ?)",
            [file_id, tx[0], tx[1], amount, removed, at(day)],
        )

    def ach_return(
        self, file_id: int, *, trace: str, amount: int, code: str = "R01", line: int = 3
    ) -> None:
        self._exec(
            "INSERT INTO ach_entries (source_file_id, source_line, batch_number, service_class,"
            " sec_code, effective_date, transaction_code, dc, rdfi_routing, amount_minor,"
            " currency, trace_number, addenda_count, category) VALUES"
            " (?, ?, 1, '200', 'PPD', '260310', '21', 'credit', '071000013', ?, 'USD', ?, 1,"
            " 'return')",
            [file_id, line, amount, f"R{trace}"],
        )
        self._exec(
            "INSERT INTO ach_returns (source_file_id, source_line, entry_line, entry_trace_number,"
            " kind, return_code, original_trace, amount_minor, currency) VALUES"
            " (?, ?, ?, ?, 'return', ?, ?, ?, 'USD')",
            [file_id, line + 1, line, f"R{trace}", code, trace, amount],
        )

    def noc(self, file_id: int, *, trace: str, code: str = "C01", line: int = 5) -> None:
        self._exec(
            "INSERT INTO ach_nocs (source_file_id, source_line, entry_line, entry_trace_number,"
            " change_code, original_trace, corrected_data) VALUES (?, ?, ?, ?, ?, ?, 'x')",
            [file_id, line + 1, line, f"N{trace}", code, trace],
        )

    # ---- run and read ----
    def run(self, as_of: datetime = AS_OF) -> recon.RunResult:
        return recon.run(self.db, as_of=as_of)

    def query(self, q: str, *params) -> pd.DataFrame:
        cur = self.db.cursor()
        try:
            return cur.execute(q, list(params)).df()
        finally:
            cur.close()

    def ledger_state(self, pid: int) -> str:
        return self.query("SELECT state FROM recon_ledger_state WHERE payment_id = ?", pid).state[0]

    def breaks(self) -> pd.DataFrame:
        return self.query("SELECT * FROM recon_breaks ORDER BY break_id")

    def open_breaks(self) -> pd.DataFrame:
        return self.query(
            "SELECT * FROM recon_breaks WHERE status IN ('open', 'investigating', 'escalated')"
            " ORDER BY break_id"
        )


@pytest.fixture
def world(tmp_path) -> Iterator[World]:
    db = open_db(tmp_path / "recon.duckdb")
    yield World(db)
    db.close()


def days_back(n: int) -> date:
    return AS_OF.date() - timedelta(days=n)
