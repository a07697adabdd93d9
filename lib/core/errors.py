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


class OutputError(WarmLeadsError):
    """A file cannot be written where asked (the database, a device, an existing file…)."""


class EditConflictError(WarmLeadsError):
    """A record changed since the form editing it was opened; holds both versions."""

    def __init__(self, message: str, *, saved: dict, opened: dict, yours: dict) -> None:
        self.saved = saved  # the row as it is now in the file
        self.opened = opened  # the row as it was when the form was opened
        self.yours = yours  # the changes the form was about to save
        super().__init__(message)
