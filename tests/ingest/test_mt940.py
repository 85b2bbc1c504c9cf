"""MT940/942 samples; amounts compared with wolph/mt940's .yml dumps where they load."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from ops_core.errors import FileRejected
from ops_core.ingest.mt940 import parse_mt940
from ops_core.ingest.records import StatementLine
from tests.ingest.conftest import sample
from tests.ingest.sample_index import files

BASE = "mt940/wolph_mt940/mt940_tests/"
# VALID for mt-940, which checks no balances: opening + movements != closing. A balance
# equation has no second trailer to corroborate it, so they load flagged (controls.py).
UNBALANCED = [
    "jejik/abnamro.sta",
    "jejik/ing.sta",
    "jejik/knab.sta",
    "jejik/postfinance.sta",
    "jejik/rabobank.sta",
    "jejik/triodos.sta",
    "mBank/with_newline_in_tnr.sta",
    "self-provided/details_60-63.sta",
    "self-provided/overly_long_details.sta",
    "self-provided/raiffeisen-cmi.sta",
    "self-provided/whitespace.sta",
]
# VALID for mt-940, which accepts fragments, but structurally broken: a missing mandatory
# tag, a balance without currency, or the 30 February that makes february_30.sta NEGATIVE.
MALFORMED = {
    "self-provided/account_identification.sta": ":28C:",  # no 28C/60/62
    "self-provided/gv_codes.sta": ":62F:",
    "self-provided/multiline.sta": ":20:",  # a stray :61: after the last statement
    "self-provided/raphaelm.sta": ":62M:",  # balance without currency
    "self-provided/sparkassen.sta": ":20:",  # no :20:, tag split over lines
    "self-provided/transaction_details_wrapped.sta": ":61:",  # 30 February
    "self-provided/wrapped_timestamp.sta": ":61:",  # 30 February
}
FLAGGED = {BASE + f for f in UNBALANCED}
STRUCTURAL = {BASE + f for f in MALFORMED}
YML_TX = re.compile(
    r"models\.Transaction\n  data:\n(?:    .*\n)*?"  # other keys sort before 'amount'
    r"    amount: !!python/object:mt940\.models\.Amount\n"
    r"      amount: !!python/object/apply:decimal\.Decimal\n      - '"
    r"([-\d.]+)'\n      currency: (\w+)"
)


def parse(rel: str, *, strict: bool = False) -> list:
    return list(parse_mt940(sample(rel), rel.rsplit("/", 1)[-1], strict=strict))


VALID = [f for f in files(BASE, "VALID") if f not in STRUCTURAL]


@pytest.mark.parametrize("rel", VALID)
def test_valid_samples_parse(samples, rel: str) -> None:
    totals = parse(rel)[-1]
    assert totals.counts["statements"] >= 1 and totals.control_ok == (rel not in FLAGGED)


@pytest.mark.parametrize("rel", [f for f in VALID if sample(f).with_suffix(".yml").exists()])
def test_amounts_match_wolph_yml(samples, rel: str) -> None:
    expected = [
        (Decimal(a), c) for a, c in YML_TX.findall(sample(rel).with_suffix(".yml").read_text())
    ]
    lines = [r for r in parse(rel) if isinstance(r, StatementLine)]
    assert [(Decimal(x.amount_minor).scaleb(-2), x.currency) for x in lines] == expected


@pytest.mark.parametrize("rel", sorted(FLAGGED))
def test_unbalanced_statements_load_flagged_and_strict_rejects(samples, rel: str) -> None:
    totals = parse(rel)[-1]
    assert totals.warnings and all("closing balance" in w for w in totals.warnings)
    with pytest.raises(FileRejected) as err:
        parse(rel, strict=True)
    assert err.value.field in {":62F:", ":62M:"} and err.value.line is not None


@pytest.mark.parametrize("rel", sorted(STRUCTURAL))
def test_structurally_broken_valid_samples_are_rejected(samples, rel: str) -> None:
    with pytest.raises(FileRejected) as err:
        parse(rel)
    assert err.value.field == MALFORMED[rel.removeprefix(BASE)]
    assert err.value.line is not None


@pytest.mark.parametrize("rel", files(BASE, "NEGATIVE"))
def test_negative_samples(samples, rel: str) -> None:
    with pytest.raises(FileRejected) as err:
        parse(rel)
    assert str(err.value).startswith(rel.rsplit("/", 1)[-1] + ", line ")


def test_balance_mismatch_names_expected_total() -> None:
    text = (
        b":20:REF\n:25:ACC\n:28C:1/1\n:60F:C240101EUR100,00\n:61:240101D10,00NTRFNONREF\n"
        b":62F:C240101EUR80,00\n-\n"
    )
    assert not list(parse_mt940(text, "s.sta"))[-1].control_ok
    with pytest.raises(FileRejected) as err:
        list(parse_mt940(text, "s.sta", strict=True))
    assert err.value.line == 6 and err.value.expected == "9000"


def test_multiline_86_joined() -> None:
    text = (
        b":20:REF\n:25:ACC\n:28C:1/1\n:60F:C240101EUR100,00\n:61:240101C10,00NTRFNONREF\n"
        b":86:first line\nsecond line\n:62F:C240101EUR110,00\n-\n"
    )
    (line,) = [r for r in parse_mt940(text, "s.sta") if isinstance(r, StatementLine)]
    assert line.text == "first line second line" and line.amount_minor == 1000
