"""ISO 20022 XML: camt.052/053/054 statements and pacs.002/004/008 payment messages.

The message type comes from the namespace (``urn:iso:std:iso:20022:tech:xsd:camt.053.001.08``
and so on, any version), found on the message element whether it sits in a ``Document``
or inside an RTP/FedNow envelope. Parsing streams (xml_stream.py: lxml, DTDs refused).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ops_core.errors import FileRejected
from ops_core.ingest import camt, pacs
from ops_core.ingest._common import FileTotals, Source
from ops_core.ingest.controls import Controls
from ops_core.ingest.iso_common import Ctx
from ops_core.ingest.records import (
    PaymentMessage,
    PaymentStatus,
    StatementBalance,
    StatementLine,
)
from ops_core.ingest.xml_stream import ISO_NS, Node, element_namespaces, ended

FORMAT = "iso20022"
SUPPORTED = frozenset({"camt.052", "camt.053", "camt.054", "pacs.002", "pacs.004", "pacs.008"})
IsoRecord = StatementBalance | StatementLine | PaymentMessage | PaymentStatus | FileTotals
INTERESTING = frozenset({
    "GrpHdr", "Id", "Acct", "Bal", "TxsSummry", "Ntry", "Stmt", "Ntfctn", "Rpt",
    "CdtTrfTxInf", "TxInf", "TxInfAndSts", "OrgnlGrpInfAndSts",
})  # fmt: skip
# Read whole with find(): their inner elements need no path of their own.
OPAQUE = frozenset({
    "GrpHdr", "Acct", "Bal", "TxsSummry", "Ntry", "CdtTrfTxInf", "TxInf", "TxInfAndSts",
    "OrgnlGrpInfAndSts",
})  # fmt: skip
COUNT_LABELS: dict[type, str] = {
    StatementBalance: "balances",
    StatementLine: "entries",
    PaymentMessage: "payments",
    PaymentStatus: "statuses",
}
MESSAGE_ROOTS = frozenset(
    {
        "BkToCstmrStmt",
        "BkToCstmrDbtCdtNtfctn",
        "BkToCstmrAcctRpt",
        "FIToFICstmrCdtTrf",
        "FIToFIPmtStsRpt",
        "PmtRtr",
    }
)


@dataclass
class _State:
    file: str
    message: str = ""
    ns: str = ""
    namespaces: set[str] = field(default_factory=set)
    stmt: camt.Statement = field(default_factory=camt.Statement)
    group: pacs.Group = field(default_factory=pacs.Group)
    counts: dict[str, int] = field(default_factory=dict)
    containers: int = 0
    controls: Controls = field(default_factory=Controls)


def message_type(ns: str) -> str | None:
    match = ISO_NS.match(ns)
    return f"{match['area']}.{match['num']}" if match else None


def parse_iso20022(source: Source, name: str, *, strict: bool = False) -> Iterator[IsoRecord]:
    """Stream a camt or pacs message: its records, then FileTotals. Control totals
    (TxsSummry, NbOfTxs, total amounts) that disagree are warnings unless ``strict``."""
    state = _State(name, controls=Controls(strict))
    for node in ended(source, name, INTERESTING | MESSAGE_ROOTS, OPAQUE, state.namespaces):
        for record in _handle(state, node):
            key = COUNT_LABELS[type(record)]
            state.counts[key] = state.counts.get(key, 0) + 1
            yield record
    if not state.message:
        state.namespaces = element_namespaces(source)  # what the file's elements are in
        raise FileRejected(
            name,
            _no_message_reason(state),
            line=1,
            field="xmlns",
            expected=f"one of {', '.join(sorted(SUPPORTED))}",
        )
    yield FileTotals(
        FORMAT,
        sum(state.counts.values()),
        state.counts,
        warnings=state.controls.warnings(),
        control_ok=state.controls.ok,
        kind=state.ns.rsplit(":", 1)[-1],
    )


def _no_message_reason(state: _State) -> str:
    found = sorted(filter(None, map(message_type, state.namespaces)))
    if found:
        return f"unsupported ISO 20022 message type(s): {', '.join(found)}"
    if not state.namespaces:
        return "the namespace of the document is omitted"
    return f"no ISO 20022 message found (namespaces: {', '.join(sorted(state.namespaces))})"


def _parent_local(node: Node) -> str:
    return node.path.rsplit("/", 2)[-2].split("[")[0] if node.path.count("/") > 1 else ""


def _handle(state: _State, node: Node) -> Iterator[IsoRecord]:
    kind = message_type(node.ns)
    if kind is None or (state.message and node.ns != state.ns):
        return  # envelope (urn:tch, head.001) or a nested foreign element
    if not state.message and node.local == "GrpHdr":
        if kind not in SUPPORTED:
            raise FileRejected(
                state.file,
                f"unsupported ISO 20022 message type {kind}",
                path=node.path,
                field="xmlns",
                expected=", ".join(sorted(SUPPORTED)),
            )
        state.message, state.ns = kind, node.ns
    if not state.message:
        return
    ctx = Ctx(state.file, state.ns, node.path)
    if state.message.startswith("camt"):
        yield from _camt(state, ctx, node)
    else:
        yield from _pacs(state, ctx, node)


def _camt(state: _State, ctx: Ctx, node: Node) -> Iterator[IsoRecord]:
    parent, stmt = _parent_local(node), state.stmt
    if node.local in camt.CONTAINERS:
        if state.message != "camt.052":  # account reports may be partial (Fedwire ACTR)
            camt.check_totals(ctx, stmt, state.controls)
        state.stmt, state.containers = camt.Statement(), state.containers + 1
        node.release()
    elif node.local in MESSAGE_ROOTS and not state.containers:
        raise ctx.reject("the message has no Stmt/Ntfctn/Rpt", "Stmt", "at least one")
    elif parent not in camt.CONTAINERS:
        return
    elif node.local == "Id":
        stmt.statement_id = (node.elem.text or "").strip()
    elif node.local == "Acct":
        stmt.account = camt.account_id(ctx, node.elem)
    elif node.local == "Bal":
        yield camt.balance(ctx, node.elem, stmt)
        node.release()
    elif node.local == "TxsSummry":
        camt.summary(ctx, node.elem, stmt)
    elif node.local == "Ntry":
        yield camt.entry(ctx, node.elem, stmt)
        node.release()


def _pacs(state: _State, ctx: Ctx, node: Node) -> Iterator[IsoRecord]:
    group, local = state.group, node.local
    if local == "GrpHdr":
        pacs.group_header(ctx, node.elem, group)
    elif local == "CdtTrfTxInf" and state.message == "pacs.008":
        yield pacs.credit_transfer(ctx, node.elem, group)
    elif local == "TxInf" and state.message == "pacs.004":
        yield pacs.payment_return(ctx, node.elem, group)
    elif local == "OrgnlGrpInfAndSts" and state.message == "pacs.002":
        group.original_msg_id = ctx.text(node.elem, "OrgnlMsgId")
        group.group_status = node.elem if ctx.text(node.elem, "GrpSts") else None
        group.group_status_path = node.path
    elif local == "TxInfAndSts" and state.message == "pacs.002":
        yield pacs.status(ctx, node.elem, group)
    elif local in MESSAGE_ROOTS:
        yield from _end_of_pacs(state, ctx)
        return
    else:
        return
    node.release()


def _end_of_pacs(state: _State, ctx: Ctx) -> Iterator[IsoRecord]:
    group = state.group
    if state.message == "pacs.002" and not group.statuses:
        if group.group_status is None:
            # Schema-valid (both are 0..n) but empty: recorded, with nothing to reconcile.
            state.controls.note(f"{ctx.path}: status report carries no status (no TxSts or GrpSts)")
            return
        status_ctx = Ctx(ctx.file, ctx.ns, group.group_status_path)
        yield pacs.status(status_ctx, group.group_status, group)
    if state.message != "pacs.002":
        pacs.check_group(ctx, group, state.controls)
        if not group.count:
            raise ctx.reject("the message carries no transaction", "CdtTrfTxInf", "one or more")
