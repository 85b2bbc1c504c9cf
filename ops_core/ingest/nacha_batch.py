"""A NACHA batch (5 ... 8) and the entry being read inside it (domain.md 2.2, 2.3)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from ops_core.errors import FileRejected
from ops_core.ingest import nacha_addenda as addenda
from ops_core.ingest.controls import Controls
from ops_core.ingest.nacha_fields import Rec
from ops_core.ingest.nacha_rules import (
    ADV_TRANSACTION_CODES,
    CREDIT_ONLY_SEC,
    DEBIT_ONLY_SEC,
    PRENOTE_CODES,
    SEC_CODES,
    SERVICE_CLASSES,
    TRANSACTION_CODES,
    is_credit,
)
from ops_core.ingest.records import AchEntry, AchNoc, AchReturn

CURRENCY = "USD"
HASH_MODULUS = 10**10
# Control fields NACHA marks mandatory: zero means not filled in, a structural error
# (moov-io/ach rejects adv-invalidFileControl.ach for this with ErrConstructor).
MANDATORY = frozenset({"Batch Count", "Block Count", "Entry/Addenda Count", "Entry Hash"})


@dataclass
class PendingEntry:
    """An entry detail whose addenda are still being read."""

    rec: Rec
    code: str
    amount: int
    rdfi: str
    trace: str
    has_addenda: bool
    addenda: list[tuple[str, Rec]] = field(default_factory=list)

    def add_addenda(self, rec: Rec, kind: str) -> None:
        if not self.has_addenda:
            raise rec.reject(
                "addenda record after an entry whose Addenda Record Indicator is 0",
                "Addenda Record Indicator",
                "1 on the entry",
            )
        self.addenda.append((kind, rec))

    def emit(self, batch: Batch) -> Iterator[AchEntry | AchReturn | AchNoc]:
        if self.has_addenda and not self.addenda:
            raise self.rec.reject(
                "Addenda Record Indicator is 1 but no addenda follows",
                "Addenda Record Indicator",
                "0, or an addenda record",
            )
        kinds = {kind for kind, _ in self.addenda}
        yield batch.entry_record(self, _category(self.code, kinds))
        for kind, rec in self.addenda:
            if kind == "99":
                batch.returns += 1
                yield addenda.return_addenda(rec, self.rec.line, self.trace, self.amount, CURRENCY)
            elif kind == "98":
                batch.nocs += 1
                yield addenda.noc(rec, self.rec.line, self.trace)


def _category(code: str, kinds: set[str]) -> str:
    if "99" in kinds:
        return "return"
    if "98" in kinds:
        return "noc"
    return "prenote" if code in PRENOTE_CODES else "forward"


@dataclass
class Batch:
    header: Rec
    service_class: str
    sec: str
    company_id: str
    odfi: str
    number: int
    entry_addenda_count: int = 0
    entry_hash: int = 0
    debit: int = 0
    credit: int = 0
    entries: int = 0
    returns: int = 0
    nocs: int = 0
    declared: dict[str, int] = field(default_factory=dict)  # the batch control's figures
    pending: dict[str, list[FileRejected]] = field(default_factory=dict)

    @property
    def is_adv(self) -> bool:
        return self.service_class == "280"

    @property
    def is_iat(self) -> bool:
        """IAT layout, also for IAT NOCs whose SEC is COR: a foreign exchange indicator
        (FF, FV, VF) in positions 21-22 of the IAT batch header."""
        return self.sec == "IAT" or self.header.s(21, 22) in {"FF", "FV", "VF"}

    def read_entry(self, rec: Rec) -> PendingEntry:
        allowed = ADV_TRANSACTION_CODES if self.is_adv else TRANSACTION_CODES
        code = rec.expect(2, 3, allowed, "Transaction Code")
        if not self.is_iat:  # moov-io/ach accepts IAT credits under 225; so do we
            self._check_direction(rec, code)
        rdfi = rec.routing(4)
        amount = rec.num(28, 39, "Amount") if self.is_adv else rec.num(30, 39, "Amount")
        indicator = rec.expect(79, 79, {"0", "1"}, "Addenda Record Indicator")
        trace = rec.s(80, 94) if self.is_adv else f"{rec.num(80, 94, 'Trace Number'):015d}"
        if self.sec == "COR" and amount and not self.is_iat:
            raise rec.reject("a COR (NOC) entry must carry a zero amount", "Amount", "0")
        self._add(rdfi, code, amount)
        return PendingEntry(rec, code, amount, rdfi, trace, indicator == "1")

    def _check_direction(self, rec: Rec, code: str) -> None:
        credit = is_credit(code)
        if (self.service_class == "220" or self.sec in CREDIT_ONLY_SEC) and not credit:
            raise rec.reject(
                f"debit transaction code {code} in a credits-only batch "
                f"(service class {self.service_class}, SEC {self.sec})",
                "Transaction Code",
                "a credit code",
            )
        if (self.service_class == "225" or self.sec in DEBIT_ONLY_SEC) and credit:
            raise rec.reject(
                f"credit transaction code {code} in a debits-only batch "
                f"(service class {self.service_class}, SEC {self.sec})",
                "Transaction Code",
                "a debit code",
            )

    def _add(self, rdfi: str, code: str, amount: int) -> None:
        self.entries += 1
        self.entry_addenda_count += 1
        self.entry_hash += int(rdfi[:8])
        if is_credit(code):
            self.credit += amount
        else:
            self.debit += amount

    @cached_property
    def header_fields(self) -> tuple[str, str, str]:
        """Company name, entry description, effective date: shared by every entry."""
        h = self.header
        return h.alpha(5, 20), h.alpha(54, 63), h.alpha(70, 75)

    def entry_record(self, entry: PendingEntry, category: str) -> AchEntry:
        rec, iat = entry.rec, any(kind == "10" for kind, _ in entry.addenda)
        company, description, effective = self.header_fields
        return AchEntry(
            line=rec.line, batch_number=self.number, service_class=self.service_class,
            sec_code=self.sec, company_name="" if iat else company,
            company_id=self.company_id, company_entry_description=description,
            effective_date=effective, transaction_code=entry.code,
            dc="credit" if is_credit(entry.code) else "debit", rdfi_routing=entry.rdfi,
            account=_account(rec, iat, self.is_adv), amount_minor=entry.amount,
            currency=CURRENCY, individual_id="" if iat or self.is_adv else rec.alpha(40, 54),
            individual_name=_name(entry, iat, self.is_adv), trace_number=entry.trace,
            addenda_count=len(entry.addenda), category=category,
        )  # fmt: skip

    CONTROL_FIELDS = (
        "Entry/Addenda Count",
        "Entry Hash",
        "Total Debit Entry Dollar Amount",
        "Total Credit Entry Dollar Amount",
    )

    def computed(self) -> dict[str, int]:
        """What the batch's records add up to, by control field name."""
        return {
            "Entry/Addenda Count": self.entry_addenda_count,
            "Entry Hash": self.entry_hash % HASH_MODULUS,
            "Total Debit Entry Dollar Amount": self.debit,
            "Total Credit Entry Dollar Amount": self.credit,
        }

    def check_control(self, rec: Rec, controls: Controls) -> None:
        """Structure (ids, service class, mandatory counts) rejects; a total that disagrees
        waits for the file control to say whether it is corroborated (controls.py)."""
        debit_end, credit_end = (40, 60) if self.is_adv else (32, 44)
        positions = [(5, 10), (11, 20), (21, debit_end), (debit_end + 1, credit_end)]
        if rec.s(2, 4) != self.service_class:
            raise rec.reject(
                f"Service Class Code {rec.s(2, 4)!r} differs from the batch header",
                "Service Class Code",
                self.service_class,
            )
        for (start, end), (name, computed) in zip(positions, self.computed().items(), strict=True):
            declared = self.declared[name] = rec.num(start, end, name)
            if declared == 0 and computed and name in MANDATORY:
                raise rec.reject(
                    f"{name} is zero: the field was not filled in", name, str(computed)
                )
            if declared != computed:
                error = rec.reject(
                    f"{name} says {declared}, the batch adds up to {computed}", name, str(computed)
                )
                controls.defer(error, self.pending.setdefault(name, []))
        self._check_ids(rec)

    def _check_ids(self, rec: Rec) -> None:
        pairs = [
            ("Originating DFI Identification", rec.s(80, 87), self.odfi),
            ("Batch Number", rec.s(88, 94), f"{self.number:07d}"),
        ]
        if not (self.is_adv or self.is_iat):
            pairs.append(("Company Identification", rec.s(45, 54), self.company_id))
        for name, found, wanted in pairs:
            if found.strip() != wanted.strip():
                raise rec.reject(
                    f"{name} {found!r} differs from the batch header", name, repr(wanted)
                )


def _account(rec: Rec, iat: bool, adv: bool) -> str:
    if iat:
        return rec.alpha(40, 74)
    return rec.alpha(13, 27) if adv else rec.alpha(13, 29)


def _name(entry: PendingEntry, iat: bool, adv: bool) -> str:
    if iat:
        a10 = next(rec for kind, rec in entry.addenda if kind == "10")
        return a10.alpha(47, 81)
    return entry.rec.alpha(55, 76) if not adv else entry.rec.alpha(57, 78)


def read_batch_header(rec: Rec) -> Batch:
    service_class = rec.expect(2, 4, SERVICE_CLASSES, "Service Class Code")
    sec = rec.expect(51, 53, SEC_CODES, "Standard Entry Class Code")
    odfi = f"{rec.num(80, 87, 'Originating DFI Identification'):08d}"
    number = rec.num(88, 94, "Batch Number")
    return Batch(rec, service_class, sec, rec.s(41, 50), odfi, number)
