"""Card dispute (chargeback) report CSV, mapped through a profile (DISPUTE_REPORT_FORMAT.md).

``parse_dispute_csv`` streams checked rows (a bad row rejects the file naming the line and
the source column); ``load_dispute_report`` is the loader's reader for format
``dispute_csv[:<profile>]``: it writes the rows and, in the same transaction, opens or
advances the dispute cases (``ops_core.disputes.intake.intake_dispute_report``), so a
rejected row or case move leaves nothing behind.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import duckdb

from ops_core.disputes import lifecycle, report_intake, rules
from ops_core.errors import FileRejected
from ops_core.ingest._common import FileTotals, Source, currency_exponent, open_binary
from ops_core.ingest.bulk import BulkJob, Stored
from ops_core.ingest.dispute_profile import (
    COLUMNS,
    REQUIRED,
    DisputeProfile,
    load_profile,
    word_key,
)
from ops_core.ingest.mapped_csv import MappedReader, money, parse_date
from ops_core.ingest.records import DisputeReportRow
from ops_core.ingest.sinks import TableWriter

FORMAT = "dispute_csv"
CARD_STAGES = ("inquiry", "chargeback", "representment", "pre_arbitration", "arbitration")
NETWORKS = {"visa": "visa", "vi": "visa", "mastercard": "mastercard", "mc": "mastercard"}
STAGES = {
    **{s: s for s in CARD_STAGES},
    "rfi": "inquiry", "retrieval": "inquiry", "retrieval_request": "inquiry",
    "request_for_information": "inquiry", "collaboration": "inquiry",
    "dispute": "chargeback", "first_chargeback": "chargeback",
    "response": "representment", "dispute_response": "representment",
    "second_presentment": "representment", "prearbitration": "pre_arbitration",
    "pre_arb": "pre_arbitration", "prearb": "pre_arbitration", "arb": "arbitration",
}  # fmt: skip
MAX_ID = 64


def parse_dispute_csv(
    source: Source, name: str, profile: DisputeProfile | str = "canonical", *, strict: bool = False
) -> Iterator[DisputeReportRow | FileTotals]:
    """Checked dispute rows mapped through ``profile``, then the file's totals."""
    prof = load_profile(profile) if isinstance(profile, str) else profile
    amounts: dict[str, int] = {}
    stages: dict[str, int] = {}
    seen: dict[tuple[str, str], int] = {}
    with open_binary(source) as stream:
        if prof.name == "canonical":
            stream = io.BytesIO(stream.read())
            prof = _fit_header(stream, name, prof)
        reader = MappedReader(stream, name, prof)  # type: ignore[arg-type]  # same options
        for line, values in reader:
            row = _row(values, prof, name, line)
            first = seen.setdefault((row.network, row.dispute_id), line)
            if first != line:
                raise _bad(name, line, prof, "dispute_id",
                           f"second row for dispute {row.dispute_id} (first on line {first})",
                           "each dispute once per report")  # fmt: skip
            amounts[f"disputed_{row.currency}"] = amounts.get(f"disputed_{row.currency}", 0) + (
                row.amount_minor
            )
            stages[row.stage] = stages.get(row.stage, 0) + 1
            yield row
    if not seen:
        raise FileRejected(
            name, "no dispute rows", line=reader.line_num or 1,
            expected=f"rows in the {prof.name} layout",
        )  # fmt: skip
    counts = {"rows": len(seen), **{f"stage_{k}": v for k, v in sorted(stages.items())}}
    yield FileTotals(FORMAT, len(seen), counts, amounts, kind=f"profile {prof.name}")


def load_dispute_report(
    cur: duckdb.DuckDBPyConnection, job: BulkJob, *, profile: DisputeProfile
) -> Stored:
    """Write the report's rows and act on them (open / advance / close cases), all in the
    loader's transaction. The intake's counts join the file's totals."""
    writer = TableWriter(cur, job.file_id, job.progress)
    totals: FileTotals | None = None
    for record in parse_dispute_csv(job.data, job.name, profile, strict=job.strict):
        if isinstance(record, FileTotals):
            totals = record
        else:
            writer.add(record)
    writer.flush()
    assert totals is not None, "the parser ends with FileTotals"
    done = report_intake.intake_dispute_report(cur, job.file_id, job.name)
    counts = {
        **totals.counts,
        "cases_opened": done.opened,
        "cases_advanced": done.advanced,
        "cases_closed": done.closed,
        "unchanged": done.unchanged,
    }
    return Stored(writer.rows, replace(totals, counts=counts, warnings=done.warnings))


def _fit_header(stream: io.BytesIO, name: str, prof: DisputeProfile) -> DisputeProfile:
    """Our own layout: every column of ours the header has, the required ones at least."""
    first = stream.readline().decode("utf-8-sig", errors="replace")
    stream.seek(0)
    header = {cell.strip() for cell in next(csv.reader([first]), [])}
    missing = sorted(REQUIRED - header)
    if missing:
        raise FileRejected(
            name, f"header lacks {', '.join(missing)}", line=1, field="header",
            expected="the DISPUTE_REPORT_FORMAT.md columns",
        )  # fmt: skip
    return replace(prof, columns={c: c for c in COLUMNS if c in header})


def _bad(
    name: str, line: int, prof: DisputeProfile, field: str, message: str, expected: str
) -> FileRejected:
    """A rejection naming the source's column (what the user sees in their file)."""
    return FileRejected(
        name, message, line=line, field=prof.columns.get(field, field), expected=expected
    )


