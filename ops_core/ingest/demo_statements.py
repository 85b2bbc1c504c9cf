"""Bank statements the demo's partner banks send: BAI2 (US) and camt.053 (SEPA).

One file per account per day, with the opening and closing balance, one entry per
settled item, and control totals that add up (BAI2: 49/98/99 totals and record counts,
domain.md 3.1; camt.053: TxsSummry, domain.md 4.1). Amounts are integer minor units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Item:
    """One movement on the account: credit (money in) or debit (money out)."""

    credit: bool
    amount_minor: int
    type_code: str  # BAI2 type code, or camt Domn/Fmly/SubFmly 'PMNT/ICDT/ESCT'
    bank_reference: str
    customer_reference: str  # ACH trace number, camt EndToEndId
    text: str


@dataclass(frozen=True)
class Account:
    bank: str  # display name of the bank
    bank_id: str  # BAI2 originator id (routing number) or BIC
    number: str  # account number or IBAN
    currency: str


def bai2_file(
    account: Account, day: date, items: Sequence[Item], opening: int, created: datetime
) -> tuple[bytes, int]:
    """A previous-day BAI2 report for one account: (bytes, closing ledger balance)."""
    credits = sum(i.amount_minor for i in items if i.credit)
    debits = sum(i.amount_minor for i in items if not i.credit)
    closing = opening + credits - debits
    n_cr = sum(1 for i in items if i.credit)
    summary = (
        f"03,{account.number},{account.currency},010,{opening},,,015,{closing},,,"
        f"100,{credits},{n_cr},,400,{debits},{len(items) - n_cr},/"
    )
    details = [
        f"16,{i.type_code},{i.amount_minor},0,{i.bank_reference},{i.customer_reference},"
        f"{i.text.replace('/', ' ')}"
        for i in items
    ]
    account_total = opening + closing + credits + debits + credits + debits
    account_records = 1 + len(details) + 1
    stamp = f"{created:%y%m%d},{created:%H%M}"
    lines = [
        f"01,{account.bank_id},RAILYARD,{stamp},{day:%y%m%d}01,,,2/",
        f"02,RAILYARD,{account.bank_id},1,{day:%y%m%d},2400,{account.currency},2/",
        summary,
        *details,
        f"49,{account_total},{account_records}/",
        f"98,{account_total},1,{account_records + 2}/",
        f"99,{account_total},1,{account_records + 4}/",
    ]
    return ("\n".join(lines) + "\n").encode(), closing


def camt053_file(
    account: Account, day: date, items: Sequence[Item], opening: int, created: datetime
) -> tuple[bytes, int]:
    """A camt.053.001.08 end-of-day statement for one account: (bytes, closing booked)."""
    net = sum(i.amount_minor if i.credit else -i.amount_minor for i in items)
    closing = opening + net
    ccy = account.currency
    stmt_id = f"{account.bank_id}-{day:%Y%m%d}"
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">\n'
        f"<BkToCstmrStmt><GrpHdr><MsgId>{stmt_id}</MsgId>"
        f"<CreDtTm>{created:%Y-%m-%dT%H:%M:%SZ}</CreDtTm></GrpHdr>\n"
        f"<Stmt><Id>{stmt_id}</Id><ElctrncSeqNb>{day.toordinal()}</ElctrncSeqNb>"
        f"<CreDtTm>{created:%Y-%m-%dT%H:%M:%SZ}</CreDtTm>"
        f"<FrToDt><FrDtTm>{datetime.combine(day, time()):%Y-%m-%dT%H:%M:%S}Z</FrDtTm>"
        f"<ToDtTm>{day:%Y-%m-%d}T23:59:59Z</ToDtTm></FrToDt>"
        f"<Acct><Id><IBAN>{account.number}</IBAN></Id><Ccy>{ccy}</Ccy>"
        f"<Svcr><FinInstnId><BICFI>{account.bank_id}</BICFI></FinInstnId></Svcr></Acct>\n",
        _balance("OPBD", opening, ccy, day),
        _balance("CLBD", closing, ccy, day),
        "<TxsSummry><TtlNtries>"
        f"<NbOfNtries>{len(items)}</NbOfNtries>"
        f"<Sum>{_decimal(sum(i.amount_minor for i in items))}</Sum>"
        f"<TtlNetNtry><Amt>{_decimal(abs(net))}</Amt>"
        f"<CdtDbtInd>{'CRDT' if net >= 0 else 'DBIT'}</CdtDbtInd></TtlNetNtry>"
        "</TtlNtries></TxsSummry>\n",
    ]
    parts += [_entry(i, ccy, day) for i in items]
    parts.append("</Stmt></BkToCstmrStmt>\n</Document>\n")
    return "".join(parts).encode(), closing


def _decimal(minor: int, places: int = 2) -> str:
    return str(Decimal(minor).scaleb(-places).quantize(Decimal(1).scaleb(-places)))


def _balance(code: str, amount: int, ccy: str, day: date) -> str:
    return (
        f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
        f'<Amt Ccy="{ccy}">{_decimal(abs(amount))}</Amt>'
        f"<CdtDbtInd>{'CRDT' if amount >= 0 else 'DBIT'}</CdtDbtInd>"
        f"<Dt><Dt>{day:%Y-%m-%d}</Dt></Dt></Bal>\n"
    )


def _entry(item: Item, ccy: str, day: date) -> str:
    domain, family, sub = item.type_code.split("/")
    party = "Dbtr" if item.credit else "Cdtr"
    return (
        f"<Ntry><NtryRef>{escape(item.bank_reference)}</NtryRef>"
        f'<Amt Ccy="{ccy}">{_decimal(item.amount_minor)}</Amt>'
        f"<CdtDbtInd>{'CRDT' if item.credit else 'DBIT'}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
        f"<BookgDt><Dt>{day:%Y-%m-%d}</Dt></BookgDt><ValDt><Dt>{day:%Y-%m-%d}</Dt></ValDt>"
        f"<AcctSvcrRef>{escape(item.bank_reference)}</AcctSvcrRef>"
        f"<BkTxCd><Domn><Cd>{domain}</Cd><Fmly><Cd>{family}</Cd>"
        f"<SubFmlyCd>{sub}</SubFmlyCd></Fmly></Domn></BkTxCd>"
        f"<NtryDtls><TxDtls><Refs><EndToEndId>{escape(item.customer_reference)}</EndToEndId>"
        f"</Refs><RltdPties><{party}><Pty><Nm>{escape(item.text)}</Nm></Pty></{party}>"
        "</RltdPties></TxDtls></NtryDtls></Ntry>\n"
    )
