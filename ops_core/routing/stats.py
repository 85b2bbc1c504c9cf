"""Small exact helpers behind the routing evidence: ratios of money, intervals of rates."""

from __future__ import annotations

import math
from decimal import Decimal

Z95 = 1.959963984540054  # two-sided 95% normal quantile

# Confidence in a route's success rate, by sample size and interval width (data, not ifs).
CONFIDENCE: tuple[tuple[str, int, float], ...] = (
    # label, minimum decided payments, maximum half-width of the 95% interval
    ("high", 1000, 0.01),
    ("medium", 100, 0.03),
    ("low", 0, 1.0),
)


def per_thousand_usd(cost_cents: Decimal | int, moved_cents: Decimal | int) -> Decimal | None:
    """US cents of cost per $1,000 (100,000 cents) moved, exact; None when nothing moved."""
    if not moved_cents:
        return None
    return Decimal(cost_cents) * 100_000 / Decimal(moved_cents)


def per_payment(cost_minor: Decimal | int, payments: int) -> Decimal | None:
    """Average cost of one payment, exact (Decimal division to 28 significant digits)."""
    return Decimal(cost_minor) / payments if payments else None


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval of a success rate; None without observations."""
    if n <= 0:
        return None
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def confidence(successes: int, n: int) -> str:
    """'high', 'medium' or 'low' from the sample size and the interval's half-width."""
    interval = wilson(successes, n)
    if interval is None:
        return "low"
    half = (interval[1] - interval[0]) / 2
    for label, minimum, max_half in CONFIDENCE:
        if n >= minimum and half <= max_half:
            return label
    return "low"
