"""Demo disputes: realistic card chargebacks and Reg E claims on demo payments, plus intake of
the ledger's ACH unauthorized returns. Deterministic for (seed, as_of).

Called by the demo build inside its transaction, after the payments are inserted::

    seed_disputes(cur, as_of, seed)

Card disputes sit mostly on AFT pulls (full rights; fraud 10.4 / 4837 is the typical risk,
domain.md §6.5), a few on OCT pushes (only Visa 13.8). Lumen Games (gaming, onboarded about
six months ago) draws a cluster of AFT fraud disputes so the analytics page has an upstream
pattern to show next to Granite Rent's ACH unauthorized returns. Each planned case is placed
so its current deadline lands where the plan says: due within 3 days, one overdue, later,
or a counterparty window; others are closed won, lost, accepted or expired.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import duckdb

from ops_core import calendars
from ops_core.disputes import cases, deadlines, expiry, intake, rules

NY = ZoneInfo("America/New_York")
SEED_ACTOR = "demo seed"
TEAM = ("maria.k", "devon.l", "priya.s")


@dataclass(frozen=True)
class Plan:
    """One demo case: its path through the stages and where its current deadline lands.

    ``due_in``: days from today to the current stage's deadline (the team's date for ours,
    the network date for a counterparty window). ``outcome``: close the case after the path.
    """

    rail: str
    txn: str  # AFT (pull) or OCT (push); P2P/B2C for Reg E
    reason: str
    path: tuple[str, ...]
    due_in: int
    client: str | None = None
    outcome: str | None = None
    status: str | None = None  # in_review / waiting (answered: aim their window) after entry
    new_account: bool = False


PLANS: tuple[Plan, ...] = (
    # due within 3 days
    Plan("VISA_DIRECT", "AFT", "10.4", ("chargeback",), 1, status="in_review"),
    Plan("VISA_DIRECT", "AFT", "13.1", ("chargeback",), 2),
    Plan("MC_MOVE", "AFT", "4837", ("chargeback",), 3, status="in_review"),
    Plan("MC_MOVE", "AFT", "4853", ("inquiry",), 0),
    Plan("RTP", "P2P", "unauthorized_transfer", ("notice",), 2, status="in_review"),
    Plan("FEDNOW", "P2P", "incorrect_amount", ("notice", "resolution"), 1),
    # overdue: the team's date has passed, the network's has not
    Plan("VISA_DIRECT", "AFT", "13.3", ("chargeback",), -1, status="in_review"),
    # later
    Plan("VISA_DIRECT", "AFT", "10.4", ("chargeback",), 8),
    Plan("VISA_DIRECT", "AFT", "12.6", ("chargeback",), 15),
    Plan("VISA_DIRECT", "AFT", "13.2", ("chargeback",), 21),
    Plan("MC_MOVE", "AFT", "4834", ("chargeback",), 26),
    Plan("VISA_DIRECT", "AFT", "13.1", ("chargeback", "representment", "pre_arbitration"), 6),
    Plan("VISA_DIRECT", "AFT", "10.4", ("chargeback", "pre_arbitration", "arbitration"), 5),
    Plan("MC_MOVE", "AFT", "4853", ("chargeback", "representment", "pre_arbitration"), 12),
    Plan("VISA_DIRECT", "OCT", "13.8", ("chargeback",), 9),
    Plan("VISA_DIRECT", "OCT", "13.8", ("inquiry",), 14),
    Plan("FEDNOW", "P2P", "unauthorized_transfer", ("notice", "provisional_credit"), 20),
    Plan("RTP", "P2P", "omitted_transfer", ("notice",), 11, new_account=True),
    # waiting on the counterparty (their window)
    Plan("VISA_DIRECT", "AFT", "13.6", ("chargeback", "representment"), 17),
    Plan("VISA_DIRECT", "AFT", "10.4", ("chargeback", "pre_arbitration"), 19),
    Plan("MC_MOVE", "AFT", "4837", ("chargeback", "representment"), 30, status="waiting"),
    Plan("MC_MOVE", "AFT", "4808", ("chargeback", "representment"), 24, status="waiting"),
    Plan(
        "MC_MOVE",
        "AFT",
        "4853",
        ("chargeback", "representment", "pre_arbitration", "arbitration"),
        33,
    ),
    # closed
    Plan("VISA_DIRECT", "AFT", "13.1", ("chargeback", "representment"), -12, outcome="won"),
    Plan("VISA_DIRECT", "AFT", "12.6", ("chargeback", "representment"), -30, outcome="won"),
    Plan("MC_MOVE", "AFT", "4853", ("chargeback", "representment"), -20, outcome="won"),
    Plan("VISA_DIRECT", "AFT", "13.3", ("chargeback",), -25, outcome="accepted"),
    Plan(
        "MC_MOVE",
        "AFT",
        "4837",
        ("chargeback", "representment", "pre_arbitration"),
        -8,
        outcome="lost",
    ),
    Plan("VISA_DIRECT", "AFT", "11.3", ("chargeback",), -40, outcome="expired"),
    Plan("VISA_DIRECT", "OCT", "13.8", ("chargeback", "representment"), -15, outcome="won"),
    Plan("RTP", "P2P", "unauthorized_transfer", ("notice", "resolution"), -10, outcome="accepted"),
    Plan(
        "FEDNOW",
        "P2P",
        "incorrect_amount",
        ("notice", "provisional_credit", "resolution"),
        -5,
        outcome="won",
    ),
    # Lumen Games: a cluster of AFT fraud disputes (an upstream pattern: one client, one reason)
    Plan("VISA_DIRECT", "AFT", "10.4", ("chargeback",), 4, client="lumen"),
    Plan("VISA_DIRECT", "AFT", "10.4", ("chargeback",), 13, client="lumen"),
    Plan("VISA_DIRECT", "AFT", "10.4", ("chargeback",), 23, client="lumen"),
    Plan("MC_MOVE", "AFT", "4837", ("chargeback",), 18, client="lumen"),
    Plan("MC_MOVE", "AFT", "4837", ("chargeback",), 35, client="lumen"),
    Plan(
        "VISA_DIRECT",
        "AFT",
        "10.4",
        ("chargeback", "pre_arbitration"),
        -18,
        client="lumen",
        outcome="lost",
    ),
    Plan("VISA_DIRECT", "AFT", "10.4", ("chargeback",), -22, client="lumen", outcome="accepted"),
    Plan("MC_MOVE", "AFT", "4837", ("chargeback",), -6, client="lumen", outcome="accepted"),
    Plan("VISA_DIRECT", "AFT", "10.4", ("chargeback",), -2, client="lumen", outcome="lost"),
)
NETWORK = {"VISA_DIRECT": "visa", "MC_MOVE": "mastercard", "RTP": "reg_e", "FEDNOW": "reg_e"}
STAGE_GAP_DAYS = 10  # days between the stages before the current one


def seed_disputes(cur: duckdb.DuckDBPyConnection, as_of: datetime, seed: int = 7) -> int:
    """Replace the disputes with the demo's; returns how many cases there are."""
    rng = random.Random(f"disputes:{seed}")
    today = as_of.astimezone(NY).date()
    used: set[int] = set()
    _clear(cur)
    for i, plan in enumerate(PLANS):
        _seed_case(cur, plan, today, as_of, rng, used, TEAM[i % len(TEAM)])
    intake.intake_ledger_returns(cur, today, actor=SEED_ACTOR)
    intake.intake_ach_files(cur, today, actor=SEED_ACTOR)
    _work_the_returns(cur, today, as_of)
    expiry.expire_passed(cur, today, at=as_of)  # the deadline run a daily job makes
    return cur.execute("SELECT count(*) FROM dispute_cases").fetchone()[0]


