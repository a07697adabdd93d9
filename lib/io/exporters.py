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

**ics** — one all-day reminder per follow-up due or overdue, per thank-you pending and
per referrer to tell how it went, as of the export day (see `reminders` for the dates).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pandas as pd
import vobject

from lib.core.columns import BACKUP_TABLES, Column, csv_header
from lib.core.errors import ValidationError
from lib.core.vocab import DUE_LIST, EXPORT_FORMAT, FOLLOW_UP_MAX_DAYS, FOLLOW_UP_MIN_DAYS
from lib.engine.loops import open_loops, spoke_with
from lib.engine.stats import due_frame
from lib.store.db import Database
from lib.store.outputs import check_output, write_output

EXPORT_FORMATS: tuple[str, ...] = EXPORT_FORMAT.order
NATIVE_COLUMNS: tuple[str, ...] = csv_header()
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "'")
# A thank-you still owed a week after the conversation is overdue.
THANKS_OVERDUE_DAYS = 7
UID_DOMAIN = "warmleads.local"
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
            progress(f"{len(parts):,} vCards written")
    return "".join(parts).encode("utf-8")


@dataclass(frozen=True)
class Reminder:
    """One calendar reminder: what to do, for whom, and on which day."""

    contact_id: int
    kind: str  # "follow-up", "thank-you" or "update" (tell a referrer how it went)
    due_on: date  # the day it fell due (part of the stable UID)
    dated: date  # the day the calendar shows it
    overdue: bool
    full_name: str
    company: str | None
    email: str | None
    phone: str | None
    since: date  # last touch (follow-up), the day the thanks (or the update) became owed
    days: int
    spoke_with: str = ""  # an update: "you spoke with Sam Ortiz on Tue 24 Nov"

    @property
    def uid(self) -> str:
        """Stable across exports until the contact is touched again."""
        return f"warmleads-{self.contact_id}-{self.kind}-{self.due_on.isoformat()}@{UID_DOMAIN}"

    @property
    def summary(self) -> str:
        """The calendar title."""
        who = self.full_name + (f" ({self.company})" if self.company else "")
        if self.kind == "follow-up":
            return f"{'Overdue follow-up' if self.overdue else 'Follow up'}: {who}"
        if self.kind == "update":
            return f"{'Overdue update' if self.overdue else DUE_LIST.label('close_loop')}: {who}"
        return f"{'Overdue thank-you' if self.overdue else 'Say thank you'}: {who}"

    @property
    def description(self) -> str:
        """What to do, and how to reach them."""
        if self.kind == "follow-up":
            lines = [
                f"Last touch {self.since.isoformat()} ({self.days} days ago).",
                "Send an update by email, ask whether anyone else comes to mind, and thank "
                f"them again. Every {FOLLOW_UP_MIN_DAYS}–{FOLLOW_UP_MAX_DAYS} days; "
                "sooner is a nuisance.",
            ]
        elif self.kind == "update":
            lines = [
                f"They referred people to you, and {self.spoke_with}.",
                "Thank them again and tell them how it went (a thank-you or your next "
                "follow-up): a referrer who hears back keeps referring.",
            ]
        else:
            lines = [
                f"Thanks owed since {self.since.isoformat()} ({self.days} days ago).",
                "Thank them for the conversation and any names they shared; a short email "
                "a few days later is always welcome.",
            ]
        lines += [f"Email: {self.email}"] if self.email else []
        lines += [f"Phone: {self.phone}"] if self.phone else []
        return "\n".join(lines)


