"""Control totals: when a mismatch rejects a file and when the file loads with a warning.

The policy (PARSERS.md, "Structural errors and control mismatches"):

* A structural error (an unparseable record, a wrong length, type or order, a bad date, a
  missing mandatory field, a DTD) always rejects: the parsers raise ``FileRejected``.
* An arithmetic control mismatch (a trailer's total, count or hash, a block count, a
  balance equation) is a warning: the file loads with ``control_ok = False`` and one
  warning per mismatch, so reconciliation can treat its figures as untrusted.
* Unless the mismatch is *corroborated*: the trailer nearest the records (NACHA batch
  control, BAI2 account trailer) disagrees with them while the trailer above it (NACHA
  file control, BAI2 group trailer) adds up the declared figures exactly. The sender's
  trailers then agree with each other and the records do not, so records were lost or
  altered after the sender totalled them: the failure control totals exist to catch.
  That file is rejected (ask for a resend). When the trailers contradict each other too,
  the sender's totalling itself is broken and says nothing about the records.
* ``strict=True`` rejects at the first mismatch of any kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ops_core.errors import FileRejected

MAX_LISTED = 50  # a file with a mismatch on every row must not bloat source_files


@dataclass
class Controls:
    """The control mismatches and notes of one file being parsed."""

    strict: bool = False
    mismatches: list[FileRejected] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def mismatch(self, error: FileRejected) -> None:
        """A control that disagrees with the records: raised when strict, else a warning."""
        if self.strict:
            raise error
        self.mismatches.append(error)

    def defer(self, error: FileRejected, pending: list[FileRejected]) -> None:
        """A lowest-level mismatch, judged when the trailer above it is read."""
        if self.strict:
            raise error
        pending.append(error)

    def judge(self, pending: list[FileRejected], corroborated: bool, upper: str) -> None:
        """Reject on the first pending mismatch if ``upper`` corroborates it, else warn."""
        if pending and corroborated:
            first = pending[0]
            raise FileRejected(
                first.file,
                f"{first.detail}; the {upper} adds up the declared figures, so records were "
                "lost or altered after the sender totalled them",
                line=first.line,
                path=first.path,
                field=first.field,
                expected=first.expected,
            )
        for error in pending:
            self.mismatch(error)

    def note(self, message: str) -> None:
        """A warning that is not a control mismatch (the file's controls stay trusted)."""
        self.notes.append(message)

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def warnings(self) -> tuple[str, ...]:
        """Every note and mismatch, the mismatches capped at MAX_LISTED (then a count)."""
        listed = [f"control mismatch: {where(e)}" for e in self.mismatches[:MAX_LISTED]]
        if len(self.mismatches) > MAX_LISTED:
            listed.append(f"... and {len(self.mismatches) - MAX_LISTED} more control mismatches")
        return (*listed, *self.notes)


def where(error: FileRejected) -> str:
    """The error's text without the file name (the file is shown beside it)."""
    text = str(error)
    for prefix in (f"{error.file}, ", f"{error.file}: "):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text
