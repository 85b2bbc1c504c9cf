"""Which stage and status moves a dispute may make: transition tables, checked on every edit.

Stages follow the networks (domain.md §6.2, §6.4, §1.4, §7.2). Visa Allocation (10.x, 11.x)
has no dispute response: the acquirer goes straight to pre-arbitration. Mastercard 4808, 4870
and 4871 skip pre-arbitration. A Reg E claim may be resolved within the first 10 business
days without a provisional credit. Stages only move forward: a case never goes back.
"""

from __future__ import annotations

from ops_core.errors import OpsError

STAGE_LABELS = {
    "inquiry": "Inquiry / RFI",
    "chargeback": "Chargeback",
    "representment": "Representment / response",
    "pre_arbitration": "Pre-arbitration",
    "arbitration": "Arbitration",
    "return": "Return received",
    "dishonored": "Dishonored",
    "contested": "Contested dishonored",
    "notice": "Notice of error",
    "provisional_credit": "Provisional credit (extended)",
    "resolution": "Investigation complete",
}

# (network, rule category or '*', from stage, to stage): the only stage moves allowed.
STAGE_TRANSITIONS: frozenset[tuple[str, str, str, str]] = frozenset(
    {
        ("visa", "*", "inquiry", "chargeback"),
        ("visa", "collaboration", "chargeback", "representment"),
        ("visa", "collaboration", "representment", "pre_arbitration"),
        ("visa", "collaboration", "pre_arbitration", "arbitration"),
        ("visa", "allocation", "chargeback", "pre_arbitration"),
        ("visa", "allocation", "pre_arbitration", "arbitration"),
        ("mastercard", "*", "inquiry", "chargeback"),
        ("mastercard", "*", "chargeback", "representment"),
        ("mastercard", "standard", "representment", "pre_arbitration"),
        ("mastercard", "standard", "pre_arbitration", "arbitration"),
        ("mastercard", "direct_arbitration", "representment", "arbitration"),
        ("nacha", "*", "return", "dishonored"),
        ("nacha", "*", "dishonored", "contested"),
        ("reg_e", "*", "notice", "provisional_credit"),
        ("reg_e", "*", "notice", "resolution"),
        ("reg_e", "*", "provisional_credit", "resolution"),
    }
)

# Stages a case may be opened at (a file can bring a dishonored or contested return first).
ENTRY_STAGES = {
    "visa": ("inquiry", "chargeback"),
    "mastercard": ("inquiry", "chargeback"),
    "nacha": ("return", "dishonored", "contested"),
    "reg_e": ("notice",),
}

STATUSES = ("new", "in_review", "waiting", "closed")
STATUS_LABELS = {
    "new": "New",
    "in_review": "In review",
    "waiting": "Waiting on counterparty",
    "closed": "Closed",
}
# new -> in_review -> waiting -> closed; waiting -> in_review when they answer. Closed is final.
STATUS_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        ("new", "in_review"),
        ("new", "waiting"),
        ("new", "closed"),
        ("in_review", "waiting"),
        ("in_review", "closed"),
        ("waiting", "in_review"),
        ("waiting", "closed"),
    }
)
OUTCOMES = ("won", "lost", "accepted", "expired")


def next_stages(network: str, rule_category: str, stage: str) -> list[str]:
    """The stages a case may move to from ``stage``, in lifecycle order."""
    found = {
        to
        for net, cat, frm, to in STAGE_TRANSITIONS
        if net == network and cat in (rule_category, "*") and frm == stage
    }
    return [s for s in STAGE_LABELS if s in found]


def check_stage(network: str, rule_category: str, stage: str, to: str) -> None:
    if to not in next_stages(network, rule_category, stage):
        allowed = next_stages(network, rule_category, stage) or ["none: close the case"]
        raise OpsError(
            f"a {network} case ({rule_category}) cannot move from {stage} to {to}; "
            f"allowed next: {', '.join(allowed)}"
        )


def check_entry(network: str, stage: str) -> None:
    if stage not in ENTRY_STAGES[network]:
        raise OpsError(
            f"a {network} case cannot be opened at stage {stage} "
            f"(expected one of {', '.join(ENTRY_STAGES[network])})"
        )


def next_statuses(status: str) -> list[str]:
    return [s for s in STATUSES if (status, s) in STATUS_TRANSITIONS]


def check_status(status: str, to: str) -> None:
    if (status, to) not in STATUS_TRANSITIONS:
        allowed = next_statuses(status) or ["none: a closed case is final"]
        raise OpsError(f"status cannot change from {status} to {to}; allowed: {', '.join(allowed)}")