def reminders(db: Database, today: date) -> list[Reminder]:
    """The reminders due as of `today` (docs/METHOD.md "Due lists").

    Each is dated the day it fell due — a follow-up 21 days after the last touch, a
    thank-you on the day it became owed — except when it is overdue (a follow-up past 28
    days, a thank-you owed for over a week): a reminder in the past would never remind
    anyone, so it is dated the export day. The UID keeps the day it fell due, so exporting
    again on a later day updates the same calendar event rather than adding a second one.
    """
    due = _due_rows(db, today)
    if due.empty:
        return _update_reminders(db, today)
    people = {
        row[0]: row[1:]
        for row in db.execute(
            "SELECT id, full_name, company, email, phone FROM contacts "
            "WHERE id IN (SELECT unnest(?::INTEGER[]))",
            [[int(i) for i in due["id"]]],
        ).fetchall()
    }
    out: list[Reminder] = []
    columns = (
        due["id"].tolist(),
        due["follow_up_due"].tolist(),
        due["follow_up_overdue"].tolist(),
        due["thank_you_pending"].tolist(),
        _dates(due["last_touch"]),
        _dates(due["thanks_owed_since"]),
    )
    for contact_id, follow_up, late, thanks, touched, owed in zip(*columns, strict=True):
        name, company, email, phone = people[contact_id]
        common = {
            "contact_id": int(contact_id),
            "full_name": name,
            "company": company,
            "email": email,
            "phone": phone,
        }
        if follow_up or late:
            due_on = touched + timedelta(days=FOLLOW_UP_MIN_DAYS)
            out.append(
                Reminder(
                    kind="follow-up",
                    due_on=due_on,
                    dated=today if late else due_on,
                    overdue=bool(late),
                    since=touched,
                    days=(today - touched).days,
                    **common,
                )
            )
        if thanks:
            overdue = (today - owed).days > THANKS_OVERDUE_DAYS
            out.append(
                Reminder(
                    kind="thank-you",
                    due_on=owed,
                    dated=today if overdue else owed,
                    overdue=overdue,
                    since=owed,
                    days=(today - owed).days,
                    **common,
                )
            )
    return out + _update_reminders(db, today)


def _update_reminders(db: Database, today: date) -> list[Reminder]:
    """One reminder per referrer on the close_loop list, dated the day the oldest referral
    they are not yet told about was reached (the export day once that is over a week ago)."""
    found, _ = open_loops(db, today)
    out = []
    for loop in found:
        overdue = (today - loop.since).days > THANKS_OVERDUE_DAYS
        out.append(
            Reminder(
                contact_id=loop.id,
                kind="update",
                due_on=loop.since,
                dated=today if overdue else loop.since,
                overdue=overdue,
                full_name=loop.full_name,
                company=loop.company,
                email=loop.email,
                phone=loop.phone,
                since=loop.since,
                days=(today - loop.since).days,
                spoke_with=spoke_with(loop.referrals),
            )
        )
    return out


def _due_rows(db: Database, today: date) -> pd.DataFrame:
    """The due rows that get a reminder (docs/METHOD.md "Exports"): follow-ups due or overdue,
    thanks pending, referrers to tell how it went."""
    due = due_frame(db, today)
    return due[
        due["follow_up_due"]
        | due["follow_up_overdue"]
        | due["thank_you_pending"]
        | due["close_loop"]
    ]


def _dates(column: pd.Series) -> list[date | None]:
    return [None if pd.isna(v) else pd.Timestamp(v).date() for v in column.tolist()]


def export_ics(db: Database, *, today: date, now: datetime | None = None) -> bytes:
    """An iCalendar file of all-day reminders (CRLF, folded at 75 octets, stable UIDs)."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Warm Leads//Networking reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Warm Leads reminders")
    for reminder in reminders(db, today):
        event = icalendar.Event()
        event.add("uid", reminder.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", reminder.dated)
        event.add("dtend", reminder.dated + timedelta(days=1))
        event.add("summary", reminder.summary)
        event.add("description", reminder.description)
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy block
        event.add("categories", ["Warm Leads"])
        calendar.add_component(event)
    return calendar.to_ical()


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
            what = f"{self.contacts:,} contacts and {self.events:,} events"
        elif self.format == "vcard":
            what = f"{self.contacts:,} contacts as vCards"
        else:
            what = f"{self.reminders:,} reminders"
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
