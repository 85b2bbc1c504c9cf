"""The outbound webhook against a local HTTP server on 127.0.0.1: Slack-compatible JSON,
retries with exponential backoff on 5xx and 429, no retry on other 4xx."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest

from ops_core.alerts import webhook
from ops_core.errors import ConfigError


class Hook:
    """A local receiver answering each POST with the next status of ``script``."""

    def __init__(self, script: list[int], retry_after: str | None = None):
        self.script, self.bodies, self.retry_after = list(script), [], retry_after
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                hook.bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                code = hook.script.pop(0) if hook.script else 200
                self.send_response(code)
                if hook.retry_after and code == 429:
                    self.send_header("Retry-After", hook.retry_after)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/railyard"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


ALERTS = pd.DataFrame(
    {
        "alert_id": [7],
        "severity": ["critical"],
        "title": ["Stuck payments: FedNow at Meridian Trust"],
        "explanation": ["60 payments on FedNow at Meridian Trust pending longer than 60 s"],
        "resolution": [None],
        "link": ["/rail-health?rails=FEDNOW&status=pending"],
    }
)


def test_payload_is_slack_compatible():
    body = webhook.payload(ALERTS, "http://railyard.local:8501/")
    assert body["text"].startswith("Railyard: 1 alert opened")
    assert body["blocks"][0]["type"] == "header"
    section = body["blocks"][1]["text"]
    assert section["type"] == "mrkdwn"
    assert (
        "<http://railyard.local:8501/rail-health?rails=FEDNOW&status=pending|Open in Railyard>"
        in section["text"]
    )


@pytest.mark.parametrize(
    ("script", "ok", "attempts", "delays"),
    [
        ([200], True, 1, []),
        ([500, 503, 200], True, 3, [0.5, 1.0]),  # exponential backoff
        ([500, 500, 500, 500], False, 4, [0.5, 1.0, 2.0]),  # gives up after 3 retries
        ([400], False, 1, []),  # the request is wrong: no retry
        ([429, 200], True, 2, [0.5]),
    ],
)
def test_retries_with_exponential_backoff(script, ok, attempts, delays):
    slept = []
    with Hook(script) as hook:
        d = webhook.send(hook.url, {"text": "hi"}, retries=3, backoff=0.5, sleep=slept.append)
    assert (d.ok, d.attempts) == (ok, attempts)
    assert slept == delays
    assert hook.bodies == [{"text": "hi"}] * attempts


def test_retry_after_is_honoured_and_capped():
    slept = []
    with Hook([429, 200], retry_after="120") as hook:
        d = webhook.send(hook.url, {"text": "x"}, max_delay=30, sleep=slept.append)
    assert d.ok and slept == [30]


def test_connection_refused_is_retried_then_reported():
    with Hook([]) as hook:
        url = hook.url
    slept = []
    d = webhook.send(url, {"text": "x"}, retries=2, backoff=0.1, timeout=2, sleep=slept.append)
    assert not d.ok and d.attempts == 3 and slept == [0.1, 0.2]


def test_only_http_urls():
    with pytest.raises(ConfigError, match="http"):
        webhook.send("file:///etc/passwd", {"text": "x"})


def test_notify_stamps_delivered_alerts(empty_db):
    from ops_core.alerts import store
    from tests.alerts.conftest import T0
    from tests.alerts.test_state import RULE, finding, frame, machine

    m, _ = machine()
    cur = empty_db.cursor()
    store.step(m, T0, frame(finding(T0)), {RULE}, store.id_source(cur))
    store.write(cur, m)
    with Hook([503, 200]) as hook:
        out = webhook.notify(cur, m.opened, [], hook.url, "http://x", backoff=0.01)
    assert [d.ok for d in out] == [True] and len(hook.bodies) == 2
    assert cur.execute("SELECT notified_at IS NOT NULL FROM alerts").fetchall() == [(True,)]