def _row(values: dict[str, str], prof: DisputeProfile, name: str, line: int) -> DisputeReportRow:
    network = _word(values, "network", {**NETWORKS, **prof.network_values}, prof, name, line)
    reason = values["reason_code"].strip()
    if (network, reason) not in rules.reasons():
        known = sorted(c for n, c in rules.reasons() if n == network)
        raise _bad(name, line, prof, "reason_code", f"unknown {network} reason code {reason!r}",
                   ", ".join(known))  # fmt: skip
    stage = _word(values, "stage", {**STAGES, **prof.stage_values}, prof, name, line)
    dispute_date = _date(values, "dispute_date", prof, name, line)
    if dispute_date is None:
        raise _bad(name, line, prof, "dispute_date", "dispute_date is blank", prof.date_format)
    stage_date = _date(values, "stage_date", prof, name, line) or dispute_date
    due = _date(values, "network_due_date", prof, name, line)
    if stage_date < dispute_date:
        raise _bad(name, line, prof, "stage_date", f"{stage_date} is before the dispute date "
                   f"{dispute_date}", f"on or after {dispute_date}")  # fmt: skip
    if due is not None and due < stage_date:
        raise _bad(name, line, prof, "network_due_date", f"{due} is before the stage began "
                   f"({stage_date})", f"on or after {stage_date}")  # fmt: skip
    outcome = values.get("outcome", "").strip().lower()
    if outcome:
        outcome = _word(values, "outcome", {**{o: o for o in lifecycle.OUTCOMES},
                                            **prof.outcome_values}, prof, name, line)  # fmt: skip
    return DisputeReportRow(
        line=line, network=network, dispute_id=_id(values, "dispute_id", prof, name, line),
        network_txn_id=_id(values, "network_txn_id", prof, name, line),
        arn=_arn(values, prof, name, line), reason_code=reason, stage=stage,
        amount_minor=_amount(values, prof, name, line), currency=values["currency"],
        dispute_date=dispute_date, stage_date=stage_date, network_due_date=due,
        transaction_date=_date(values, "transaction_date", prof, name, line),
        txn_type=values.get("txn_type", "").strip().upper() or None,
        card_last4=_last4(values, prof, name, line),
        merchant_id=values.get("merchant_id", "").strip() or None,
        merchant_name=values.get("merchant_name", "").strip() or None,
        outcome=outcome or None, report_date=_date(values, "report_date", prof, name, line),
    )  # fmt: skip


def _word(
    values: dict[str, str],
    field: str,
    allowed: dict[str, str],
    prof: DisputeProfile,
    name: str,
    line: int,
) -> str:
    text = values.get(field, "").strip()
    key = word_key(text)
    if key not in allowed:
        wanted = sorted(set(allowed.values()))
        raise _bad(name, line, prof, field, f"{field} {text!r} is not known", ", ".join(wanted))
    return allowed[key]


def _id(values: dict[str, str], field: str, prof: DisputeProfile, name: str, line: int) -> str:
    text = values.get(field, "").strip()
    if not text or len(text) > MAX_ID:
        raise _bad(name, line, prof, field, f"{field} is {'too long' if text else 'blank'}",
                   f"1 to {MAX_ID} characters")  # fmt: skip
    return text


def _arn(values: dict[str, str], prof: DisputeProfile, name: str, line: int) -> str | None:
    text = values.get("arn", "").strip().replace(" ", "")
    if text and not (len(text) == 23 and text.isascii() and text.isdigit()):
        raise _bad(name, line, prof, "arn", f"not an acquirer reference number: {text!r}",
                   "23 digits")  # fmt: skip
    return text or None


def _last4(values: dict[str, str], prof: DisputeProfile, name: str, line: int) -> str | None:
    text = values.get("card_last4", "").strip()
    if text and not (len(text) == 4 and text.isascii() and text.isdigit()):
        # never store a card number: only its last four digits (PCI DSS 3.4)
        raise _bad(name, line, prof, "card_last4", "not the card's last 4 digits",
                   "4 digits (never the full card number)")  # fmt: skip
    return text or None


def _amount(values: dict[str, str], prof: DisputeProfile, name: str, line: int) -> int:
    values["currency"] = values["currency"].strip().upper()
    if currency_exponent(values["currency"]) is None:
        raise _bad(name, line, prof, "currency", f"unknown currency {values['currency']!r}",
                   "an ISO 4217 code")  # fmt: skip
    if prof.amount_unit == "minor":
        text = values["amount"].strip()
        if not (text.isascii() and text.isdigit()):
            raise _bad(name, line, prof, "amount", f"not minor units: {text!r}",
                       "a whole number of minor units")  # fmt: skip
        amount = int(text)
    else:
        try:
            amount = money(values, "amount", prof, name, line)  # type: ignore[arg-type]
        except FileRejected as exc:
            raise _bad(name, line, prof, "amount", exc.detail, exc.expected or "") from None
    if amount <= 0:
        raise _bad(name, line, prof, "amount", f"disputed amount {values['amount']!r} is not "
                   "positive", "an amount above zero")  # fmt: skip
    return amount


def _date(
    values: dict[str, str], field: str, prof: DisputeProfile, name: str, line: int
) -> date | None:
    text = values.get(field, "").strip()
    if not text:
        return None
    return parse_date(text, prof, name, line, prof.columns.get(field, field))  # type: ignore[arg-type]
