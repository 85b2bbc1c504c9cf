"""Domain errors. Every error carries a message a user can act on."""

from __future__ import annotations


class OpsError(Exception):
    """Base of every error Railyard raises on purpose."""


class ConfigError(OpsError):
    """A setting, path or rule table is wrong."""


class ConflictError(OpsError):
    """Someone else changed the row after it was read: the save is refused, not merged."""


class PermissionDenied(OpsError):
    """The signed-in user's role does not allow this action."""


class FileRejected(OpsError):
    """A file could not be loaded. Names the file, the line (or XML path) and the field."""

    def __init__(
        self,
        file: str,
        message: str,
        *,
        line: int | None = None,
        path: str | None = None,
        field: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.file, self.line, self.path = file, line, path
        self.field, self.expected, self.detail = field, expected, message
        where = [file]
        if line is not None:
            where.append(f"line {line}")
        if path:
            where.append(path)
        if field:
            where.append(f"field {field}")
        text = f"{', '.join(where)}: {message}"
        if expected:
            text += f" (expected {expected})"
        super().__init__(text)
