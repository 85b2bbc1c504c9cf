"""Fixtures: tiny hand-made ledgers, the what-if world, the demo with routing rollups built."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ops_core import routing
from ops_core.db import Database, open_db
from tests.routing.ledger import Ledger, prepare
from tests.routing.worlds import history


@pytest.fixture
def tiny(empty_db: Database) -> Database:
    prepare(empty_db)
    return empty_db


@pytest.fixture
def world(tiny: Database) -> Database:
    """tiny + the history of tests/routing/worlds.py; ``led_next`` is the next payment id."""
    with tiny.transaction() as cur, Ledger(cur) as led:
        history(led)
        history(led, "pull")
    tiny.led_next = led.next_id
    return tiny


@pytest.fixture(scope="session")
def routing_demo_path(demo_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared demo database with routing's rollups built (read it; copy before writing)."""
    path = tmp_path_factory.mktemp("routing") / "railyard.duckdb"
    shutil.copy(demo_path, path)
    db = open_db(path)
    with db.transaction() as cur:
        routing.refresh(cur)
    db.close()
    return path


@pytest.fixture(scope="session")
def routing_demo(routing_demo_path: Path) -> Database:
    db = Database(routing_demo_path, read_only=True)
    yield db
    db.close()
