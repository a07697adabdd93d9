"""Your data leaves as easily as it came: a Warm Leads CSV, vCards, and calendar reminders.

**CSV** — a whole backup in one file: every column of every table that holds the user's
data (`lib.core.columns.BACKUP_TABLES`: contacts, events with their outcomes and call-back
days, settings, import batches and their fills, merges, pairs marked "not the same"). Each
row is one table's row, told apart by the first column `record` (`contact`, `event`,
`setting`, `import_batch`, `import_fill`, `merge`, `not_duplicate`); a row fills the
columns its table has and leaves the others empty. UTF-8 with a byte-order mark (so Excel
reads accents), CRLF line ends, dates `YYYY-MM-DD`, times `YYYY-MM-DD HH:MM:SS.ffffff`,
booleans `true`/`false`, lists `[1, 2]`. Importing it into an empty file restores every
value (lib.io.importing.native reads it, and the CSVs of older versions).

Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@`. Any
text cell starting with one of those, a tab, a carriage return or a single quote is
written with one extra `'` in front (which Excel and LibreOffice hide); importing a
Warm Leads CSV removes exactly one leading `'`, so the round trip gives back the text.

**vCard** — one vCard 3.0 per contact (Google Contacts, Apple Contacts and Outlook read it).

**ics** — the calendar reminders of `lib.io.reminders`.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import vobject

from lib.core.columns import BACKUP_TABLES, Column, csv_header
from lib.core.errors import ValidationError
from lib.core.vocab import EXPORT_FORMAT
from lib.core.words import counted
from lib.io.reminders import UID_DOMAIN, export_ics, reminders
from lib.store.db import Database
from lib.store.outputs import check_output, write_output

EXPORT_FORMATS: tuple[str, ...] = EXPORT_FORMAT.order
NATIVE_COLUMNS: tuple[str, ...] = csv_header()
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "'")
MIME_TYPES: dict[str, str] = {
    "csv": "text/csv",
    "vcard": "text/vcard",
    "ics": "text/calendar",
}
FILE_SUFFIXES: dict[str, str] = {"csv": ".csv", "vcard": ".vcf", "ics": ".ics"}


def neutralise(text: str | None) -> str | None:
    """Prefix `'` to a cell a spreadsheet would run as a formula (or that starts with `'`)."""
    if text and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def restore(text: str) -> str:
    """Undo `neutralise`: drop exactly one leading `'`."""
    return text[1:] if text.startswith("'") else text


def _neutralised_sql(column: str) -> str:
    # Same rule as neutralise(), in SQL; `column` is one of our own column names.
    starts = ", ".join(f"'{c}'" for c in ("=", "+", "-", "@", "''")) + ", chr(9), chr(13)"
    return f"CASE WHEN left({column}, 1) IN ({starts}) THEN '''' || {column} ELSE {column} END"


def _cell_sql(column: Column) -> str:
    """A column's value as the CSV's text; `column.name` is one of our own names."""
    name = column.name
    return {
        "VARCHAR": _neutralised_sql(name),
        "BOOLEAN": f"CASE {name} WHEN true THEN 'true' WHEN false THEN 'false' END",
        "DATE": f"strftime({name}, '%Y-%m-%d')",
        "TIMESTAMP": f"strftime({name}, '%Y-%m-%d %H:%M:%S.%f')",
    }.get(column.sql_type, f"{name}::VARCHAR")


def _csv_queries() -> list[str]:
    """One query per backed-up table: its rows as the CSV's text cells, in a stable order."""
    queries = []
    for table in BACKUP_TABLES:
        cells = {c.header: _cell_sql(c) for c in table.columns if c.exported}
        picks = [f"'{table.record}'", *(cells.get(name, "NULL") for name in NATIVE_COLUMNS[1:])]
        queries.append(f"SELECT {', '.join(picks)} FROM {table.name} ORDER BY {table.order_by}")
    return queries


