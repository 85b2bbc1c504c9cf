"""Page render benchmark: Overview and Rail Health on 100 thousand and 10 million payments.

    python -m bench.pages [--sizes 100000 10000000] [--runs 7] [--keep]

Each size gets its own demo database under bench/results/ (built once, reused with --keep).
A render is one AppTest script run of the page with Streamlit's caches cleared first, so
every run does its real query work. Target (issue 2): at 10 million, each page's median
render is at most 1 s and at most 1.5 times its render at 100 thousand.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

from ops_core.db import open_db
from ops_core.demo.build import build
from ui import testing

RESULTS = Path(__file__).parent / "results"
AS_OF = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
PAGES = {
    "Overview": ("pages/overview.py", {"day": "2026-11-19"}),
    "Rail Health": ("pages/rail_health.py", {"start": "2026-11-14", "end": "2026-11-20"}),
    "Rail Health, 90 days": (
        "pages/rail_health.py",
        {"start": "2026-08-23", "end": "2026-11-20", "grain": "day"},
    ),
}


def database(size: int, keep: bool) -> tuple[Path, float | None]:
    path = RESULTS / f"pages_{size}.duckdb"
    if keep and path.exists():
        return path, None
    path.unlink(missing_ok=True)
    db = open_db(path)
    result = build(db, seed=7, payments=size, as_of=AS_OF)
    db.close()
    return path, result.seconds


def render_times(
    paths: dict[int, Path], name: str, page: str, params: dict, runs: int
) -> dict[int, list[float]]:
    """Render times per database size, measured in alternation so that load from anything
    else on the machine falls on every size alike."""
    apps = {}
    for size, path in paths.items():
        os.environ["RAILYARD_DB"] = str(path)
        apps[size] = testing.new_app()
        testing.run_page(apps[size], page, **params)  # warm-up: imports, database open
        title = apps[size].title[0].value
        assert name.startswith(title), f"rendered {title}, not {name}"
    times: dict[int, list[float]] = {size: [] for size in paths}
    for _ in range(runs):
        for size, at in apps.items():
            os.environ["RAILYARD_DB"] = str(paths[size])
            st.cache_data.clear()
            started = time.perf_counter()
            at.run()
            times[size].append(time.perf_counter() - started)
            assert not at.exception, [e.message for e in at.exception]
    return times


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = int(Path("/proc/meminfo").read_text().split()[1]) // (1024 * 1024)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": mem,
        "python": platform.python_version(),
        "date": datetime.now(UTC).isoformat(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 10_000_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="reuse existing databases")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    report = {"machine": machine(), "runs": args.runs, "sizes": {}}
    paths, builds = {}, {}
    for size in args.sizes:
        paths[size], builds[size] = database(size, args.keep)
    results = {
        name: render_times(paths, name, page, params, args.runs)
        for name, (page, params) in PAGES.items()
    }
    for size in args.sizes:
        report["sizes"][size] = {
            "build_seconds": builds[size],
            "pages": {
                name: {
                    "median": statistics.median(t[size]),
                    "min": min(t[size]),
                    "max": max(t[size]),
                }
                for name, t in results.items()
            },
        }
        print(size, json.dumps(report["sizes"][size]))
    verdicts(report, args.sizes)
    (RESULTS / "pages.json").write_text(json.dumps(report, indent=2))


def verdicts(report: dict, sizes: list[int]) -> None:
    small, large = min(sizes), max(sizes)
    for name in PAGES:
        a = report["sizes"][small]["pages"][name]["median"]
        b = report["sizes"][large]["pages"][name]["median"]
        ok = b <= 1.0 and b <= 1.5 * a
        print(
            f"{name}: {a:.3f} s at {small:,}, {b:.3f} s at {large:,} "
            f"(ratio {b / a:.2f}) -> {'meets' if ok else 'MISSES'} the target"
        )


if __name__ == "__main__":
    main()
