"""pacs.002 fast path: the statuses flattened in C, checked and written in SQL.

A large status report is almost all ``TxInfAndSts`` elements. For a regular document (one
default namespace declared once, no DOCTYPE, ``Document`` / ``FIToFIPmtStsRpt`` / ``GrpHdr``,
at most one ``OrgnlGrpInfAndSts``, then only ``TxInfAndSts``, at most 64 MiB) libxml2 parses
the whole tree with the parser's safety options, and one XSLT (libxslt, C) writes every
status as a line of tab-separated fields: the elements ``pacs.status`` reads, each the
element's own leading text, first match in document order as ``find()`` finds it (an
element whose start tag appears nowhere in the file is not looked for: its column is
empty). Arrow reads those lines and strips spaces, and one SQL statement
(``ingest/pacs_status_insert``) checks ``TxSts``, falls back to the group's ``OrgnlMsgId``,
picks the reason and writes each status with its XML path. ``GrpHdr`` and
``OrgnlGrpInfAndSts`` go through the parser's own code (``pacs.group_header``), so
``MsgId``, ``CreDtTm`` and the group's ``OrgnlMsgId`` are the parser's values and a bad
header is the parser's error. pacs.002 has no control totals (``check_group`` is for
pacs.008/004), so a regular report loads with no warning, as it does through the parser.

Anything else returns None and the parser runs (iso20022.py): another namespace or a second
declaration, a prefixed element, a DOCTYPE, an envelope (RTP's ``Message``, FedNow's
``FedNowIncoming``), a report with no ``TxInfAndSts`` (the group status, or the "carries no
status" note), a second ``OrgnlGrpInfAndSts``, one after a status or before ``GrpHdr``, any
other element beside the statuses (``SplmtryData``: the parser reads statuses nested in
it), a tab, line break or carriage return in a value (the line count or a line's field
count no longer adds up), whitespace other than ASCII in a value (``str.strip`` would strip
it), a header the parser rejects. A ``TxSts`` the SQL does not vouch for (not four ASCII
capitals) raises ``error()``: the loader rolls back and the parser names the path, or
accepts a Unicode capital. pacs.008 and pacs.004 are left to the parser.
"""

from __future__ import annotations

from functools import cache

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from lxml import etree

from ops_core import sql
from ops_core.errors import FileRejected
from ops_core.ingest import pacs
from ops_core.ingest._common import FileTotals
from ops_core.ingest.bulk import BulkJob, Stored
from ops_core.ingest.fast_xml import OTHER_SPACE, namespace, own_text, read_lines, stylesheet, tree
from ops_core.ingest.iso20022 import FORMAT, message_type
from ops_core.ingest.iso_common import Ctx

MESSAGE = "pacs.002"
ROOT = "FIToFIPmtStsRpt"
BASE = f"/Document/{ROOT}"  # the parser's path of the message root (iso20022.py)
# (column, path under TxInfAndSts, own text of the first match): what pacs.status reads
FIELDS: tuple[tuple[str, str], ...] = (
    ("status", "TxSts"),
    ("original_msg_id", "OrgnlGrpInf/OrgnlMsgId"),
    ("end_to_end_id", "OrgnlEndToEndId"),
    ("tx_id", "OrgnlTxId"),
    ("uetr", "OrgnlUETR"),
    ("reason_cd", "StsRsnInf/Rsn/Cd"),
    ("reason_prtry", "StsRsnInf/Rsn/Prtry"),
)
COLUMNS = [name for name, _ in FIELDS]


def fast_pacs(cur: duckdb.DuckDBPyConnection, job: BulkJob) -> Stored | None:
    """Load a regular pacs.002 status report in bulk, or None to let the parser do it. A
    status the SQL does not vouch for raises duckdb.Error: the loader then rolls the
    transaction back and runs the parser."""
    data = job.data
    root = tree(data)
    shape = None if root is None else _shape(root, data)
    if shape is None:
        return None
    ns, body, count = shape
    group = _group(job.name, ns, body)
    if group is None:
        return None
    statuses = _statuses(root, ns, data, count)
    if statuses is None:
        return None
    return _load(cur, job, ns, group, statuses)


def _shape(root: etree._Element, data: bytes) -> tuple[str, etree._Element, int] | None:
    """(namespace, message root, number of statuses) of a regular report."""
    ns = namespace(root, data)
    if ns is None:
        return None
    prefix = f"{{{ns}}}"
    if message_type(ns) != MESSAGE or len(root) != 1 or root[0].tag != prefix + ROOT:
        return None
    body = root[0]
    children = len(body)
    if children < 2 or body[0].tag != prefix + "GrpHdr":
        return None
    lead = 1 + (body[1].tag == prefix + "OrgnlGrpInfAndSts")
    count = int(root.xpath(f"count(/c:Document/c:{ROOT}/c:TxInfAndSts)", namespaces={"c": ns}))
    if not count or children != lead + count:
        return None  # no status, or another element among them: the parser reads it
    return ns, body, count


