"""Alert fixtures: the demo database with its alerts replayed (built once per session), a
private writable copy of it, and a tiny hand-made world for golden cases."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ops_core.alerts.demo import seed_alerts
from ops_core.db import open_db
from tests.conftest import AS_OF


@pytest.fixture(scope="session")
def seeded_path(demo_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database after ``seed_alerts`` (14 days replayed hourly up to AS_OF)."""
    path = tmp_path_factory.mktemp("alerts") / "railyard.duckdb"
    shutil.copy(demo_path, path)
    db = open_db(path)
    with db.transaction() as cur:
        seed_alerts(cur, AS_OF)
    db.close()
    return path


@pytest.fixture
def seeded_copy(seeded_path: Path, tmp_path: Path) -> Path:
    target = tmp_path / "seeded.duckdb"
    shutil.copy(seeded_path, target)
    return target


T0 = datetime(2026, 3, 2, 12, tzinfo=UTC)  # a Monday


def hours(n: int) -> timedelta:
    return timedelta(hours=n)
