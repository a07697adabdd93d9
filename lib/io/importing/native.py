"""Reading back what `export --format csv` wrote (see lib.io.exporters for the format)."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from lib.core.errors import ValidationError
from lib.core.validation import clean_event, clean_id
from lib.io.exporters import CONTACT_COLUMNS, restore
from lib.io.importing.model import ParsedImport
from lib.io.importing.text import Text, find_table, is_native_header

_CONTACT_FIELDS = tuple(c for c in CONTACT_COLUMNS if c not in ("id", "referred_by"))


def parse_native(text: Text, *, today: date, on_batch: object = None) -> ParsedImport:
    """Read a Warm Leads CSV: contacts with their ids and referral links, then their events.

    Read whole (`on_batch` is not used): ids, referrals and events reach across the file.
    """
    parsed = ParsedImport("csv")
    table = find_table(text, is_native_header)
    if table is None:
        raise ValidationError("file", "has no Warm Leads header row (record, id, full_name, …)")
    columns = table.columns()

    def value(cells: list[str], name: str) -> str | None:
        index = columns.get(name)
        if index is None or index >= len(cells) or not cells[index].strip():
            return None
        return restore(cells[index])

    seen_contacts: dict[int, int] = {}
    seen_events: dict[int, int] = {}
    for row, cells in table.data_rows():
        record = (value(cells, "record") or "").strip().lower()
        try:
            file_id = clean_id("id", value(cells, "id"), required=False)
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
            raw["notes"] = value(cells, "notes")
            raw["referred_by"] = referred_by
            added = parsed.add_contact(
                row, raw, today=today, file_id=file_id, file_referred_by=referred_by
            )
            if added is not None and file_id is not None:
                seen_contacts[file_id] = row
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
                    {
                        "contact_id": value(cells, "contact_id"),
                        "kind": value(cells, "kind"),
                        "occurred_on": occurred,
                        "channel": value(cells, "channel"),
                        "notes": value(cells, "notes"),
                    },
                    today=today,
                )
            except ValidationError as exc:
                parsed.problem(row, str(exc))
                continue
            if file_id is not None:
                seen_events[file_id] = row
            parsed.events.append(row, clean, clean["contact_id"], file_id)
        else:
            shown = record or "blank"
            parsed.problem(row, f"record: {shown!r} is not contact or event")
    _drop_orphan_events(parsed, set(seen_contacts))
    return parsed


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
