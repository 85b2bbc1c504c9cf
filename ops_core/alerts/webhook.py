"""Outbound notifications: Slack-compatible JSON (``text`` plus mrkdwn ``blocks``) POSTed to a
webhook, with retries and exponential backoff.

Retried: connection errors, timeouts, 429 and 5xx (honouring ``Retry-After`` when it is a
number of seconds, capped at ``max_delay``). Not retried: other 4xx (the payload or URL is
wrong; retrying cannot help). Only ``http``/``https`` URLs are accepted.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

import pandas as pd

from ops_core.errors import ConfigError

SEVERITY_ICON = {"critical": ":red_circle:", "warning": ":large_orange_circle:"}


@dataclass(frozen=True)
class Delivery:
    ok: bool
    attempts: int
    status: int | None
    error: str | None


def payload(alerts: pd.DataFrame, base_url: str, kind: str = "opened") -> dict:
    """One message for a batch of alerts that opened (or resolved)."""
    verb = "opened" if kind == "opened" else "resolved"
    head = f"Railyard: {len(alerts)} alert{'s' if len(alerts) != 1 else ''} {verb}"
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": head}}]
    lines = []
    for a in alerts.itertuples():
        icon = SEVERITY_ICON.get(a.severity, "") if kind == "opened" else ":white_check_mark:"
        url = base_url.rstrip("/") + a.link
        text = a.explanation if kind == "opened" else (a.resolution or "")
        lines.append(f"{icon} *{a.title}* (alert {a.alert_id})\n{text}\n<{url}|Open in Railyard>")
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": lines[-1]}})
    return {"text": head + "\n" + "\n".join(lines), "blocks": blocks[:50]}


def send(
    url: str,
    body: dict,
    *,
    retries: int = 3,
    backoff: float = 0.5,
    max_delay: float = 30.0,
    timeout: float = 10.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivery:
    """POST ``body`` as JSON; on a retryable failure wait backoff * 2**attempt and retry,
    at most ``retries`` times after the first attempt."""
    if urlparse(url).scheme not in ("http", "https"):
        raise ConfigError(f"webhook URL must be http(s): {url!r}")
    data = json.dumps(body).encode()
    status, error, wait = None, None, None
    for attempt in range(retries + 1):
        if attempt:
            sleep(min(wait if wait is not None else backoff * 2 ** (attempt - 1), max_delay))
        request = urllib.request.Request(
            url, data=data, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as resp:
                return Delivery(True, attempt + 1, resp.status, None)
        except urllib.error.HTTPError as exc:
            status, error, wait = exc.code, f"HTTP {exc.code}: {exc.reason}", _retry_after(exc)
            exc.close()  # the error carries the open response
            if not _retryable(exc.code):
                return Delivery(False, attempt + 1, status, error)
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            status, error, wait = None, str(exc), None
    return Delivery(False, retries + 1, status, error)


def _retryable(code: int) -> bool:
    return code == 429 or code >= 500


def _retry_after(exc: urllib.error.HTTPError) -> float | None:
    """Seconds the server asked us to wait (429 Retry-After as a number), else None."""
    after = (exc.headers.get("Retry-After", "") if exc.headers else "").strip()
    return float(after) if exc.code == 429 and after.isdigit() else None


def notify(
    cur, opened: list[int], resolved: list[int], url: str, base_url: str, **kw
) -> list[Delivery]:
    """Send the alerts an evaluation opened and resolved (one message each); stamp
    ``notified_at`` on the opened ones that were delivered."""
    out = []
    for kind, ids in (("opened", opened), ("resolved", resolved)):
        if not ids:
            continue
        df = cur.execute(
            "SELECT * FROM alerts WHERE list_contains(?, alert_id) ORDER BY alert_id", [list(ids)]
        ).df()
        delivery = send(url, payload(df, base_url, kind), **kw)
        out.append(delivery)
        if delivery.ok and kind == "opened":
            cur.execute(
                "UPDATE alerts SET notified_at = now() WHERE list_contains(?, alert_id)",
                [list(ids)],
            )
    return out
