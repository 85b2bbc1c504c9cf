"""Screenshots of every page for the README, taken in Debian's Chromium on the real app.

    python -m tests.browser.screenshots [--db PATH] [--out docs/screenshots]

Uses a demo database built with a fixed as-of time (or --db), starts `streamlit run` on a
free port and saves one PNG per page.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import sync_playwright

from ops_core.db import open_db
from ops_core.demo.build import build
from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, ROOT, running_app, wait_idle

AS_OF = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
FRAMES = """() => new Promise(done => {
    let left = 10;
    const tick = () => (--left ? requestAnimationFrame(tick) : done());
    requestAnimationFrame(tick);
})"""
SHOTS = [
    ("weekly_kpis", "/kpis"),
    ("overview", "/?day=2026-11-19"),
    ("rail_health", "/rail-health?rails=RTP&start=2026-11-14&end=2026-11-20&grain=hour"),
    (
        "rail_health_ach_granite",
        "/rail-health?rails=ACH&clients=granite&start=2026-08-23&end=2026-11-20&grain=day",
    ),
    ("alerts", "/alerts"),
    ("incidents", "/incidents"),
    ("scorecards", "/scorecards"),
    ("reconciliation", "/reconciliation"),
    ("break_queue", "/breaks"),
    ("break_detail", "/break?break=1"),
    ("dispute_calendar", "/disputes-calendar"),
    ("dispute_case", "/dispute?case=1"),
    ("dispute_analytics", "/disputes-analytics"),
    ("routing", "/routing"),
    ("import", "/import"),
    ("sql_console", "/sql"),
    ("partner_view", "/rail-health?partner=LAKESHORE&start=2026-11-14&end=2026-11-20"),
    ("partner_breaks", "/breaks?partner=LAKESHORE"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = args.db or Path(tmp) / "railyard.duckdb"
        if not args.db:
            db = open_db(db_path)
            build(db, seed=7, as_of=AS_OF)
            db.close()
        shoot(db_path, args.out)


def shoot(db_path: Path, out: Path) -> None:
    with running_app(db_path) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1440, "height": 1100}, timezone_id="America/New_York"
        )
        page = context.new_page()
        for name, path in SHOTS:
            page.goto(url + path)
            wait_idle(page)
            page.wait_for_load_state("networkidle")
            # Streamlit scrolls inside its main block, so grow the window to the content.
            height = page.evaluate(
                "() => document.querySelector('[data-testid=stMain]').scrollHeight"
            )
            page.set_viewport_size({"width": 1440, "height": min(max(height, 900), 4000)})
            wait_idle(page)
            # tables are drawn on canvases that repaint a few frames after the resize
            page.evaluate(FRAMES)
            page.screenshot(path=out / f"{name}.png")
            page.set_viewport_size({"width": 1440, "height": 1100})
            print(f"{out / f'{name}.png'}")
        browser.close()


if __name__ == "__main__":
    main()
