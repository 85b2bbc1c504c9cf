"""Money as integer minor units with a currency. Never float."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ops_core.errors import OpsError

# ISO 4217 exponents for the currencies Railyard's rails use; USDC has 6 decimals
# (domain.md section 8.1: token decimals = 6 on every listed chain).
EXPONENT: dict[str, int] = {
    "USD": 2,
    "EUR": 2,
    "MXN": 2,
    "INR": 2,
    "GBP": 2,
    "NOK": 2,
    "HUF": 2,
    "DEM": 2,
    "TRY": 2,
    "CHF": 2,
    "JPY": 0,
    "USDC": 6,
}
SYMBOL: dict[str, str] = {"USD": "$", "EUR": "€", "MXN": "MX$", "INR": "₹", "USDC": "USDC "}


def exponent(currency: str) -> int:
    try:
        return EXPONENT[currency.upper()]
    except KeyError:
        raise OpsError(
            f"unknown currency {currency!r}: add its exponent to ops_core.money"
        ) from None


def to_minor(text: str | Decimal, currency: str) -> int:
    """Parse a decimal amount ('1240.50', '1240,50') exactly into minor units."""
    raw = str(text).strip().replace(",", ".") if isinstance(text, str) else text
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise OpsError(f"not an amount: {text!r}") from None
    scaled = value.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise OpsError(f"{text!r} has more decimals than {currency} allows")
    return int(scaled)


def to_decimal(minor: int, currency: str) -> Decimal:
    return Decimal(int(minor)).scaleb(-exponent(currency))


def format_money(minor: int, currency: str, *, compact: bool = False) -> str:
    """'$1,240.50'; compact gives '$1.2M' for tiles."""
    value = to_decimal(minor, currency)
    sym = SYMBOL.get(currency, f"{currency} ")
    sign = "-" if value < 0 else ""
    value = abs(value)
    if compact:
        for div, suffix in (
            (Decimal(10) ** 9, "B"),
            (Decimal(10) ** 6, "M"),
            (Decimal(10) ** 3, "K"),
        ):
            if value >= div:
                return f"{sign}{sym}{value / div:.1f}{suffix}"
        return f"{sign}{sym}{value:,.0f}"
    places = min(exponent(currency), 2) if currency == "USDC" else exponent(currency)
    return f"{sign}{sym}{value:,.{places}f}"