def csv_chunks(db: Database, *, batch: int = 20_000) -> Iterator[bytes]:
    """The Warm Leads CSV in pieces (a BOM and the header first), never whole in memory.

    Each query is read to its end before the next starts (a half-read result would keep
    the connection busy).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(NATIVE_COLUMNS)
    yield "\ufeff".encode() + buffer.getvalue().encode("utf-8")
    for sql in _csv_queries():
        cursor = db.execute(sql)
        while rows := cursor.fetchmany(batch):
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(rows)
            yield buffer.getvalue().encode("utf-8")


def export_csv(db: Database) -> bytes:
    """The whole database as one Warm Leads CSV (UTF-8 with BOM, CRLF)."""
    return b"".join(csv_chunks(db))


def _name_parts(full_name: str) -> vobject.vcard.Name:
    """N: the last word with a letter is the family name ("Sofia Lind 🌿" → Lind; Sofia)."""
    words = [w for w in full_name.split() if any(ch.isalpha() for ch in w)]
    if len(words) < 2:
        return vobject.vcard.Name(given=full_name)
    return vobject.vcard.Name(family=words[-1], given=" ".join(words[:-1]))


def contact_vcard(contact: dict) -> str:
    """One contact as a vCard 3.0 (CRLF, folded at 75 octets, values escaped)."""
    card = vobject.vCard()
    card.add("uid").value = f"warmleads-{contact['id']}@{UID_DOMAIN}"
    card.add("fn").value = contact["full_name"]
    card.add("n").value = _name_parts(contact["full_name"])
    if contact.get("company"):
        card.add("org").value = [contact["company"]]
    if contact.get("title"):
        card.add("title").value = contact["title"]
    if contact.get("email"):
        email = card.add("email")
        email.value = contact["email"]
        email.type_param = "INTERNET"
    if contact.get("phone"):
        card.add("tel").value = contact["phone"]
    if contact.get("linkedin_url"):
        url = card.add("url")
        url.value = contact["linkedin_url"]
    if contact.get("notes"):
        card.add("note").value = contact["notes"]
    return card.serialize()


def export_vcard(db: Database, *, progress: Callable[[str], None] | None = None) -> bytes:
    """Every contact as one vCard 3.0 each, in one .vcf file."""
    cursor = db.execute(
        "SELECT id, full_name, company, title, email, phone, linkedin_url, notes "
        "FROM contacts ORDER BY id"
    )
    names = [d[0] for d in cursor.description]
    parts = []
    while batch := cursor.fetchmany(10_000):
        parts.extend(contact_vcard(dict(zip(names, row, strict=True))) for row in batch)
        if progress and len(batch) == 10_000:
            progress(f"{counted(len(parts), 'vCard')} written")
    return "".join(parts).encode("utf-8")


def export_counts(db: Database, today: date) -> dict[str, int]:
    """How many contacts, events and due reminders an export would hold."""
    contacts, events = db.execute(
        "SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM events)"
    ).fetchall()[0]
    return {
        "contacts": int(contacts),
        "events": int(events),
        "reminders": len(reminders(db, today)),
    }


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    format: str
    path: Path | None
    contacts: int
    events: int
    reminders: int
    size: int

    def summary(self) -> str:
        """One line for the user."""
        where = f" to {self.path}" if self.path else ""
        if self.format == "csv":
            what = f"{counted(self.contacts, 'contact')} and {counted(self.events, 'event')}"
        elif self.format == "vcard":
            cards = "a vCard" if self.contacts == 1 else "vCards"
            what = f"{counted(self.contacts, 'contact')} as {cards}"
        else:
            what = counted(self.reminders, "reminder")
        return f"Wrote {what}{where}"


def export_bytes(
    db: Database,
    fmt: str,
    *,
    today: date | None = None,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[bytes, ExportResult]:
    """The file contents of one export format, and what it holds."""
    if fmt not in EXPORT_FORMATS:
        raise ValidationError("format", f"{fmt!r} is not one of {', '.join(EXPORT_FORMATS)}")
    today = today or date.today()
    contacts = int(db.scalar("SELECT count(*) FROM contacts"))
    events = int(db.scalar("SELECT count(*) FROM events"))
    count = 0
    if fmt == "csv":
        data = export_csv(db)
    elif fmt == "vcard":
        data = export_vcard(db, progress=progress)
    else:
        data = export_ics(db, today=today, now=now)
        count = data.count(b"BEGIN:VEVENT")
    return data, ExportResult(fmt, None, contacts, events, count, len(data))


def write_export(
    db: Database,
    fmt: str,
    out: str | os.PathLike[str],
    *,
    today: date | None = None,
    now: datetime | None = None,
    progress: Callable[[str], None] | None = None,
    force: bool = False,
) -> ExportResult:
    """Write one export to `out` through the output guard: whole or not at all, never the data.

    `out` is checked before anything is read (see `lib.store.outputs`); an existing file
    is replaced only with `force`.
    """
    check_output(out, db_path=db.path, force=force)
    if fmt == "csv":  # streamed: 1,000,000 events never sit in memory as one string
        contacts = int(db.scalar("SELECT count(*) FROM contacts"))
        events = int(db.scalar("SELECT count(*) FROM events"))
        sizes: list[int] = []

        def counted() -> Iterator[bytes]:
            for chunk in csv_chunks(db):
                sizes.append(len(chunk))
                yield chunk

        path = write_output(out, counted(), db_path=db.path, force=force)
        return ExportResult("csv", path, contacts, events, 0, sum(sizes))
    data, result = export_bytes(db, fmt, today=today, now=now, progress=progress)
    path = write_output(out, data, db_path=db.path, force=force)
    return ExportResult(
        result.format, path, result.contacts, result.events, result.reminders, result.size
    )
