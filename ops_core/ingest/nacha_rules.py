"""NACHA code tables used by the parser, as data (domain.md sections 1 and 2).

Sources: moov-io/ach ``entryDetail.go`` (transaction codes), ``batch.go`` (SEC codes),
``addenda99.go`` / ``addenda98.go`` (return and change codes), ``addenda10.go`` (IAT
transaction type codes); domain.md 1.1, 1.3, 1.4, 2.4, 2.5.
"""

from __future__ import annotations

from functools import cache

RECORD_LENGTH = 94
BLOCKING_FACTOR = 10
FILLER = "9" * RECORD_LENGTH

SERVICE_CLASSES = frozenset({"200", "220", "225", "280"})

SEC_CODES = frozenset({
    "ACK", "ADV", "ARC", "ATX", "BOC", "CCD", "CIE", "COR", "CTX", "DNE", "ENR", "IAT",
    "MTE", "POP", "POS", "PPD", "RCK", "SHR", "TEL", "TRC", "TRX", "WEB", "XCK",
})  # fmt: skip

# SEC codes that carry only debits or only credits (NACHA Operating Rules; moov batch*.go).
DEBIT_ONLY_SEC = frozenset({"ARC", "BOC", "POP", "RCK", "TEL", "XCK"})
CREDIT_ONLY_SEC = frozenset({"CIE"})

# Entry Detail pos 2-3 (domain.md 2.5). Last digit 1-4 = credit, 5-9 = debit.
TRANSACTION_CODES = frozenset({
    "21", "22", "23", "24", "26", "27", "28", "29",
    "31", "32", "33", "34", "36", "37", "38", "39",
    "41", "42", "43", "44", "46", "47", "48", "49",
    "51", "52", "53", "54", "55", "56",
})  # fmt: skip
PRENOTE_CODES = frozenset({"23", "28", "33", "38", "43", "48", "53"})
# ADV (service class 280) entries: odd = credit, even = debit (moov advEntryDetail.go).
ADV_TRANSACTION_CODES = frozenset({"81", "82", "83", "84", "85", "86", "87", "88"})


def is_credit(transaction_code: str) -> bool:
    if transaction_code in ADV_TRANSACTION_CODES:
        return int(transaction_code) % 2 == 1
    return transaction_code[1] in "1234"


def _codes(prefix: str, *ranges: tuple[int, int]) -> frozenset[str]:
    return frozenset(f"{prefix}{n:02d}" for lo, hi in ranges for n in range(lo, hi + 1))


# domain.md 1.1 / 1.4: R01-R53 (R48/R49 unassigned), dishonored R61/R62/R67-R70,
# contested R71-R77, IAT R80-R85, sanctions R90 (accepted ahead of 2028-03-17 as moov does).
RETURN_CODES = _codes("R", (1, 47), (50, 53), (61, 62), (67, 77), (80, 85), (90, 90))
DISHONORED_CODES = _codes("R", (61, 62), (67, 70))
CONTESTED_CODES = _codes("R", (71, 77))
# domain.md 1.3: C01-C09, C13, C14 and refused NOCs C61-C69.
CHANGE_CODES = _codes("C", (1, 9), (13, 14), (61, 69))

# IAT Addenda 10 pos 4-6 (moov addenda10.go).
IAT_TRANSACTION_TYPES = frozenset({
    "ANN", "BUS", "DEP", "LOA", "MIS", "MOR", "PEN", "RLS", "REM", "SAL", "TAX", "TEL",
    "WEB", "ARC", "BOC", "POP", "RCK",
})  # fmt: skip

ROUTING_WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7)


@cache  # a file repeats a handful of routing numbers many thousand times
def check_digit(first8: str) -> int:
    """domain.md 2.3: weights 3,7,1 on the first 8 digits; (10 - sum mod 10) mod 10."""
    total = sum(int(d) * w for d, w in zip(first8, ROUTING_WEIGHTS, strict=True))
    return (10 - total % 10) % 10
