"""What the parsers yield: frozen records with provenance and integer minor-unit money.

Provenance is ``line`` (1-based physical line of the record) for line formats and
``xml_path`` (e.g. ``/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]``) for ISO 20022.
Amounts are never float: ``amount_minor`` is an int in the currency's minor units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class AchEntry:
    """One NACHA Entry Detail (6) record with its batch context (domain.md 2.2)."""

    line: int
    batch_number: int
    service_class: str
    sec_code: str
    company_name: str
    company_id: str
    company_entry_description: str
    effective_date: str  # YYMMDD as written (may be blank on returns)
    transaction_code: str
    dc: str  # 'debit' | 'credit'
    rdfi_routing: str  # 9 digits incl. check digit
    account: str
    amount_minor: int
    currency: str
    individual_id: str
    individual_name: str
    trace_number: str
    addenda_count: int
    category: str  # 'forward' | 'prenote' | 'return' | 'noc'


@dataclass(frozen=True)
class AchReturn:
    """An addenda 99: a return, a dishonored return (R61-R70) or a contested one (R71-R77)."""

    line: int
    entry_line: int
    entry_trace_number: str
    kind: str  # 'return' | 'dishonored' | 'contested'
    return_code: str
    original_trace: str
    original_rdfi: str
    amount_minor: int
    currency: str
    addenda_info: str
    date_of_death: str = ""
    return_trace: str = ""
    return_settlement_date: str = ""
    return_reason_code: str = ""
    dishonored_return_trace: str = ""
    dishonored_return_settlement_date: str = ""
    dishonored_return_reason_code: str = ""
    trace_number: str = ""


@dataclass(frozen=True)
class AchNoc:
    """An addenda 98: Notification of Change (domain.md 1.3)."""

    line: int
    entry_line: int
    entry_trace_number: str
    change_code: str
    original_trace: str
    original_rdfi: str
    corrected_data: str
    trace_number: str


@dataclass(frozen=True)
class StatementBalance:
    """A balance from BAI2 (03 status codes), camt (Bal) or MT940 (:60:/:62:/:64:/:65:)."""

    account: str
    balance_type: str  # BAI2 type code, ISO Bal/Tp code, or MT940 tag (60F, 62M ...)
    amount_minor: int  # signed
    currency: str
    as_of: date | None
    line: int | None = None
    xml_path: str | None = None
    statement_id: str = ""


@dataclass(frozen=True)
class StatementLine:
    """One booked/pending movement on a bank account: BAI2 16, camt Ntry, MT940 :61:."""

    account: str
    amount_minor: int  # signed: credits positive, debits negative
    currency: str
    dc: str  # 'credit' | 'debit'
    type_code: str  # BAI2 type code, camt BkTxCd, MT940 transaction type id
    booking_date: date | None
    value_date: date | None
    bank_reference: str
    customer_reference: str
    text: str
    line: int | None = None
    xml_path: str | None = None
    statement_id: str = ""
    status: str = "BOOK"
    end_to_end_id: str = ""
    return_reason: str = ""
    reversal: bool = False


@dataclass(frozen=True)
class PaymentMessage:
    """A pacs.008 credit transfer or pacs.004 return, one per transaction."""

    message_type: str  # 'pacs.008' | 'pacs.004'
    xml_path: str
    msg_id: str
    end_to_end_id: str
    tx_id: str
    uetr: str
    amount_minor: int
    currency: str
    settlement_date: date | None
    debtor: str
    creditor: str
    return_reason: str = ""
    original_end_to_end_id: str = ""


@dataclass(frozen=True)
class PaymentStatus:
    """A pacs.002 status: one per TxInfAndSts (or the group status when there is none)."""

    xml_path: str
    msg_id: str
    original_msg_id: str
    original_end_to_end_id: str
    original_tx_id: str
    original_uetr: str
    status: str  # ACSC, ACTC, RJCT, ...
    reason_code: str
    created_at: datetime | None


@dataclass(frozen=True)
class CardSettlement:
    """One row of a card push settlement report (CARD_SETTLEMENT_FORMAT.md)."""

    line: int
    settlement_date: date
    network: str
    network_txn_id: str
    txn_type: str  # OCT | AFT | other network types, upper-case
    amount_minor: int
    currency: str
    fee_minor: int
    interchange_minor: int
    net_minor: int
    batch_id: str


@dataclass(frozen=True)
class ChainTransfer:
    """One ERC-20 Transfer of USDC, keyed by (chain, tx_hash, log_index) (domain.md 8.3)."""

    chain: str
    tx_hash: str
    log_index: int
    block_number: int
    contract: str
    from_address: str
    to_address: str
    amount_minor: int
    currency: str
    removed: bool
    block_time: datetime | None
    line: int | None = None


@dataclass(frozen=True)
class DisputeReportRow:
    """One row of a card dispute (chargeback) report (DISPUTE_REPORT_FORMAT.md)."""

    line: int
    network: str  # visa | mastercard
    dispute_id: str
    network_txn_id: str
    arn: str | None
    reason_code: str
    stage: str  # inquiry | chargeback | representment | pre_arbitration | arbitration
    amount_minor: int
    currency: str
    dispute_date: date
    stage_date: date
    network_due_date: date | None
    transaction_date: date | None
    txn_type: str | None
    card_last4: str | None
    merchant_id: str | None
    merchant_name: str | None
    outcome: str | None  # won | lost | accepted | expired
    report_date: date | None
