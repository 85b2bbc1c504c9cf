"""camt.052/053/054 fast path: the entries flattened in C, checked and written in SQL.

A large statement is almost all ``Ntry`` elements. For a regular document (one default
namespace declared once, no DOCTYPE, ``Document`` / message root / ``GrpHdr`` then the
statements, at most 64 MiB) libxml2 parses the whole tree with the parser's safety
options, and one XSLT (libxslt, C) writes every entry as a line of tab-separated fields:
exactly the elements the parser reads (``camt.entry``), each the element's own leading
text, first match in document order as ``iso_common.Flat`` finds it. Arrow reads those
lines and one SQL statement (``ingest/camt_entries``) strips, types and checks them as
``camt.entry`` and ``iso_common.Ctx`` do and sums them per statement; the few other
elements (``Id``, ``Acct``, ``Bal``, ``TxsSummry``) go through the parser's own functions
and the ``TxsSummry`` totals through ``camt.check_totals``.

Anything else returns None and the parser runs (iso20022.py): another namespace or a
second declaration, a DOCTYPE, elements where the parser would read them differently
(an ``Id``/``Acct`` after the first entry, a nested statement), a tab or line break in a
value (the line count or a line's field count no longer adds up), a value the SQL does
not vouch for (an amount, date or currency of another form), any structural error and any
totals mismatch (the parser names the path, flags the file, or rejects it when strict).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import duckdb
import numpy as np
import pyarrow as pa
from lxml import etree

from ops_core import sql
from ops_core.errors import FileRejected
from ops_core.ingest import camt
from ops_core.ingest._common import ISO_4217_EXTRA, FileTotals
from ops_core.ingest.bulk import BulkJob, Stored
from ops_core.ingest.controls import Controls
from ops_core.ingest.fast_xml import OTHER_SPACE, namespace, own_text, read_lines, stylesheet, tree
from ops_core.ingest.iso20022 import FORMAT, MESSAGE_ROOTS, message_type
from ops_core.ingest.iso_common import Ctx
from ops_core.ingest.records import StatementBalance
from ops_core.ingest.sinks import TableWriter
from ops_core.money import EXPONENT

MESSAGES = frozenset({"camt.052", "camt.053", "camt.054"})
CURRENCIES = {**ISO_4217_EXTRA, **EXPONENT}
TX = "NtryDtls/TxDtls"
# (column, path under Ntry, own text of the first match): what camt.entry reads
FIELDS: tuple[tuple[str, str], ...] = (
    ("amount", "Amt"),
    ("indicator", "CdtDbtInd"),
    ("status_cd", "Sts/Cd"),
    ("status_prtry", "Sts/Prtry"),
    ("status", "Sts"),
    ("booking", "BookgDt"),
    ("booking_dt", "BookgDt/Dt"),
    ("booking_dttm", "BookgDt/DtTm"),
    ("value", "ValDt"),
    ("value_dt", "ValDt/Dt"),
    ("value_dttm", "ValDt/DtTm"),
    ("bank_reference", "AcctSvcrRef"),
    ("customer_reference", "NtryRef"),
    ("domain", "BkTxCd/Domn/Cd"),
    ("family", "BkTxCd/Domn/Fmly/Cd"),
    ("subfamily", "BkTxCd/Domn/Fmly/SubFmlyCd"),
    ("proprietary", "BkTxCd/Prtry/Cd"),
    ("info", "AddtlNtryInf"),
    ("unstructured", f"{TX}/RmtInf/Ustrd"),
    ("tx_info", f"{TX}/AddtlTxInf"),
    ("end_to_end_id", f"{TX}/Refs/EndToEndId"),
    ("return_reason", f"{TX}/RtrInf/Rsn/Cd"),
    ("reversal", "RvslInd"),
)
COLUMNS = ["statement_no", "entry_no", "currency_raw", *(name for name, _ in FIELDS)]


@dataclass
class _Container:
    """One Stmt/Ntfctn/Rpt: where it is and what the parser knows of it."""

    step: str  # 'Stmt' or 'Stmt[2]'
    ctx: Ctx
    stmt: camt.Statement = field(default_factory=camt.Statement)
    has_entries: bool = False


def fast_camt(cur: duckdb.DuckDBPyConnection, job: BulkJob) -> Stored | None:
    """Load a regular camt.052/053/054 document in bulk, or None to let the parser do it."""
    data = job.data
    root = tree(data)
    shape = None if root is None else _shape(root, data)
    if shape is None:
        return None
    ns, message, body, containers = shape
    controls = Controls(job.strict)
    try:
        read = _read_containers(job.name, ns, body, containers)
    except FileRejected:
        return None  # the parser will raise it, or the first error before it
    if read is None:
        return None
    walked, balances, order = read
    entries = _entries(root, ns)
    if entries is None:
        return None
    return _load(cur, job, ns, message, walked, balances, order, entries, controls)


def _shape(root: etree._Element, data: bytes) -> tuple[str, str, etree._Element, list] | None:
    """(namespace, message type, message root, statements) of a regular document."""
    ns = namespace(root, data)
    if ns is None:
        return None
    message = message_type(ns)
    if message not in MESSAGES or len(root) != 1:
        return None
    body = root[0]
    prefix = f"{{{ns}}}"
    if body.tag[len(prefix) :] not in MESSAGE_ROOTS or len(body) < 2:
        return None
    if body[0].tag != prefix + "GrpHdr":
        return None
    containers = list(body)[1:]
    if any(c.tag[len(prefix) :] not in camt.CONTAINERS for c in containers):
        return None
    nested = sum(1 for _ in root.iter(*(prefix + local for local in camt.CONTAINERS)))
    if nested != len(containers):
        return None  # a statement inside another element: the parser reads it as one
    return ns, message, body, containers


def _read_containers(
    file: str, ns: str, body: etree._Element, containers: list[etree._Element]
) -> tuple[list[_Container], list[StatementBalance], list[str]] | None:
    """Every statement's elements but its entries through the parser's functions, in
    document order; None where the parser would read them in another order."""
    prefix = f"{{{ns}}}"
    base = f"/Document/{body.tag[len(prefix) :]}"
    seen: dict[str, int] = {}
    walked, balances, order = [], [], []
    for elem in containers:
        local = elem.tag[len(prefix) :]
        seen[local] = seen.get(local, 0) + 1
        step = _step(local, seen[local])
        container = _Container(step, Ctx(file, ns, f"{base}/{step}"))
        first = elem.find(prefix + "Ntry")
        container.has_entries = first is not None
        first_at = elem.index(first) if first is not None else len(elem)
        stmt, children = container.stmt, {}
        for child in elem.xpath("*[not(self::c:Ntry)]", namespaces={"c": ns}):
            name = child.tag[len(prefix) :]
            children[name] = children.get(name, 0) + 1
            ctx = Ctx(file, ns, f"{base}/{step}/{_step(name, children[name])}")
            if elem.index(child) > first_at:
                if name in ("Id", "Acct"):
                    return None  # the entries before it were read with the old value
                if "entries" not in order:
                    order.append("entries")
            if name == "Id":
                stmt.statement_id = (child.text or "").strip()
            elif name == "Acct":
                stmt.account = camt.account_id(ctx, child)
            elif name == "Bal":
                balances.append(camt.balance(ctx, child, stmt))
                if "balances" not in order:
                    order.append("balances")
            elif name == "TxsSummry":
                camt.summary(ctx, child, stmt)
        if container.has_entries and "entries" not in order:
            order.append("entries")
        walked.append(container)
    return walked, balances, order


def _step(local: str, number: int) -> str:
    return local if number == 1 else f"{local}[{number}]"


@cache
def _transform(ns: str) -> etree.XSLT:
    """The stylesheet writing one line per entry: statement number, entry number, Ccy,
    then the FIELDS, tab-separated."""
    cells = ["$s", "position()", "(c:Amt)[1]/@Ccy", *(own_text(path) for _, path in FIELDS)]
    loop = """<xsl:for-each select="/c:Document/*/*[position() &gt; 1]">
        <xsl:variable name="s" select="position()"/>
        <xsl:for-each select="c:Ntry">{line}</xsl:for-each>
      </xsl:for-each>"""
    return stylesheet(ns, cells, loop)


def _entries(root: etree._Element, ns: str) -> pa.Table | None:
    """Every entry's fields as text; None if a value held a tab or a line break."""
    expected = int(root.xpath("count(/*/*/*/c:Ntry)", namespaces={"c": ns}))
    if not expected:
        return pa.table({name: pa.array([], pa.string()) for name in COLUMNS})
    try:
        buffer = bytes(_transform(ns)(root))
    except etree.XSLTError:
        return None
    if buffer.count(b"\n") != expected or OTHER_SPACE.search(buffer):
        return None  # a line break or tab in a value, or a space str.strip() would strip
    table = read_lines(buffer, COLUMNS)
    return table if table is not None and table.num_rows == expected else None