def _clear(cur: duckdb.DuckDBPyConnection) -> None:
    """A demo build replaces the ledger, so it replaces the disputes on it too."""
    for table in ("dispute_events", "dispute_evidence", "dispute_deadlines", "dispute_cases"):
        cur.execute(f"DELETE FROM {table}")
    cur.execute("DELETE FROM audit_log WHERE entity IN ('dispute', 'dispute_evidence')")


def _seed_case(
    cur: duckdb.DuckDBPyConnection,
    plan: Plan,
    today: date,
    as_of: datetime,
    rng: random.Random,
    used: set[int],
    member: str,
) -> None:
    network = NETWORK[plan.rail]
    category = _rule_category(network, plan)
    starts = _stage_starts(network, plan, category, today)
    payment = _pick_payment(cur, plan, starts[0], rng, used)
    if payment is None:
        return
    pid, client, amount, currency, direction, created = payment
    opened = _at(starts[0], rng)
    new = cases.NewCase(
        network=network,
        reason_code=plan.reason,
        client_id=client,
        rail_id=plan.rail,
        amount_minor=int(amount),
        currency=currency,
        opened_at=opened,
        stage=plan.path[0],
        stage_started_on=starts[0],
        payment_id=int(pid),
        txn_type=plan.txn,
        direction=direction,
        transaction_on=created.astimezone(NY).date(),
        source="demo",
        external_ref=_reference(network, rng),
        new_account=plan.new_account,
    )
    case_id = cases.open_case(cur, new, actor=SEED_ACTOR, at=opened)
    version = 1
    for stage, on, before in zip(plan.path[1:], starts[1:], starts[:-1], strict=True):
        version = _answer(cur, case_id, version, before, member)
        version = cases.advance(
            cur,
            case_id,
            expected_version=version,
            to_stage=stage,
            on=on,
            actor=SEED_ACTOR,
            at=_at(on, rng),
        )
    version = _work_on(cur, case_id, version, plan, member, _at(starts[-1], rng, late=True))
    if plan.outcome:
        closed_on = min(today + timedelta(days=plan.due_in), today)
        cases.close(
            cur,
            case_id,
            expected_version=version,
            outcome=plan.outcome,
            actor=member,
            at=min(_at(max(closed_on, starts[-1]), rng, late=True), as_of),
        )


