"""Start the real app with `streamlit run` on a free port, and Debian's Chromium for Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("RAILYARD_CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium's connections are refused here, many at a
# time (the machine's network is closed); --no-sandbox because tests may run as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(
    db_path: Path,
    timeout: float = 60,
    *,
    port: int | None = None,
    args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """The app served on 127.0.0.1:<port, or a free one>; yields its base URL; stops it
    afterwards. ``args`` are extra ``streamlit run`` options, ``env`` extra environment."""
    port = port or free_port()
    env = os.environ | {"RAILYARD_DB": str(db_path)} | dict(env or {})
    cmd = [
        sys.executable,
        "-m",
        "ui.serve",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        *args,
    ]
    # The server's log goes to a file: an unread pipe fills up and freezes the server.
    log_path = db_path.with_suffix(f".{port}.log")
    log = log_path.open("w")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, timeout, log_path)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"streamlit did not become healthy at {url}")


def wait_idle(page) -> None:
    """Wait until Streamlit is connected and has finished running the script."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']")
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    page.wait_for_selector("[data-testid='stMain'] [data-stale='true']", state="detached")
