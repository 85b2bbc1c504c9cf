"""Which ISO 20022 fast path to try, by the message type of the document's namespace.

Both fast paths parse the whole tree before they can tell a message they do not take, so
the first default namespace declaration (the root's, in a regular document) picks one
first: pacs.002 goes to ``fast_pacs``, camt and anything unrecognised to ``fast_camt``
(which declines what is not a regular camt.052/053/054), any other ISO 20022 message
(pacs.008, pacs.004, pain, ...) straight to the parser. A wrong guess costs nothing but
time: each fast path checks the namespace itself and returns None for a document it does
not take, and the parser then runs.
"""

from __future__ import annotations

import re

import duckdb

from ops_core.ingest.bulk import BulkJob, Stored
from ops_core.ingest.fast_camt import MESSAGES as CAMT_MESSAGES
from ops_core.ingest.fast_camt import fast_camt
from ops_core.ingest.fast_pacs import MESSAGE as PACS_STATUS
from ops_core.ingest.fast_pacs import fast_pacs
from ops_core.ingest.iso20022 import message_type

HEAD = 64 << 10  # where the root element starts, after a declaration and comments
_DEFAULT_NS = re.compile(rb"""\sxmlns\s*=\s*["']([^"'<>]*)["']""")


def fast_iso20022(cur: duckdb.DuckDBPyConnection, job: BulkJob) -> Stored | None:
    """The fast path for the document's message type, or None to let the parser read it."""
    found = _DEFAULT_NS.search(job.data, 0, HEAD)
    kind = message_type(found[1].decode("ascii", "replace")) if found else None
    if kind == PACS_STATUS:
        return fast_pacs(cur, job)
    if kind is None or kind in CAMT_MESSAGES:
        return fast_camt(cur, job)
    return None  # fast_camt would parse the tree only to decline it
