"""Evaluate the alert rules from a scheduler or a shell.

    python -m ops_core.alerts evaluate [--db PATH] [--at TIME] [--webhook URL] [--base-url URL]
    python -m ops_core.alerts replay --from TIME [--to TIME] [--db PATH]
    python -m ops_core.alerts rules

TIME is ISO 8601 (UTC when it has no offset); the default is the data's now (the demo's
as-of time, else the wall clock). The webhook URL defaults to $RAILYARD_ALERT_WEBHOOK.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime

from ops_core import alerts
from ops_core.alerts import webhook
from ops_core.alerts.rules import RULES, settings
from ops_core.config import add_db_argument, db_path
from ops_core.db import open_db
from ops_core.errors import OpsError
from ops_core.health import data_now

WEBHOOK_ENV = "RAILYARD_ALERT_WEBHOOK"
BASE_URL_ENV = "RAILYARD_BASE_URL"


def _time(text: str) -> datetime:
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO time: {text!r}") from None
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m ops_core.alerts",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="evaluate every rule at one point in time")
    add_db_argument(ev)
    ev.add_argument("--at", type=_time, help="point in time (default: the data's now)")
    ev.add_argument(
        "--webhook",
        default=os.environ.get(WEBHOOK_ENV),
        help=f"POST opened/resolved alerts here (default ${WEBHOOK_ENV})",
    )
    ev.add_argument(
        "--base-url",
        default=os.environ.get(BASE_URL_ENV, "http://localhost:8501"),
        help="Railyard's address, for the links in notifications",
    )
    rp = sub.add_parser("replay", help="evaluate hourly over a range, as a scheduler would have")
    add_db_argument(rp)
    rp.add_argument("--from", dest="start", type=_time, required=True)
    rp.add_argument("--to", dest="end", type=_time, help="default: the data's now")
    sub.add_parser("rules", help="list the rules and their thresholds")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "rules":
        return _rules()
    db = open_db(db_path(args.db))
    try:
        if args.command == "evaluate":
            at = args.at or data_now(db.cursor())
            result = alerts.evaluate(db, at)
            _print(result)
            if args.webhook and (result.opened or result.resolved):
                sent = webhook.notify(
                    db.cursor(),
                    list(result.opened),
                    list(result.resolved),
                    args.webhook,
                    args.base_url,
                )
                for d in sent:
                    print(
                        f"webhook: {'delivered' if d.ok else 'FAILED'} after {d.attempts} "
                        f"attempt(s){'' if d.ok else ': ' + str(d.error)}"
                    )
        else:
            end = args.end or data_now(db.cursor())
            _print(alerts.replay(db, args.start, end))
    except OpsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        db.close()
    return 0


def _print(r: alerts.RunResult) -> None:
    print(
        f"evaluated at {r.at:%Y-%m-%d %H:%M} UTC in {r.seconds:.2f} s: {r.firing} firing, "
        f"{len(r.opened)} opened, {len(r.resolved)} resolved"
    )
    for rule_id, reason in sorted(r.skipped.items()):
        print(f"  skipped {rule_id}: {reason}")


def _rules() -> int:
    for s in settings():
        state = "on " if s.enabled else "off"
        print(
            f"{state} {s.rule_id:<20} {s.rail_id:<11} {s.partner_id:<10} "
            f"{s.threshold:g} {s.unit}  ({RULES[s.rule_id].title})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
