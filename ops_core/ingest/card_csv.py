"""Card push settlement CSV (Visa Direct / Mastercard Move), mapped through a profile.

No public spec exists for these reports, so CARD_SETTLEMENT_FORMAT.md defines our
layout; card_profile.py maps a processor's report onto it. Each row's net is checked:
money in (AFT, SALE): net = amount - fee - interchange; money out (OCT):
net = -(amount + fee + interchange). Other types are loaded without that check. A row
that fails it is a control mismatch: a warning, or a rejection when ``strict``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ops_core.errors import FileRejected
from ops_core.ingest._common import FileTotals, Source, open_binary
from ops_core.ingest.card_profile import Profile, load_profile
from ops_core.ingest.controls import Controls
from ops_core.ingest.mapped_csv import MappedReader, money, parse_date
from ops_core.ingest.records import CardSettlement

FORMAT = "card_csv"
MONEY_IN = frozenset({"AFT", "SALE", "CAPTURE"})
MONEY_OUT = frozenset({"OCT"})


def parse_card_csv(
    source: Source, name: str, profile: Profile | str = "canonical", *, strict: bool = False
) -> Iterator[CardSettlement | FileTotals]:
    """Stream settlement rows mapped through ``profile``, then totals per currency."""
    prof = load_profile(profile) if isinstance(profile, str) else profile
    controls = Controls(strict)
    amounts: dict[str, int] = {}
    rows = 0
    with open_binary(source) as stream:
        reader = MappedReader(stream, name, prof)
        for line, values in reader:
            record = _record(values, prof, name, line, controls)
            rows += 1
            key = f"net_{record.currency}"
            amounts[key] = amounts.get(key, 0) + record.net_minor
            yield record
    if not rows:
        raise FileRejected(
            name,
            "no settlement rows",
            line=reader.line_num or 1,
            expected=f"rows in the {prof.name} layout",
        )
    yield FileTotals(
        FORMAT,
        rows,
        {"rows": rows},
        amounts,
        controls.warnings(),
        control_ok=controls.ok,
        kind=f"profile {prof.name}",
    )


def _record(
    values: dict[str, str], prof: Profile, name: str, line: int, controls: Controls
) -> CardSettlement:
    values["currency"] = values["currency"].upper()
    amount = money(values, "amount", prof, name, line)
    fee, inter = (money(values, k, prof, name, line) for k in ("fee", "interchange"))
    if prof.costs_sign == "negative":
        fee, inter = -fee, -inter
    net = money(values, "net", prof, name, line)
    txn_type = values["txn_type"].upper()
    _check_net(txn_type, amount, fee, inter, net, name, line, controls)
    return CardSettlement(
        line=line,
        settlement_date=parse_date(values["settlement_date"], prof, name, line, "settlement_date"),
        network=values["network"].upper(), network_txn_id=values["network_txn_id"],
        txn_type=txn_type, amount_minor=amount, currency=values["currency"], fee_minor=fee,
        interchange_minor=inter, net_minor=net, batch_id=values.get("batch_id", ""),
    )  # fmt: skip


def _check_net(
    txn_type: str,
    amount: int,
    fee: int,
    inter: int,
    net: int,
    name: str,
    line: int,
    controls: Controls,
) -> None:
    if txn_type in MONEY_IN:
        expected = amount - fee - inter
    elif txn_type in MONEY_OUT:
        expected = -(amount + fee + inter)
    else:
        return
    if net != expected:
        controls.mismatch(
            FileRejected(
                name,
                f"net {net} does not equal the amount after fee and "
                f"interchange ({expected}, minor units)",
                line=line,
                field="net",
                expected=str(expected),
            )
        )
