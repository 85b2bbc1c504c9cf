from decimal import Decimal

import pytest

from ops_core.errors import OpsError
from ops_core.money import format_money, to_decimal, to_minor


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("1240.50", "USD", 124050),
        ("1240,50", "EUR", 124050),
        ("0.01", "USD", 1),
        ("12.345678", "USDC", 12345678),
        ("-5", "MXN", -500),
        (Decimal("0.10"), "INR", 10),
        ("100", "JPY", 100),
    ],
)
def test_to_minor_is_exact(text, currency, minor):
    assert to_minor(text, currency) == minor
    assert to_decimal(minor, currency) == Decimal(str(text).replace(",", "."))


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("1.001", "USD", "more decimals"),
        ("12.3456789", "USDC", "more decimals"),
        ("abc", "USD", "not an amount"),
        ("1", "XXX", "unknown currency"),
    ],
)
def test_to_minor_refuses(text, currency, message):
    with pytest.raises(OpsError, match=message):
        to_minor(text, currency)


@pytest.mark.parametrize(
    ("minor", "currency", "compact", "text"),
    [
        (124050, "USD", False, "$1,240.50"),
        (-124050, "USD", False, "-$1,240.50"),
        (150_000_000, "USD", True, "$1.5M"),
        (12_345_678, "USDC", False, "USDC 12.35"),
        (99, "EUR", True, "€1"),
    ],
)
def test_format_money(minor, currency, compact, text):
    assert format_money(minor, currency, compact=compact) == text
