"""The samples README as data: every file's status (VALID, NEGATIVE, ...)."""

from __future__ import annotations

import re
from functools import cache

from tests.ingest.conftest import SAMPLES

ROW = re.compile(r"^\| `([^`]+)` \| `[^`]*` \| ([A-Z-]+) \|", re.M)


@cache
def statuses() -> dict[str, str]:
    readme = SAMPLES / "README.md"
    if not readme.exists():
        return {}
    return dict(ROW.findall(readme.read_text()))


def files(prefix: str, status: str, *, suffixes: tuple[str, ...] = ()) -> list[str]:
    return sorted(
        rel for rel, st in statuses().items()
        if rel.startswith(prefix) and st == status and not rel.endswith(".gz")
        and (not suffixes or rel.endswith(suffixes))
    )  # fmt: skip
