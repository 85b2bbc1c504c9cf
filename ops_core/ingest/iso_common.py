"""Element helpers shared by the camt and pacs readers (namespace-aware, never raising
anything but FileRejected)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from xml.etree.ElementTree import Element

from ops_core.errors import FileRejected
from ops_core.ingest._common import minor_units


@lru_cache(maxsize=4096)
def qualified(ns: str, path: str) -> str:
    """'A/B' -> '{ns}A/{ns}B', the form ElementTree's find() wants."""
    return "/".join(f"{{{ns}}}{part}" for part in path.split("/"))


class Flat:
    """An element's subtree by path of local names ('NtryDtls/TxDtls/Refs/EndToEndId'),
    first occurrence in document order winning, as find() would: one walk serves the
    dozen lookups a camt entry needs. Elements of other namespaces are left out."""

    __slots__ = ("found",)

    def __init__(self, elem: Element, ns: str) -> None:
        self.found: dict[str, Element] = {}
        if hasattr(elem, "iterdescendants"):  # lxml: its C iterator, in document order
            self._scan(elem, "{" + ns + "}")
        else:
            self._walk(elem, "", "{" + ns + "}")

    def _scan(self, elem: Element, prefix: str) -> None:
        found, paths, cut = self.found, {elem: ""}, len(prefix)
        for child in elem.iterdescendants(prefix + "*"):
            base = paths.get(child.getparent())
            if base is None:  # under an element of another namespace: left out
                continue
            here = child.tag[cut:] if not base else f"{base}/{child.tag[cut:]}"
            paths[child] = here
            if here not in found:
                found[here] = child

    def _walk(self, elem: Element, path: str, prefix: str) -> None:
        for child in elem:
            tag = child.tag
            if not isinstance(tag, str) or not tag.startswith(prefix):
                continue
            here = tag[len(prefix) :] if not path else f"{path}/{tag[len(prefix) :]}"
            if here not in self.found:
                self.found[here] = child
            self._walk(child, here, prefix)

    def find(self, path: str) -> Element | None:
        return self.found.get(path)


Tree = Element | Flat


@dataclass(frozen=True)
class Ctx:
    """The file, the message namespace and the XML path of the element being read."""

    file: str
    ns: str
    path: str

    def q(self, path: str) -> str:
        return qualified(self.ns, path)

    def find(self, elem: Tree, path: str) -> Element | None:
        if isinstance(elem, Flat):
            return elem.find(path)
        return elem.find(qualified(self.ns, path))

    def text(self, elem: Tree, path: str) -> str:
        found = elem.found.get(path) if type(elem) is Flat else self.find(elem, path)
        return (found.text or "").strip() if found is not None else ""

    def required(self, elem: Tree, path: str) -> str:
        value = self.text(elem, path)
        if not value:
            raise self.reject(f"missing {path}", path, "a value")
        return value

    def reject(
        self, message: str, field: str | None = None, expected: str | None = None
    ) -> FileRejected:
        return FileRejected(self.file, message, path=self.path, field=field, expected=expected)

    def amount(self, elem: Tree, path: str, *, required: bool = True) -> tuple[int, str]:
        """(minor units, currency) of an amount element with a Ccy attribute."""
        found = self.find(elem, path)
        if found is None:
            if required:
                raise self.reject(f"missing {path}", path, "an amount with Ccy")
            return 0, ""
        currency = (found.get("Ccy") or "").strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise self.reject(f"missing or bad Ccy {currency!r}", path, "an ISO 4217 code")
        text = (found.text or "").strip()
        if not text or text.startswith(("-", "+")):
            raise self.reject(
                f"amount {text!r} is not a non-negative decimal", path, "a decimal >= 0"
            )
        return minor_units(text, currency, file=self.file, path=self.path, field=path), currency

    def when(self, elem: Tree, path: str) -> date | None:
        """A Dt/DtTm element (or a choice holding either) as a date."""
        raw = (
            self.text(elem, path)
            or self.text(elem, f"{path}/Dt")
            or self.text(elem, f"{path}/DtTm")
        )
        if not raw:
            return None
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            raise self.reject(f"not a date: {raw!r}", path, "YYYY-MM-DD") from None

    def timestamp(self, elem: Tree, path: str) -> datetime | None:
        raw = self.text(elem, path)
        if not raw:
            return None
        try:
            return datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise self.reject(f"not a timestamp: {raw!r}", path, "ISO 8601") from None

    def indicator(self, elem: Tree, path: str = "CdtDbtInd") -> str:
        value = self.text(elem, path)
        if value not in ("CRDT", "DBIT"):
            raise self.reject(f"credit/debit indicator {value!r}", path, "CRDT or DBIT")
        return value
