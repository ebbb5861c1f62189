"""Typed errors the core raises; each carries a code and a Chinese message for the clerk."""

from __future__ import annotations

from dataclasses import dataclass


class TrackerError(Exception):
    """Base of every expected error: the UI and CLI show ``message`` and never a traceback."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LedgerOpenError(TrackerError):
    """The ledger file cannot be opened (missing folder, not a ledger, unreadable)."""

    code = "open_failed"


class NewerSchemaError(LedgerOpenError):
    """The file was written by a newer version of the program."""

    code = "newer_schema"


class LedgerLockedError(TrackerError):
    """Another program holds the write lock longer than the busy timeout."""

    code = "locked"


class ReadOnlyError(TrackerError):
    """A write was attempted on a ledger opened read-only."""

    code = "read_only"


class StorageError(TrackerError):
    """The disk refused a write (full, permissions, I/O error)."""

    code = "storage"


class NotFoundError(TrackerError):
    """The record asked for no longer exists."""

    code = "not_found"


class ConflictError(TrackerError):
    """The record changed since the caller read it (optimistic locking)."""

    code = "conflict"


class ValidationError(TrackerError):
    """User input that cannot be stored; ``field`` names the input when known."""

    code = "invalid"

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class DeadlineError(ValidationError):
    """Deadline text that is not a date a clerk could mean."""

    code = "bad_deadline"


@dataclass(frozen=True)
class CellProblem:
    """One bad value in an input file, located exactly."""

    file: str
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}"
        if self.sheet:
            where += f"，工作表“{self.sheet}”"
        if self.row:
            where += f"，第{self.row}行"
        if self.column:
            where += f"，{self.column}列"
        return f"{where}：{self.message}"


class ImportRejected(TrackerError):
    """An input file was refused whole; ``problems`` lists every bad cell."""

    code = "import_rejected"

    def __init__(self, message: str, problems: list[CellProblem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    def full_text(self) -> str:
        """The message followed by one line per bad cell."""
        return "\n".join([self.message, *(str(p) for p in self.problems)])
