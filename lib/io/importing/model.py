"""What every reader produces: clean contacts (and events) with the row each came from."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pyarrow as pa

from lib.core.errors import ValidationError, WarmLeadsError
from lib.core.validation import clean_contact
from lib.io.importing.fields import name_from_email, name_from_linkedin, read_email, read_phone

# How many people a streamed import (apply.import_in_batches) matches and writes at a time,
# or fewer when their text passes BATCH_CHARS: 2,500 people with 19,000-character notes held
# 48 MB of text, and writing one batch costs about ten times its text.
BATCH_PEOPLE = 20_000
BATCH_CHARS = 4_000_000
# How a left-out value is named in the summary.
FIELD_WORDS: dict[str, str] = {
    "email": "e-mail",
    "phone": "phone",
    "connected_on": "connected on date",
    "identified_on": "identified on date",
    "may_use_name": "may use name",
}

# A day as `human_date` writes it, at the start of a reason that names the value again.
_DAY_FIRST = re.compile(r"^[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{1,4} ")


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
    # A Warm Leads CSV also says when the row was written, and which of its imports added it.
    created_at: datetime | None = None
    file_batch: int | None = None


class EventRows:
    """The events read from a Warm Leads CSV, held as Arrow columns.

    A million events cost tens of MB this way; as one object and dict each they cost about
    a GB. Each event points at its contact by the contact's id in the file.
    """

    SCHEMA = pa.schema(
        [
            ("row", pa.int64()),
            ("file_id", pa.int64()),
            ("file_contact_id", pa.int64()),
            ("kind", pa.string()),
            ("occurred_on", pa.date32()),
            ("channel", pa.string()),
            ("notes", pa.string()),
            ("outcome", pa.string()),
            ("call_back_on", pa.date32()),
            ("created_at", pa.timestamp("us")),
            ("file_batch", pa.int64()),
        ]
    )
    CHUNK = 50_000

    def __init__(self) -> None:
        self._chunks: list[pa.RecordBatch] = []
        self._open: list[tuple[Any, ...]] = []
        self._rows = 0

    def append(
        self, row: int, fields: Mapping[str, Any], file_contact_id: int, file_id: int | None
    ) -> None:
        """Keep one event's clean fields (lib.core.validation.clean_event, and a Warm Leads
        CSV's `outcome`, `call_back_on`, `created_at` and `file_batch` when it has them)."""
        self._open.append(
            (
                row,
                file_id,
                file_contact_id,
                fields["kind"],
                fields["occurred_on"],
                fields["channel"],
                fields["notes"],
                fields.get("outcome"),
                fields.get("call_back_on"),
                fields.get("created_at"),
                fields.get("file_batch"),
            )
        )
        self._rows += 1
        if len(self._open) >= self.CHUNK:
            self._seal()

    def _seal(self) -> None:
        if self._open:
            columns = [list(column) for column in zip(*self._open, strict=True)]
            self._chunks.append(pa.RecordBatch.from_arrays(columns, schema=self.SCHEMA))
            self._open = []

    def table(self) -> pa.Table:
        """Every event, in file order."""
        self._seal()
        return pa.Table.from_batches(self._chunks, schema=self.SCHEMA)

    def keep(self, table: pa.Table) -> None:
        """Replace the events with `table` (a filtered `table()`)."""
        self._open = []
        self._chunks = table.combine_chunks().to_batches()
        self._rows = table.num_rows

    def __len__(self) -> int:
        return self._rows


@dataclass
class ParsedImport:
    """A whole file read and validated, before it meets the database."""

    format: str
    unit: str = "row"
    contacts: list[Candidate] = field(default_factory=list)
    events: EventRows = field(default_factory=EventRows)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # A whole Warm Leads backup (this version's CSV): its other tables' rows, by `record`
    # word, each a dict of column → text as the database casts it (lib.io.importing.native).
    backup: dict[str, list[dict[str, str | None]]] = field(default_factory=dict)
    whole_backup: bool = False
    # A whole backup's links of contacts to target companies: the file's contact id → the
    # file's company id (restored with the companies; any other import links by key).
    company_links: dict[int, int] = field(default_factory=dict)
    # Called with this import whenever BATCH_PEOPLE people (or BATCH_CHARS characters of
    # their text) wait in `contacts`; it writes them and empties the list (None: every
    # person is kept until the file is read).
    on_batch: Callable[[ParsedImport], None] | None = field(default=None, repr=False)
    waiting_chars: int = field(default=0, repr=False)  # the text of the people waiting

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
        created_at: datetime | None = None,
        file_batch: int | None = None,
    ) -> Candidate | None:
        """Validate one person's fields and keep them; a bad field is left out, not the person.

        Phones and e-mails are read into their stored form (lib.io.importing.fields). A
        record with no name is named after its e-mail or LinkedIn URL (and the summary says
        so); only a record with none of the three is left out.
        """
        values = dict(raw)
        # A Warm Leads CSV holds what the app stored: it comes back byte for byte.
        readers = () if self.format == "csv" else (("phone", read_phone), ("email", read_email))
        for name, reader in readers:
            value = values.get(name)
            if value is None or not str(value).strip():
                values[name] = None
                continue
            try:
                values[name] = reader(str(value))
            except ValidationError as exc:
                self._left_out(where, name, value, exc.reason)
                values[name] = None
        name = values.get("full_name")
        if name is None or not str(name).strip():
            url = values.get("linkedin_url")
            named = name_from_email(values.get("email")) or name_from_linkedin(
                str(url) if url else None
            )
            if named is None:
                self.problem(where, "no name, e-mail or LinkedIn URL")
                return None
            source = "e-mail" if named == values.get("email") else "LinkedIn URL"
            self.warn(where, f"no name: named {named!r} after the {source}")
            values["full_name"] = named
        while True:
            try:
                clean = clean_contact(values, today=today)
                break
            except ValidationError as exc:
                if exc.field == "full_name" or values.get(exc.field) is None:
                    self.problem(where, str(exc))
                    return None
                if exc.field == "linkedin_url":
                    self._dropped_url(where, values.pop("linkedin_url"))
                else:
                    self._left_out(where, exc.field, values.pop(exc.field), exc.reason)
        candidate = Candidate(where, clean, file_id, file_referred_by, created_at, file_batch)
        self.contacts.append(candidate)
        self.waiting_chars += sum(len(v) for v in clean.values() if isinstance(v, str))
        full = len(self.contacts) >= BATCH_PEOPLE or self.waiting_chars >= BATCH_CHARS
        if self.on_batch is not None and full:
            self.waiting_chars = 0
            self.on_batch(self)
        return candidate

    def _left_out(self, where: int, name: str, value: Any, reason: str) -> None:
        """Say which value of a kept person was left out, and why."""
        shown = str(value).strip()
        shown = shown if len(shown) <= 60 else shown[:57] + "…"
        label = FIELD_WORDS.get(name, name)
        for prefix in (repr(value), repr(str(value).strip()), str(value)):
            reason = reason.removeprefix(prefix + " ")
        reason = _DAY_FIRST.sub("", reason)  # a date's reason names it again: "Thu 26 Nov 2026 …"
        self.warn(where, f"{label} {shown!r} left out ({reason})")

    def _dropped_url(self, where: int, value: Any) -> None:
        shown = str(value).strip()
        shown = shown if len(shown) <= 60 else shown[:57] + "…"
        self.warn(where, f"LinkedIn URL {shown!r} dropped: not a web address (http or https)")
