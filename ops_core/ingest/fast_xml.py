"""What the ISO 20022 fast paths (fast_camt.py, fast_pacs.py) share: the whole tree parsed
with the parser's safety options, the one-namespace check, the XSLT that writes each
repeated element as a line of tab-separated fields, and Arrow reading those lines.

Each value is an element's own leading text (its first text node), first match in
document order: what ``iso_common.Ctx.text`` reads. A tab, CR or LF inside a value breaks
the line layout and whitespace other than ASCII would be stripped by the parser, so a
caller declines such a file (``OTHER_SPACE``, and the line and field counts).
"""

from __future__ import annotations

import re
import sys
from xml.sax.saxutils import quoteattr

import pyarrow as pa
import pyarrow.csv as pcsv
from lxml import etree

MAX_FAST_BYTES = 64 << 20  # the tree takes about 10x the file in memory: larger files stream
XSI = "http://www.w3.org/2001/XMLSchema-instance"  # declared for attributes only
# Whitespace str.strip() removes other than ASCII (ASCII controls cannot occur in XML 1.0),
# as UTF-8 bytes.
OTHER_SPACE = re.compile(
    b"|".join(
        re.escape(chr(c).encode()) for c in range(0x80, sys.maxunicode + 1) if chr(c).isspace()
    )
)
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
    remove_comments=True, remove_pis=True, remove_blank_text=True,
)  # fmt: skip


def tree(data: bytes) -> etree._Element | None:
    """The whole document's tree, parsed with the parser's safety options; None when it is
    over the size cap, has a DOCTYPE or xsi-prefixed elements, or is not well-formed (the
    parser then says why)."""
    if len(data) > MAX_FAST_BYTES or b"<!DOCTYPE" in data or b"<xsi:" in data:
        return None
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None


def namespace(root: etree._Element, data: bytes) -> str | None:
    """The document's one namespace, if ``Document`` and every element are in it and it is
    declared once (xsi beside it for attributes only); None otherwise."""
    ns = root.nsmap.get(None)
    if not ns or root.tag != f"{{{ns}}}Document" or root.nsmap.get("xsi", XSI) != XSI:
        return None
    if len(root.nsmap) != 1 + ("xsi" in root.nsmap) or data.count(b"xmlns") != len(root.nsmap):
        return None
    return ns


def own_text(path: str) -> str:
    """XPath of the own leading text of the first element at ``path`` (``A/B``, relative,
    in the namespace bound to ``c``)."""
    steps = "/".join(f"c:{p}" for p in path.split("/"))
    return f"({steps})[1]/node()[1][self::text()]"


def stylesheet(ns: str, cells: list[str], loop: str) -> etree.XSLT:
    """An XSLT writing one line per element ``loop`` selects: the ``cells`` (XPath, the
    namespace bound to ``c``), tab-separated. ``loop`` holds ``{line}`` where the line
    goes (inside nested for-each elements, say)."""
    values = [f'<xsl:value-of select="{cell}"/>' for cell in cells]
    line = "<xsl:text>&#9;</xsl:text>".join(values) + "<xsl:text>&#10;</xsl:text>"
    text = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
      xmlns:c={quoteattr(ns)}>
    <xsl:output method="text" encoding="UTF-8"/>
    <xsl:template match="/">{loop.replace("{line}", line)}</xsl:template>
    </xsl:stylesheet>"""
    return etree.XSLT(etree.fromstring(text.encode()))


def read_lines(buffer: bytes, columns: list[str]) -> pa.Table | None:
    """The stylesheet's tab-separated lines as text columns (Arrow's multi-threaded reader);
    None if a line has too many fields (a tab in a value)."""
    try:
        return pcsv.read_csv(
            pa.BufferReader(buffer),
            read_options=pcsv.ReadOptions(column_names=columns, block_size=4 << 20),
            parse_options=pcsv.ParseOptions(
                delimiter="\t", quote_char=False, escape_char=False, ignore_empty_lines=False
            ),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(columns, pa.string()), strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid:
        return None
