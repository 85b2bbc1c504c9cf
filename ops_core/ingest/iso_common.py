"""Element helpers shared by the camt and pacs readers (namespace-aware, never raising
anything but FileRejected)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from xml.etree.ElementTree import Element

from ops_core.errors import FileRejected
from ops_core.ingest._common import minor_units


@dataclass(frozen=True)
class Ctx:
    """The file, the message namespace and the XML path of the element being read."""

    file: str
    ns: str
    path: str

    def q(self, path: str) -> str:
        return "/".join(f"{{{self.ns}}}{part}" for part in path.split("/"))

    def text(self, elem: Element, path: str) -> str:
        found = elem.find(self.q(path))
        return (found.text or "").strip() if found is not None else ""

    def required(self, elem: Element, path: str) -> str:
        value = self.text(elem, path)
        if not value:
            raise self.reject(f"missing {path}", path, "a value")
        return value

    def reject(
        self, message: str, field: str | None = None, expected: str | None = None
    ) -> FileRejected:
        return FileRejected(self.file, message, path=self.path, field=field, expected=expected)

    def amount(self, elem: Element, path: str, *, required: bool = True) -> tuple[int, str]:
        """(minor units, currency) of an amount element with a Ccy attribute."""
        found = elem.find(self.q(path))
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

    def when(self, elem: Element, path: str) -> date | None:
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

    def timestamp(self, elem: Element, path: str) -> datetime | None:
        raw = self.text(elem, path)
        if not raw:
            return None
        try:
            return datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise self.reject(f"not a timestamp: {raw!r}", path, "ISO 8601") from None

    def indicator(self, elem: Element, path: str = "CdtDbtInd") -> str:
        value = self.text(elem, path)
        if value not in ("CRDT", "DBIT"):
            raise self.reject(f"credit/debit indicator {value!r}", path, "CRDT or DBIT")
        return value
