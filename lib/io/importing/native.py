"""Reading back what `export --format csv` wrote (see lib.io.exporters for the format).

A CSV of this version is a whole backup: besides contacts and events it carries every
other table of the user's data (`lib.core.columns.BACKUP_TABLES`), which
`lib.io.importing.write` restores into an empty file. A CSV of an older version (contacts
and events only) reads as before.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from lib.core.columns import BACKUP_TABLES, CONTACTS, EVENTS, SETTINGS, Table
from lib.core.errors import ValidationError
from lib.core.validation import (
    EVENT_FIELDS,
    clean_bool,
    clean_choice,
    clean_event,
    clean_id,
    parse_date,
)
from lib.core.vocab import ATTEMPT_OUTCOMES
from lib.io.exporters import restore
from lib.io.importing.model import ParsedImport
from lib.io.importing.text import Text, find_table, is_native_header

_CONTACT_FIELDS = tuple(n for n in CONTACTS.names(entered=True) if n != "referred_by")
_EVENT_FIELDS = EVENT_FIELDS  # a step as clean_event checks it
# The rows of the tables other than contacts and events, by their `record` word.
_OTHER_RECORDS: dict[str, Table] = {
    t.record: t for t in BACKUP_TABLES if t not in (CONTACTS, EVENTS)
}
_RECORD_WORDS = ", ".join(t.record for t in BACKUP_TABLES)
# The whole-backup CSV (this version's) is the first whose header has this column.
WHOLE_BACKUP_MARK = "import_batch"
MAX_COUNT = 2**31 - 1


def parse_native(text: Text, *, today: date, on_batch: object = None) -> ParsedImport:
    """Read a Warm Leads CSV: contacts with their ids and referral links, their events, and
    (a whole backup) the rows of every other table of the user's data.

    Read whole (`on_batch` is not used): ids, referrals and events reach across the file.
    """
    parsed = ParsedImport("csv")
    table = find_table(text, is_native_header)
    if table is None:
        raise ValidationError("file", "has no Warm Leads header row (record, id, full_name, …)")
    columns = table.columns()
    parsed.whole_backup = WHOLE_BACKUP_MARK in columns

    def value(cells: list[str], name: str) -> str | None:
        index = columns.get(name)
        if index is None or index >= len(cells) or not cells[index].strip():
            return None
        return restore(cells[index])

    seen_contacts: dict[int, int] = {}
    seen_events: dict[int, int] = {}
    for row, cells in table.data_rows():
        record = (value(cells, "record") or "").strip().lower()
        if record in _OTHER_RECORDS:
            try:
                parsed.backup.setdefault(record, []).append(_other_row(record, cells, value))
            except ValidationError as exc:
                parsed.problem(row, str(exc))
            continue
        try:
            file_id = clean_id("id", value(cells, "id"), required=False)
            created_at = read_time("created_at", value(cells, "created_at"))
            file_batch = clean_id("import_batch", value(cells, "import_batch"), required=False)
        except ValidationError as exc:
            parsed.problem(row, str(exc))
            continue
        if record == "contact":
            if file_id is not None and file_id in seen_contacts:
                earlier = seen_contacts[file_id]
                parsed.problem(row, f"id: {file_id} is already used by row {earlier}")
                continue
            try:
                referred_by = clean_id("referred_by", value(cells, "referred_by"), required=False)
            except ValidationError as exc:
                parsed.problem(row, str(exc))
                continue
            raw = {name: value(cells, name) for name in _CONTACT_FIELDS}
            raw["referred_by"] = referred_by
            added = parsed.add_contact(
                row,
                raw,
                today=today,
                file_id=file_id,
                file_referred_by=referred_by,
                created_at=created_at,
                file_batch=file_batch,
            )
            if added is not None and file_id is not None:
                seen_contacts[file_id] = row
                company = typed("INTEGER", "company_id", value(cells, "company_id"))
                if company is not None:
                    parsed.company_links[file_id] = int(company)
        elif record == "event":
            if file_id is not None and file_id in seen_events:
                parsed.problem(row, f"id: {file_id} is already used by row {seen_events[file_id]}")
                continue
            occurred = value(cells, "occurred_on")
            if occurred is None:  # clean_event would take today; a stored event has its day
                parsed.problem(row, "occurred_on: is required (a date like 2026-11-25)")
                continue
            try:
                clean = clean_event(
                    {name: value(cells, name) for name in _EVENT_FIELDS}, today=today
                )
                clean["outcome"] = clean_choice(
                    "outcome", value(cells, "outcome"), ATTEMPT_OUTCOMES, required=False
                )
                clean["call_back_on"] = parse_date(
                    "call_back_on", value(cells, "call_back_on"), required=False
                )
            except ValidationError as exc:
                parsed.problem(row, str(exc))
                continue
            clean["created_at"], clean["file_batch"] = created_at, file_batch
            if file_id is not None:
                seen_events[file_id] = row
            parsed.events.append(row, clean, clean["contact_id"], file_id)
        else:
            shown = record or "blank"
            parsed.problem(row, f"record: {shown!r} is not one of {_RECORD_WORDS}")
    _drop_orphan_events(parsed, set(seen_contacts))
    return parsed


def _other_row(record: str, cells: list[str], value: Any) -> dict[str, str | None]:
    """One row of a table other than contacts and events, each cell checked by its type."""
    found = {
        c.name: typed(c.sql_type, c.name, value(cells, c.header))
        for c in _OTHER_RECORDS[record].columns
    }
    for c in _OTHER_RECORDS[record].columns:
        if c.required and found[c.name] is None:
            raise ValidationError(c.name, "is required")
    if record == SETTINGS.record:
        try:
            json.loads(found["value"])
        except ValueError:
            raise ValidationError("value", f"{found['value'][:60]!r} is not a setting") from None
    return found


def read_time(field: str, text: str | None) -> datetime | None:
    """A time the CSV wrote (`YYYY-MM-DD HH:MM:SS.ffffff`), or None when blank."""
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(field, f"{text!r} is not a time (YYYY-MM-DD HH:MM:SS)") from None


def typed(sql_type: str, field: str, text: str | None) -> str | None:
    """A backed-up cell checked against its column's type, as text DuckDB casts back."""
    if text is None:
        return None
    if sql_type == "INTEGER":
        try:
            number = int(text.strip())
        except ValueError:
            number = -1
        if not 0 <= number <= MAX_COUNT:
            raise ValidationError(field, f"{text[:60]!r} is not a whole number")
        return str(number)
    if sql_type == "BOOLEAN":
        return str(clean_bool(field, text)).lower()
    if sql_type == "DATE":
        found = parse_date(field, text)
        return found.isoformat() if found else None
    if sql_type == "TIMESTAMP":
        time = read_time(field, text)
        return time.isoformat(sep=" ") if time else None
    if sql_type == "INTEGER[]":
        return str(_id_list(field, text))
    if "\x00" in text:
        raise ValidationError(field, "contains a NUL character")
    return text


def _id_list(field: str, text: str) -> list[int]:
    try:
        items: Any = json.loads(text)
    except ValueError:
        items = None
    if not isinstance(items, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and 0 < i <= MAX_COUNT for i in items
    ):
        raise ValidationError(field, f"{text[:60]!r} is not a list of ids like [1, 2]")
    return items


def _drop_orphan_events(parsed: ParsedImport, contact_ids: set[int]) -> None:
    """An event whose contact is not imported from this file has nobody to belong to."""
    events = parsed.events.table()
    kept = pc.is_in(events["file_contact_id"], value_set=pa.array(sorted(contact_ids), pa.int64()))
    orphans = events.filter(pc.invert(kept))
    for row, contact in zip(
        orphans["row"].to_pylist(), orphans["file_contact_id"].to_pylist(), strict=True
    ):
        parsed.problem(row, f"contact_id: {contact} is not a contact imported from this file")
    if orphans.num_rows:
        parsed.events.keep(events.filter(kept))
    parsed.problems.sort(key=lambda problem: problem.where)
