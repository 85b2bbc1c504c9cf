"""Final status, settlement, returns and retries for drawn demo attempts."""

from __future__ import annotations

import numpy as np

from ops_core.demo.catalog import RAIL_SHAPES
from ops_core.demo.generate import (
    CODE_INDEX,
    NO_CODE,
    RAIL_IDS,
    UNAUTHORIZED,
    S,
    ach_settlement_us,
)

DAY = 86_400 * S
RETRYABLE = {
    RAIL_IDS.index(s.rail_id): np.array([CODE_INDEX[c] for c in s.retryable], dtype=np.int16)
    for s in RAIL_SHAPES
}
UNAUTH_IDX = np.array([CODE_INDEX[c] for c in UNAUTHORIZED], dtype=np.int16)


def finalize(rng: np.random.Generator, cols: dict, as_of_us: int) -> None:
    """Set status, final_us and returned_us (-1 = none) from latency, codes and the clock."""
    n = len(cols["rail"])
    is_ach = cols["rail"] == RAIL_IDS.index("ACH")
    final = cols["created_us"] + cols["latency_us"]
    if is_ach.any():
        same_day = rng.random(is_ach.sum()) < 0.3
        final[is_ach] = ach_settlement_us(cols["created_us"][is_ach], same_day)
    code = cols["code"]
    failed = code != NO_CODE
    unauth = np.isin(code, UNAUTH_IDX)
    delay = np.where(unauth, rng.integers(2, 45, n) * DAY, rng.integers(1, 3, n) * DAY)
    returned = np.where(is_ach & failed, final + delay + rng.integers(0, 6 * 3600 * S, n), -1)
    late_return = returned > as_of_us  # the return has not arrived yet
    returned[late_return] = -1
    code[is_ach & late_return] = NO_CODE
    status = np.where(code == NO_CODE, 1, np.where(is_ach, 3, 2)).astype(np.int8)
    pending = final > as_of_us
    status[pending] = 0
    final[pending] = -1
    returned[pending] = -1
    code[pending] = NO_CODE
    cols.update(status=status, final_us=final, returned_us=returned)


def retries(rng: np.random.Generator, cols: dict, as_of_us: int) -> dict:
    """Second attempts for retryable failures (same route), created after the failure."""
    retryable = np.zeros(len(cols["rail"]), dtype=bool)
    for rail, codes in RETRYABLE.items():
        retryable |= (cols["rail"] == rail) & np.isin(cols["code"], codes)
    pick = np.flatnonzero(retryable & (rng.random(len(retryable)) < 0.6))
    is_ach = cols["rail"][pick] == RAIL_IDS.index("ACH")
    failed_at = np.where(is_ach, cols["returned_us"][pick], cols["final_us"][pick])
    wait = np.where(is_ach, 2 * DAY, rng.integers(60 * S, 1800 * S, len(pick)))
    out = {k: v[pick].copy() for k, v in cols.items() if isinstance(v, np.ndarray)}
    out["created_us"] = failed_at + wait
    out["parent"] = pick
    still = rng.random(len(pick)) < 0.15
    out["code"] = np.where(still, out["code"], NO_CODE).astype(np.int16)
    keep = out["created_us"] <= as_of_us
    out = {k: v[keep] for k, v in out.items()}
    finalize(rng, out, as_of_us)
    return out