def _group(file: str, ns: str, body: etree._Element) -> pacs.Group | None:
    """GrpHdr and OrgnlGrpInfAndSts read by the parser's own code; None if it rejects."""
    group = pacs.Group()
    try:
        pacs.group_header(Ctx(file, ns, f"{BASE}/GrpHdr"), body[0], group)
    except FileRejected:
        return None  # the parser raises it
    if body[1].tag == f"{{{ns}}}OrgnlGrpInfAndSts":
        group.original_msg_id = Ctx(file, ns, f"{BASE}/OrgnlGrpInfAndSts").text(
            body[1], "OrgnlMsgId"
        )
    return group


def _present(data: bytes) -> tuple[str, ...]:
    """The FIELDS whose elements may occur: every step's start tag is in the bytes (one
    namespace, no prefix: an element named X starts with ``<X`` and a space, ``/`` or
    ``>``). The others are empty in every status and are not looked for."""
    names = {step for _, path in FIELDS for step in path.split("/")}
    found = {name for name in names if _has_tag(data, name.encode())}
    return tuple(c for c, path in FIELDS if all(step in found for step in path.split("/")))


def _has_tag(data: bytes, name: bytes) -> bool:
    tag = b"<" + name
    at = data.find(tag)
    while at >= 0:
        if data[at + len(tag) : at + len(tag) + 1] in (b">", b"/", b" ", b"\t", b"\n", b"\r"):
            return True
        at = data.find(tag, at + len(tag))
    return False


@cache
def _transform(ns: str, columns: tuple[str, ...]) -> etree.XSLT:
    """The stylesheet writing one line per TxInfAndSts: the columns' elements,
    tab-separated."""
    paths = dict(FIELDS)
    loop = f'<xsl:for-each select="/c:Document/c:{ROOT}/c:TxInfAndSts">{{line}}</xsl:for-each>'
    return stylesheet(ns, [own_text(paths[c]) for c in columns], loop)


def _statuses(root: etree._Element, ns: str, data: bytes, expected: int) -> pa.Table | None:
    """Every status's fields as text, stripped of spaces, numbered; None if a value held a
    tab, a line break or a carriage return, or ends in whitespace other than spaces."""
    columns = _present(data)
    if "status" not in columns:
        return None  # no TxSts anywhere: the parser rejects the first status
    try:
        buffer = bytes(_transform(ns, columns)(root))
    except etree.XSLTError:
        return None
    if buffer.count(b"\n") != expected or b"\r" in buffer:
        return None
    if not buffer.isascii() and OTHER_SPACE.search(buffer):
        return None
    table = read_lines(buffer, list(columns))
    if table is None or table.num_rows != expected:
        return None
    blank = pa.repeat(pa.scalar("", pa.string()), expected)
    spaced = b" " in buffer
    return pa.table({
        **{c: pc.utf8_trim(table[c], " ") if spaced else table[c] for c in columns},
        **{c: blank for c in COLUMNS if c not in columns},
        "status_no": np.arange(1, expected + 1),
    })  # fmt: skip


def _load(
    cur: duckdb.DuckDBPyConnection, job: BulkJob, ns: str, group: pacs.Group, statuses: pa.Table
) -> Stored:
    # One row built as sinks.TableWriter builds the parser's rows (Python values to Arrow),
    # so created_at reaches TIMESTAMPTZ by the same conversion.
    head = pa.table({
        "msg_id": [group.msg_id],
        "original_msg_id": [group.original_msg_id],
        "created_at": [group.created_at],
    })  # fmt: skip
    cur.register("pacs_source", statuses)
    cur.register("pacs_group", head)
    try:
        sql.execute(
            cur, "ingest/pacs_status_insert", file_id=job.file_id, base=f"{BASE}/TxInfAndSts"
        )
    finally:
        for view in ("pacs_source", "pacs_group"):
            try:
                cur.unregister(view)
            except duckdb.Error:  # the transaction failed: the loader rolls back and retries
                pass
    rows = statuses.num_rows
    if job.progress is not None:
        job.progress(rows)
    totals = FileTotals(FORMAT, rows, {"statuses": rows}, kind=ns.rsplit(":", 1)[-1])
    return Stored(rows, totals)