def _rule_category(network: str, plan: Plan) -> str:
    if network == "reg_e":
        return "new_account" if plan.new_account else "standard"
    return rules.reason(network, plan.reason).rule_category


def _answer(
    cur: duckdb.DuckDBPyConnection, case_id: int, version: int, started: date, member: str
) -> int:
    """Before a case moves on, the team answered its stage (the day after it began), so the
    demo's history has no late answers (e.g. Mastercard's 8-day documentation, §6.4)."""
    status = cur.execute(
        "SELECT status FROM dispute_cases WHERE case_id = ?", [case_id]
    ).fetchone()[0]
    if status not in ("new", "in_review"):
        return version
    at = datetime.combine(started + timedelta(days=1), time(15), NY).astimezone(UTC)
    return cases.set_status(
        cur, case_id, expected_version=version, to="waiting", actor=member, at=at
    )


def _stage_starts(network: str, plan: Plan, category: str, today: date) -> list[date]:
    """Start dates of the path's stages, ``STAGE_GAP_DAYS`` apart, placed so the current
    stage's main deadline lands ``plan.due_in`` days from today (or the nearest day before).
    Our deadlines aim the team's date, a counterparty window the network date (a plan that
    answered, status ``waiting``, aims their window); a rule counted from the opening of the
    case (Reg E) places the first stage instead of the last."""
    path = plan.path
    target = today + timedelta(days=plan.due_in)
    found = [r for r in rules.rules_for(network, path[-1], category, today) if r.party != "check"]
    if plan.status == "waiting":
        found = [r for r in found if r.party == "counterparty"] or found
    gaps = [timedelta(days=STAGE_GAP_DAYS * k) for k in range(len(path))]
    if not found:
        return [target - gaps[-1] + g for g in gaps]
    rule = found[0]
    offset = rules.offset_for(network, path[-1], category, today)
    day = target
    for _ in range(400):
        d = deadlines.compute(rule, day, offset=offset)
        if (d.internal_due if rule.party == "us" else d.network_due) <= target:
            break
        day -= timedelta(days=1)
    first = day if rule.anchor == "case_opened" else day - gaps[-1]
    return [first + g for g in gaps]


def _pick_payment(
    cur: duckdb.DuckDBPyConnection,
    plan: Plan,
    first_start: date,
    rng: random.Random,
    used: set[int],
):
    rows = cur.execute(
        "SELECT payment_id, client_id, amount_minor, currency, direction, created_at"
        " FROM payments WHERE rail_id = ? AND txn_type = ? AND status = 'completed'"
        " AND created_at < ? AND created_at >= ? - INTERVAL 60 DAY"
        " AND (? IS NULL OR client_id = ?) ORDER BY hash(payment_id) LIMIT 400",
        [
            plan.rail,
            plan.txn,
            datetime.combine(first_start - timedelta(days=2), time(), UTC),
            datetime.combine(first_start - timedelta(days=2), time(), UTC),
            plan.client,
            plan.client,
        ],
    ).fetchall()
    rows = [r for r in rows if r[0] not in used]
    if not rows:
        return None
    pick = rng.choice(rows)
    used.add(pick[0])
    return pick