def _load(
    cur: duckdb.DuckDBPyConnection,
    job: BulkJob,
    ns: str,
    message: str,
    walked: list[_Container],
    balances: list[StatementBalance],
    order: list[str],
    entries: pa.Table,
    controls: Controls,
) -> Stored | None:
    statements = pa.table({
        "statement_no": np.arange(1, len(walked) + 1),
        "statement_id": [c.stmt.statement_id for c in walked],
        "account": [c.stmt.account for c in walked],
        "path": [c.ctx.path for c in walked],
    })  # fmt: skip
    cur.register("camt_source", entries)
    cur.register("camt_statements", statements)
    try:
        sql.execute(
            cur, "ingest/camt_entries", currencies=list(CURRENCIES),
            exponents=list(CURRENCIES.values()),
        )  # fmt: skip
        readable = cur.execute("SELECT coalesce(bool_and(readable), TRUE) FROM camt_fast")
        if not readable.fetchall()[0][0]:
            return None
        sums = {
            int(n): (int(count), int(gross), int(net))
            for n, count, gross, net in cur.execute(
                "SELECT statement_no, count(*), sum(units), sum(CASE WHEN debit THEN -units"
                " ELSE units END) FROM camt_fast GROUP BY ALL"
            ).fetchall()
        }
        for number, container in enumerate(walked, start=1):
            stmt = container.stmt
            stmt.entries, stmt.gross, stmt.net = sums.get(number, (0, 0, 0))
            if message != "camt.052":  # account reports may be partial (Fedwire ACTR)
                camt.check_totals(container.ctx, stmt, controls)
        if controls.mismatches or controls.notes:
            return None  # the parser flags the file (or rejects it when strict)
        writer = TableWriter(cur, job.file_id)
        for balance in balances:
            writer.add(balance)
        writer.flush()
        sql.execute(cur, "ingest/camt_insert", file_id=job.file_id)
    finally:
        cur.unregister("camt_source")
        cur.unregister("camt_statements")
        cur.execute("DROP TABLE IF EXISTS temp.camt_fast")
    count = entries.num_rows
    rows = writer.rows + count
    if job.progress is not None:
        job.progress(rows)
    labels = {"balances": len(balances), "entries": count}
    counts = {label: labels[label] for label in order}
    return Stored(rows, FileTotals(FORMAT, rows, counts, kind=ns.rsplit(":", 1)[-1]))
