"""Dispute deadlines as an iCalendar file (RFC 5545), so they land in the team's calendar.

One all-day VEVENT per deadline on the earliest date that matters (the team's due date for
our own deadlines: it is never after the processor's or the network's), with all three
dates in the description. Lines end in CRLF and are folded at 75 octets (RFC 5545 §3.1);
text values are escaped (§3.3.11). UIDs are stable per deadline, so a re-import updates
instead of duplicating.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

PRODID = "-//Railyard//Dispute deadlines//EN"


def escape(text: str) -> str:
    """TEXT escaping: backslash, semicolon, comma and newlines (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces joined by CRLF + space (never inside a
    UTF-8 character)."""
    out, current = [], b""
    for ch in line:
        b = ch.encode()
        limit = 75 if not out else 74  # continuation lines start with one space
        if len(current) + len(b) > limit:
            out.append(current.decode())
            current = b""
        current += b
    out.append(current.decode())
    return "\r\n ".join(out)


def calendar_text(events: Iterable[dict], stamp: datetime, host: str = "railyard") -> str:
    """A VCALENDAR with one all-day VEVENT per dict (uid, day, summary, description, url?)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Railyard dispute deadlines",
    ]
    for e in events:
        day: date = e["day"]
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e['uid']}@{host}",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(e['summary'])}",
            f"DESCRIPTION:{escape(e['description'])}",
            "TRANSP:TRANSPARENT",
        ]
        if e.get("url"):
            lines.append(f"URL:{e['url']}")
        if e.get("categories"):
            lines.append(f"CATEGORIES:{','.join(escape(c) for c in e['categories'])}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def deadline_events(board, base_url: str = "") -> list[dict]:
    """Events for the rows of ``board.board`` (one per open deadline)."""
    events = []
    for r in board.itertuples():
        who = "our response" if r.party == "us" else "their window"
        flag = " ⚠️ uncertain rule" if r.uncertain else ""
        dates = (
            f"team due {r.internal_due}, processor due {r.processor_due},"
            f" network due {r.network_due}"
            if r.party == "us"
            else f"their window ends {r.network_due}"
        )
        events.append(
            {
                "uid": f"dispute-deadline-{r.deadline_id}",
                "day": min(r.internal_due, r.processor_due, r.network_due),
                "summary": f"Case {r.case_id} {r.network} {r.reason_code}: {r.action}",
                "description": (
                    f"{who}; stage {r.stage}; client {r.client}; {dates}; rule {r.rule_id}{flag};"
                    f" source: {r.source}"
                ),
                "url": f"{base_url}/dispute?case={r.case_id}" if base_url else None,
                "categories": [r.network, r.urgency],
            }
        )
    return events
