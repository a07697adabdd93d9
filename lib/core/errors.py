"""Small, specific exceptions; the CLI and the app turn them into one-line messages."""

from __future__ import annotations


class WarmLeadsError(Exception):
    """Base class: a problem the user can understand and fix."""


class ValidationError(WarmLeadsError):
    """A value was rejected; names the field and the reason."""

    def __init__(self, field: str, reason: str, *, row: int | None = None) -> None:
        self.field = field
        self.reason = reason
        self.row = row
        prefix = f"row {row}: " if row is not None else ""
        super().__init__(f"{prefix}{field}: {reason}")


class NotFoundError(WarmLeadsError):
    """A contact or event id that does not exist."""


class DatabaseError(WarmLeadsError):
    """The database file cannot be used as it is (damaged, locked, too new, missing)."""


class DatabaseLockedError(DatabaseError):
    """Another process holds the database file open for writing."""


class ReadOnlyError(WarmLeadsError):
    """A write was attempted in read-only mode."""
