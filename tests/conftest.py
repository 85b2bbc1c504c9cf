"""Shared fixtures: a demo database built once per test session, fresh empty databases."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ops_core.db import Database, open_db
from ops_core.demo.build import build

# A fixed "now" keeps every assertion on demo data deterministic.
AS_OF = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)
DEMO_PAYMENTS = 600_000
SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database file (read it; copy it before writing: see ``demo_copy``)."""
    path = tmp_path_factory.mktemp("demo") / "railyard.duckdb"
    db = open_db(path)
    # Alerts are left for the tests to evaluate: they replay the rules themselves.
    build(db, seed=7, payments=DEMO_PAYMENTS, as_of=AS_OF, alerts=False)
    db.close()
    return path


@pytest.fixture(scope="session")
def demo_db(demo_path: Path) -> Database:
    db = Database(demo_path, read_only=True)
    yield db
    db.close()


@pytest.fixture
def demo_copy(demo_path: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the demo database."""
    target = tmp_path / "railyard.duckdb"
    shutil.copy(demo_path, target)
    return target


@pytest.fixture(params=["memory", "file"])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """A migrated empty database, in memory and on disk (dbt-duckdb's habit)."""
    db = open_db(":memory:" if request.param == "memory" else tmp_path / "t.duckdb")
    yield db
    db.close()
