"""Safe streaming XML for ISO 20022: defusedxml iterparse with DTDs forbidden.

ISO 20022 messages never need a DTD, so any DOCTYPE is refused outright; that also
refuses entity expansion (billion laughs) and external entities (XXE). Elements are
handed out with their XML path (``/Document/BkToCstmrStmt/Stmt[1]/Ntry[2]``) and
removed from the tree once handled, so memory stays flat on large files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

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
class _Stack:
    names: list[str] = field(default_factory=list)
    elems: list[Element] = field(default_factory=list)
    counters: list[dict[str, int]] = field(default_factory=lambda: [{}])

    def push(self, local: str, elem: Element) -> None:
        seen = self.counters[-1]
        seen[local] = seen.get(local, 0) + 1
        self.names.append(f"{local}[{seen[local]}]")
        self.elems.append(elem)
        self.counters.append({})

    def pop(self, with_path: bool) -> tuple[str, Element | None]:
        path = "/" + "/".join(self.names) if with_path else ""
        self.names.pop()
        self.elems.pop()
        self.counters.pop()
        return path, (self.elems[-1] if self.elems else None)


def ended(
    source: Source,
    file: str,
    wanted: Callable[[str, str], bool],
    opaque: frozenset[str] = frozenset(),
) -> Iterator[Node]:
    """Every element whose (namespace, local name) is wanted, as it ends.

    The subtree of an ``opaque`` element (one its reader takes apart with ``find``) is
    not tracked element by element: on statement files that is most of the work.
    """
    stack = _Stack()
    inside = 0  # depth below the opaque element being skipped
    with open_binary(source) as stream:
        events = iterparse(
            stream,
            events=("start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        try:
            for event, elem in events:
                if event == "start":
                    if inside:
                        inside += 1
                        continue
                    local = split_tag(elem.tag)[1]
                    stack.push(local, elem)
                    inside = 1 if local in opaque else 0
                    continue
                if inside > 1:
                    inside -= 1
                    continue
                inside = 0
                ns, local = split_tag(elem.tag)
                keep = wanted(ns, local)
                path, parent = stack.pop(keep)
                if keep:
                    yield Node(elem, path.replace("[1]", ""), local, ns, parent)
        except ParseError as exc:
            line = exc.position[0] if exc.position else None
            raise FileRejected(
                file,
                f"not well-formed XML: {exc}",
                line=line,
                expected="a well-formed ISO 20022 XML document",
            ) from None
        except DefusedXmlException as exc:
            raise FileRejected(
                file,
                f"refused unsafe XML ({type(exc).__name__}): DTDs and "
                "entities are not allowed in ISO 20022 files",
                expected="XML without a DOCTYPE",
            ) from None
