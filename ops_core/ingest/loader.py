"""Load one file into the database: detect, parse, write, all-or-nothing.

One transaction per file. The file's SHA-256 makes a second load of the same bytes a
no-op that says so. The display name is stored as text and never used as a path.
Control mismatches follow controls.py: by default a warning recorded on the file
(``control_ok = False``), with ``strict=True`` a rejection. A load bumps the data version
in its transaction, so cached pages refresh.
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from ops_core import rollups
from ops_core.access import User, actor_name, require
from ops_core.db import Database
from ops_core.errors import FileRejected
from ops_core.ingest._common import FileTotals
from ops_core.ingest.bulk import BulkJob, Stored
from ops_core.ingest.formats import Plan, detect_format, plan_for
from ops_core.ingest.sinks import TableWriter
from ops_core.recon.staging import stage_loaded_file

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # 200 MiB: the largest bank file we expect, with margin
MAX_NAME_CHARS = 255


@dataclass(frozen=True)
class LoadResult:
    file_id: int
    format: str
    rows: int
    totals: dict[str, Any]
    warnings: tuple[str, ...]
    already_loaded: bool
    name: str = ""
    control_ok: bool = True
    sha256: str = ""


def display_name(name: str) -> str:
    """The last path component, printable characters only, at most 255 of them."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return clean[:MAX_NAME_CHARS] or "unnamed"


def read_limited(path_or_bytes: bytes | str | os.PathLike[str], name: str, max_bytes: int) -> bytes:
    if isinstance(path_or_bytes, bytes):
        data = path_or_bytes
    else:
        try:
            with open(Path(path_or_bytes), "rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise FileRejected(name, f"cannot read the file: {exc.strerror}") from None
    if len(data) > max_bytes:
        raise FileRejected(
            name,
            f"file is larger than the {max_bytes} byte upload limit",
            expected=f"at most {max_bytes} bytes",
        )
    if not data or data.isspace():  # (isspace scans without copying a large file)
        raise FileRejected(name, "file is empty", expected="a non-empty file")
    return data


def load_file(
    db: Database,
    path_or_bytes: bytes | str | os.PathLike[str],
    *,
    name: str,
    format: str | None = None,
    actor: str | User,
    max_bytes: int = MAX_UPLOAD_BYTES,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
) -> LoadResult:
    """Parse and store one file; FileRejected (and nothing written) if it is not valid.

    ``strict`` rejects any control mismatch; ``progress`` is told the rows written so far.
    A ``User`` actor needs ``import_files`` (PermissionDenied otherwise); the file records
    ``actor_name(actor)``."""
    if isinstance(actor, User):
        require(actor, "import_files")
    actor = actor_name(actor)
    name = display_name(name)
    data = read_limited(path_or_bytes, name, max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    previous = _existing(db, digest, name)
    if previous is not None:
        return previous
    fmt = format or detect_format(data[:8192], name)
    job = _Job(data, digest, name, fmt, actor, strict, progress)
    try:
        with db.writing:  # one load, catch-up or reconciliation run at a time
            try:
                with db.transaction() as cur:
                    return _store(cur, plan_for(fmt, cur), job)
            except _FastPathFailed:  # rolled back: load it again the ordinary way
                with db.transaction() as cur:
                    return _store(cur, replace(plan_for(fmt, cur), fast=None), job)
    except duckdb.ConstraintException:
        again = _existing(db, digest, name)  # a concurrent load of the same bytes won
        if again is None:
            raise
        return again


def _existing(db: Database, digest: str, name: str) -> LoadResult | None:
    cur = db.cursor()
    try:
        row = cur.execute(
            "SELECT file_id, format, row_count, totals, warnings, control_ok FROM source_files"
            " WHERE sha256 = ?",
            [digest],
        ).fetchone()
    finally:
        cur.close()
    if row is None:
        return None
    return LoadResult(
        row[0],
        row[1],
        row[2],
        json.loads(row[3]),
        tuple(json.loads(row[4])),
        already_loaded=True,
        name=name,
        control_ok=row[5] is not False,
        sha256=digest,
    )


class _FastPathFailed(Exception):
    """A fast path hit a database error, which aborts the transaction."""


@dataclass(frozen=True)
class _Job:
    data: bytes
    digest: str
    name: str
    fmt: str
    actor: str
    strict: bool
    progress: Callable[[int], None] | None


def _store(cur: duckdb.DuckDBPyConnection, plan: Plan, job: _Job) -> LoadResult:
    file_id = cur.execute(
        "INSERT INTO source_files (sha256, original_name, format, size_bytes, row_count,"
        " totals, loaded_at, loaded_by) VALUES (?, ?, ?, ?, 0, '{}', ?, ?) RETURNING file_id",
        [job.digest, job.name, job.fmt, len(job.data), datetime.now(UTC), job.actor],
    ).fetchone()[0]
    bulk_job = BulkJob(job.data, job.name, file_id, job.strict, job.progress)
    stored = _fast(cur, plan, bulk_job)
    if stored is None:
        if plan.bulk is not None:
            stored = plan.bulk(cur, bulk_job)
        else:
            stored = _parse_and_write(cur, plan.parse, job, file_id)
    totals = stored.totals
    summary = {
        "counts": totals.counts,
        "amounts": totals.amounts,
        "record_count": totals.record_count,
    }
    if totals.kind:
        summary["kind"] = totals.kind
    cur.execute(
        "UPDATE source_files SET row_count = ?, totals = ?, warnings = ?, control_ok = ?"
        " WHERE file_id = ?",
        [stored.rows, json.dumps(summary), json.dumps(list(totals.warnings)), totals.control_ok,
         file_id],
    )  # fmt: skip
    stage_loaded_file(cur, file_id)  # reconciliation's staging, paid per file at load time
    rollups.bump_version(cur)
    return LoadResult(
        file_id, job.fmt, stored.rows, summary, totals.warnings, already_loaded=False,
        name=job.name, control_ok=totals.control_ok, sha256=job.digest,
    )  # fmt: skip


def _fast(cur: duckdb.DuckDBPyConnection, plan: Plan, job: BulkJob) -> Stored | None:
    if plan.fast is None:
        return None
    try:
        return plan.fast(cur, job)
    except duckdb.Error as exc:
        raise _FastPathFailed(str(exc)) from exc


def _parse_and_write(cur: duckdb.DuckDBPyConnection, parse: Any, job: _Job, file_id: int) -> Stored:
    """The streaming path: every record the parser yields, written in Arrow batches."""
    writer = TableWriter(cur, file_id, job.progress)
    totals: FileTotals | None = None
    for record in parse(job.data, job.name, strict=job.strict):
        if isinstance(record, FileTotals):
            totals = record
        else:
            writer.add(record)
    writer.flush()
    assert totals is not None, "every parser ends with FileTotals"
    return Stored(writer.rows, totals)
