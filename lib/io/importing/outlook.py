"""Outlook CSV: Outlook's own export (in its users' languages) and Google's "Outlook CSV".

Both share Outlook's header: First Name, Middle Name, Last Name, Title (Mr., Dr.), Suffix,
Company, Job Title, E-mail Address, … Business Phone, Mobile Phone, … Notes, Web Page;
Outlook writes it in the user's language (`outlook_columns.py` lists the languages read),
usually in that language's Windows code page, with `0.0.00` in empty date columns (no date
is read from it). A file of Outlook's e-mail columns alone is read too: a nameless record
is named after its e-mail. Columns are found by name, never by position.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from datetime import date

from lib.core.errors import ValidationError
from lib.io.importing import outlook_columns as col
from lib.io.importing.fields import linkedin_profile, read_email, read_phone
from lib.io.importing.model import ParsedImport
from lib.io.importing.text import Text, cell, find_table, is_outlook_header

EMAIL_COLUMNS: tuple[str, ...] = tuple(name for slot in col.EMAILS for name in slot)
PHONE_COLUMNS: tuple[str, ...] = tuple(name for slot in col.PHONES for name in slot)
NAME_PARTS = (col.FIRST_NAME, col.MIDDLE_NAME, col.LAST_NAME, col.SUFFIX)
_ADDRESS = re.compile(r"[^@\s<>()\[\],;:\"']+@[^@\s<>()\[\],;:\"']+\.[^@\s<>()\[\],;:\"']+")


def parse_outlook(
    text: Text, *, today: date, on_batch: Callable[[ParsedImport], None] | None = None
) -> ParsedImport:
    """Read an Outlook CSV; extra e-mails and phones are kept in the notes."""
    parsed = ParsedImport("outlook", on_batch=on_batch)
    table = find_table(text, is_outlook_header)
    if table is None:
        raise ValidationError(
            "file", "has no Outlook header row (First Name, Last Name, E-mail Address…)"
        )
    columns = table.columns()
    header = table.header
    for row, cells in table.data_rows():
        name = " ".join(v for v in (cell(cells, columns, *n) for n in NAME_PARTS) if v)
        if not name:
            name = cell(cells, columns, *col.EMAIL_DISPLAY_NAME, *col.NICKNAME)
            # Outlook fills the display name as "Ana Ruiz (ana@x.com)": the address is not a name.
            if "@" in name:
                name = ""
        emails = read_all(parsed, row, cells, columns, EMAIL_COLUMNS, read_email, "email")
        phones = read_all(parsed, row, cells, columns, PHONE_COLUMNS, read_phone, "phone")
        notes = cell(cells, columns, *col.NOTES).replace("\r\n", "\n").replace("\r", "\n")
        extra = []
        others = emails[1:] + stray_emails(cells, header, col.NOTES, emails)
        if others:
            extra.append("Other email: " + ", ".join(others))
        if len(phones) > 1:
            extra.append("Other phone: " + ", ".join(phones[1:]))
        web = cell(cells, columns, *col.WEB_PAGE)
        parsed.add_contact(
            row,
            {
                "full_name": name,
                "company": cell(cells, columns, *col.COMPANY),
                "title": cell(cells, columns, *col.JOB_TITLE),
                "email": emails[0] if emails else None,
                "phone": phones[0] if phones else None,
                "linkedin_url": web if linkedin_profile(web) else None,
                "notes": "\n".join(p for p in (notes, *extra) if p),
                "source": "other",
            },
            today=today,
        )
    return parsed


def read_all(
    parsed: ParsedImport,
    row: int,
    cells: list[str],
    columns: dict[str, int],
    names: tuple[str, ...],
    reader: Callable[[str], str],
    label: str,
) -> list[str]:
    """Every readable value of the named columns, each once; an unreadable one is reported."""
    values: list[str] = []
    for name in names:
        text = cell(cells, columns, name)
        if not text:
            continue
        try:
            value = reader(text)
        except ValidationError as exc:
            parsed._left_out(row, label, text, exc.reason)
            continue
        if value.lower() not in (v.lower() for v in values):
            values.append(value)
    return values


def stray_emails(
    cells: Sequence[str], header: Sequence[str], notes: Collection[str], kept: Sequence[str]
) -> list[str]:
    """Addresses in columns not read as e-mails (an export's own column name, a display
    name), each once and not already kept: the readers keep them as "Other email" rather
    than lose them. The notes columns are left alone: an address there is in the notes."""
    seen = {value.lower() for value in kept}
    found: list[str] = []
    for index, name in enumerate(header):
        if name in notes or index >= len(cells) or "@" not in cells[index]:
            continue
        for text in _ADDRESS.findall(cells[index]):
            try:
                value = read_email(text)
            except ValidationError:
                continue
            if value.lower() not in seen:
                seen.add(value.lower())
                found.append(value)
    return found
