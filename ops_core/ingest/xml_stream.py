"""Safe streaming XML for ISO 20022: lxml's C iterparse, entities off, any DOCTYPE refused.

ISO 20022 messages never need a DTD, so any DOCTYPE is refused outright (checked on the
first element, before any content is read); entities are never resolved
(``resolve_entities=False``), nothing is fetched (``no_network=True``, ``load_dtd=False``)
and trees stay bounded (``huge_tree=False``). That refuses entity expansion (billion
laughs) and external entities (XXE), as defusedxml's ``forbid_dtd`` did before; lxml's
parser is C, and its ``tag`` filter keeps the elements nobody asked for (most of a
statement) from ever reaching Python.

Elements are handed out as they end, with their XML path
(``/Document/BkToCstmrStmt/Stmt[2]/Ntry[3]``, ``[1]`` left out) and removed from the
tree once handled, so memory stays flat on large files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from lxml import etree

from ops_core.errors import FileRejected
from ops_core.ingest._common import Source, open_binary

ISO_NS = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:(?P<area>[a-z]{4})\.(?P<num>\d{3})\.")


_SPLIT: dict[str, tuple[str, str]] = {}


def split_tag(tag: str) -> tuple[str, str]:
    """'{ns}Local' -> ('ns', 'Local'); memoised, since a file repeats a few dozen tags."""
    found = _SPLIT.get(tag)
    if found is None:
        if tag.startswith("{"):
            ns, _, local = tag[1:].partition("}")
            found = (ns, local)
        else:
            found = ("", tag)
        if len(_SPLIT) < 10_000:
            _SPLIT[tag] = found
    return found


@dataclass
class Node:
    """An element that just ended, where it sits, and its parent (to drop it after use)."""

    elem: Element
    path: str
    local: str
    ns: str
    parent: Element | None

    def release(self) -> None:
        if self.parent is not None:
            self.parent.remove(self.elem)


@dataclass
class _Walk:
    """What the wanted elements need while the file streams."""

    file: str
    opaque: frozenset[str]
    namespaces: set[str]
    # Open tracked elements -> their [n]; the element is the key (not id()), which also
    # keeps lxml's proxy alive, so the end event hands back the same object.
    index: dict[Element, int] = field(default_factory=dict)
    seen: dict[Element | None, dict[str, int]] = field(default_factory=dict)  # parent -> n
    inside: int = 0  # open opaque elements: their subtree is read by the caller, not here
    first: bool = True

    def start(self, elem: Element) -> None:
        if self.first:
            refuse_doctype(elem, self.file)
            self.first = False
        local = split_tag(elem.tag)[1]
        if self.inside:
            self.inside += local in self.opaque
            return
        counts = self.seen.setdefault(elem.getparent(), {})
        counts[local] = self.index[elem] = counts.get(local, 0) + 1
        self.inside = 1 if local in self.opaque else 0

    def end(self, elem: Element) -> Node | None:
        ns, local = split_tag(elem.tag)
        if self.inside:
            self.inside -= local in self.opaque
            if self.inside:
                return None
        number = self.index.pop(elem, None)
        if number is None:
            return None
        self.seen.pop(elem, None)
        parent = elem.getparent()
        return Node(elem, self._path(parent, local, number), local, ns, parent)

    def _path(self, parent: Element | None, local: str, number: int) -> str:
        parts = [_step(local, number)]
        node = parent
        while node is not None:
            name = split_tag(node.tag)[1]
            parts.append(_step(name, self.index.get(node) or _position(node, name)))
            node = node.getparent()
        return "/" + "/".join(reversed(parts))


def _step(local: str, number: int) -> str:
    return local if number == 1 else f"{local}[{number}]"


def _position(elem: Element, local: str) -> int:
    """1 + the preceding siblings of the same local name (for elements nobody tracked)."""
    before = elem.itersiblings(preceding=True)
    return 1 + sum(1 for s in before if isinstance(s.tag, str) and split_tag(s.tag)[1] == local)


def ended(
    source: Source,
    file: str,
    wanted: frozenset[str],
    opaque: frozenset[str] = frozenset(),
    namespaces: set[str] | None = None,
) -> Iterator[Node]:
    """Every element whose local name is ``wanted`` (any namespace), as it ends.

    The subtree of an ``opaque`` element (one its reader takes apart itself) is not
    handed out element by element. ``namespaces`` collects every namespace the document
    declares.
    """
    walk = _Walk(file, opaque, namespaces if namespaces is not None else set())
    tags = [f"{{*}}{local}" for local in sorted(wanted | opaque)]
    with open_binary(source) as stream:
        events = etree.iterparse(
            stream, events=("start", "end", "start-ns"), tag=tags, resolve_entities=False,
            no_network=True, load_dtd=False, huge_tree=False, remove_comments=True,
            remove_pis=True,
        )  # fmt: skip
        try:
            for event, item in events:
                if event == "start":
                    walk.start(item)
                elif event == "end":
                    node = walk.end(item)
                    if node is not None:
                        yield node
                else:
                    walk.namespaces.add(item[1])
            if events.root is not None:  # a DOCTYPE on a file without any wanted element
                refuse_doctype(events.root, file)
        except etree.XMLSyntaxError as exc:
            line = exc.position[0] if exc.position else None
            raise FileRejected(
                file,
                f"not well-formed XML: {exc.msg}",
                line=line,
                expected="a well-formed ISO 20022 XML document",
            ) from None


def element_namespaces(source: Source) -> set[str]:
    """The namespaces the document's elements are in (a second, full pass: only needed to
    say what a file is when no supported message was found in it)."""
    found: set[str] = set()
    with open_binary(source) as stream:
        events = etree.iterparse(
            stream, events=("start",), resolve_entities=False, no_network=True, load_dtd=False,
            huge_tree=False, remove_comments=True, remove_pis=True,
        )  # fmt: skip
        try:
            for _, elem in events:
                ns = split_tag(elem.tag)[0]
                if ns:
                    found.add(ns)
        except etree.XMLSyntaxError:
            pass  # the first pass read the whole file, so this cannot happen
    return found


def refuse_doctype(first: Element, file: str) -> None:
    """Any DOCTYPE is refused: ISO 20022 needs none, and no entity is ever expanded."""
    info = first.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise FileRejected(
            file,
            "refused unsafe XML (DTDForbidden): DTDs and entities are not allowed in "
            "ISO 20022 files",
            expected="XML without a DOCTYPE",
        )
