"""What every reader produces: clean contacts (and events) with the row each came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lib.core.errors import ValidationError, WarmLeadsError
from lib.core.validation import clean_contact


class ImportRejected(WarmLeadsError):
    """A --strict import met a bad row or a dropped value: nothing was written."""


@dataclass(frozen=True)
class Problem:
    """A row that was left out, or a value that was dropped, and why."""

    where: int
    reason: str
    unit: str = "row"

    def __str__(self) -> str:
        return f"{self.unit} {self.where}: {self.reason}"


@dataclass
class Candidate:
    """One person read from the file, already through lib.core.validation.clean_contact."""

    row: int
    fields: dict[str, Any]
    # A Warm Leads CSV names contacts by id: the id in the file and the referrer's id there.
    file_id: int | None = None
    file_referred_by: int | None = None


@dataclass
class EventCandidate:
    """One event read from a Warm Leads CSV, pointing at a contact by its id in the file."""

    row: int
    fields: dict[str, Any]
    file_contact_id: int
    file_id: int | None = None


@dataclass
class ParsedImport:
    """A whole file read and validated, before it meets the database."""

    format: str
    unit: str = "row"
    contacts: list[Candidate] = field(default_factory=list)
    events: list[EventCandidate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def problem(self, where: int, reason: str) -> None:
        """Leave a row out, saying why."""
        self.problems.append(Problem(where, reason, self.unit))

    def warn(self, where: int, reason: str) -> None:
        """Keep a row but say what was dropped from it."""
        self.warnings.append(Problem(where, reason, self.unit))

    def add_contact(
        self,
        where: int,
        raw: Mapping[str, Any],
        *,
        today: date,
        file_id: int | None = None,
        file_referred_by: int | None = None,
    ) -> Candidate | None:
        """Validate one person's fields; keep them, or record why the row was left out."""
        values = dict(raw)
        name = values.get("full_name")
        if name is None or not str(name).strip():
            self.problem(where, "no name")
            return None
        try:
            clean = clean_contact(values, today=today)
        except ValidationError as exc:
            if exc.field != "linkedin_url":
                self.problem(where, str(exc))
                return None
            # A URL that is not http(s) is dropped, not the person.
            self._dropped_url(where, values.pop("linkedin_url"))
            return self.add_contact(
                where, values, today=today, file_id=file_id, file_referred_by=file_referred_by
            )
        candidate = Candidate(where, clean, file_id, file_referred_by)
        self.contacts.append(candidate)
        return candidate

    def _dropped_url(self, where: int, value: Any) -> None:
        shown = str(value).strip()
        shown = shown if len(shown) <= 60 else shown[:57] + "…"
        self.warn(where, f"LinkedIn URL {shown!r} dropped: not a web address (http or https)")