def _work_on(
    cur: duckdb.DuckDBPyConnection,
    case_id: int,
    version: int,
    plan: Plan,
    member: str,
    at: datetime,
) -> int:
    """What the team did on the case: assign it, review, gather evidence, leave a note."""
    version = cases.assign(
        cur, case_id, expected_version=version, assignee=member, actor=SEED_ACTOR, at=at
    )
    status = cur.execute(
        "SELECT status FROM dispute_cases WHERE case_id = ?", [case_id]
    ).fetchone()[0]
    if plan.status == "waiting" and status in ("new", "in_review"):
        return cases.set_status(
            cur, case_id, expected_version=version, to="waiting", actor=member, at=at
        )
    if plan.status == "in_review" and status == "new":
        version = cases.set_status(
            cur, case_id, expected_version=version, to="in_review", actor=member, at=at
        )
        items = cur.execute(
            "SELECT evidence_id, version FROM dispute_evidence WHERE case_id = ?"
            " ORDER BY position LIMIT 2",
            [case_id],
        ).fetchall()
        for evidence_id, ev_version in items:
            cases.set_evidence(
                cur,
                evidence_id,
                expected_version=ev_version,
                status="received",
                actor=member,
                at=at,
            )
        version = cases.add_note(
            cur,
            case_id,
            expected_version=version,
            actor=member,
            at=at,
            text="Asked the client for the transaction log and the cardholder's session data.",
        )
    return version


def _work_the_returns(cur: duckdb.DuckDBPyConnection, today: date, as_of: datetime) -> None:
    """The team's daily ACH work before ``today``: the newest late return is dishonored with
    R68 (domain.md §1.4); timely returns whose team date has passed were reviewed and accepted.
    """
    late = cur.execute(
        "SELECT c.case_id, c.version, c.stage_started_on FROM dispute_cases c"
        " JOIN dispute_deadlines d USING (case_id)"
        " WHERE c.network = 'nacha' AND c.status <> 'closed' AND c.stage = 'return' AND d.late"
        " ORDER BY c.stage_started_on DESC, c.case_id LIMIT 1"
    ).fetchone()
    if late is not None:
        _dishonor(cur, *late, today, as_of)
    due = cur.execute(
        "SELECT c.case_id, c.version, d.internal_due FROM dispute_cases c"
        " JOIN dispute_deadlines d USING (case_id)"
        " WHERE c.network = 'nacha' AND c.status <> 'closed' AND c.stage = 'return'"
        " AND d.party = 'us' AND d.done_at IS NULL AND d.internal_due < ? ORDER BY c.case_id",
        [today],
    ).fetchall()
    for case_id, version, internal in due:
        at = min(_at(internal, random.Random(case_id), late=True), as_of)
        version = cases.add_note(
            cur,
            case_id,
            expected_version=version,
            actor=TEAM[1],
            at=at,
            text="Timely unauthorized return: WSUD copy requested from the RDFI, client told to"
            " stop debiting this account.",
        )
        cases.close(
            cur, case_id, expected_version=version, outcome="accepted", actor=TEAM[1], at=at
        )


def _dishonor(
    cur: duckdb.DuckDBPyConnection,
    case_id: int,
    version: int,
    started: date,
    today: date,
    as_of: datetime,
) -> None:
    on = min(calendars.add_banking_days("US_FED", started, 2), today)
    at = min(_at(on, random.Random(case_id), late=True), as_of)
    version = cases.add_note(
        cur,
        case_id,
        expected_version=version,
        actor=TEAM[0],
        at=at,
        text="Return arrived after the RDFI's window: dishonored with R68 (untimely return).",
    )
    version = cases.advance(
        cur, case_id, expected_version=version, to_stage="dishonored", on=on, actor=TEAM[0], at=at
    )
    window = cur.execute(
        "SELECT max(network_due) FROM dispute_deadlines WHERE case_id = ? AND stage = 'dishonored'",
        [case_id],
    ).fetchone()[0]
    if window is not None and window < today:
        closed_at = min(_at(calendars.next_banking_day("US_FED", window), random.Random(0)), as_of)
        cases.close(
            cur, case_id, expected_version=version, outcome="won", actor=TEAM[0], at=closed_at
        )


def _at(day: date, rng: random.Random, late: bool = False) -> datetime:
    """A business-hours instant (New York) on ``day``, in UTC."""
    hour = rng.randint(13, 16) if late else rng.randint(9, 12)
    return datetime.combine(day, time(hour, rng.randint(0, 59)), NY).astimezone(UTC)


def _reference(network: str, rng: random.Random) -> str:
    prefix = {"visa": "VCR", "mastercard": "MCM", "reg_e": "REGE"}[network]
    return f"{prefix}-{rng.randint(10**9, 10**10 - 1)}"
