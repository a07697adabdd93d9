"""Google Contacts CSV, current header (First Name, Organization Name…) and legacy (Given Name…).

Columns are found by name, never by position: Google adds and reorders them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from lib.core.errors import ValidationError
from lib.io.importing.fields import linkedin_profile
from lib.io.importing.model import ParsedImport
from lib.io.importing.text import Table, Text, cell, find_table, is_google_header

PRIMARY_MARK = "* "


def split_values(text: str) -> list[str]:
    """The values of a ` ::: ` multi-value cell, blanks dropped."""
    return [part.strip() for part in text.split(":::") if part.strip()]


def _numbered(table: Table, kind: str) -> list[tuple[int, int | None]]:
    """(value column, label column) for every `<kind> N - Value` column, in N order."""
    columns = table.columns()
    found = []
    for name, index in columns.items():
        match = re.fullmatch(rf"{kind} (\d+) - value", name)
        if match:
            number = match.group(1)
            label = columns.get(f"{kind} {number} - label", columns.get(f"{kind} {number} - type"))
            found.append((int(number), index, label))
    return [(index, label) for _, index, label in sorted(found)]


def ranked_values(cells: list[str], slots: list[tuple[int, int | None]]) -> list[str]:
    """Every value of a numbered field, the one Google marks primary (`* `) first."""
    primary: list[str] = []
    others: list[str] = []
    for index, label in slots:
        values = split_values(cells[index]) if index < len(cells) else []
        marked = label is not None and label < len(cells)
        marked = marked and cells[label].strip().startswith(PRIMARY_MARK.strip())
        (primary if marked else others).extend(values)
    seen: set[str] = set()
    ordered = []
    for value in primary + others:
        if value.lower() not in seen:
            seen.add(value.lower())
            ordered.append(value)
    return ordered


def full_name(cells: list[str], columns: dict[str, int]) -> str:
    """The person's name from the current (First/Middle/Last) or legacy (Name, Given…) columns."""
    if "first name" in columns:
        parts = ("first name", "middle name", "last name", "name suffix")
    else:
        whole = cell(cells, columns, "name")
        if whole:
            return whole
        parts = ("given name", "additional name", "family name", "name suffix")
    name = " ".join(value for value in (cell(cells, columns, part) for part in parts) if value)
    return name or cell(cells, columns, "nickname", "file as")


def parse_google(
    text: Text, *, today: date, on_batch: Callable[[ParsedImport], None] | None = None
) -> ParsedImport:
    """Read a Google Contacts export; extra emails and phones are kept in the notes."""
    parsed = ParsedImport("google", on_batch=on_batch)
    table = find_table(text, is_google_header)
    if table is None:
        raise ValidationError(
            "file", "has no Google Contacts header row (First Name… or Name, Given Name…)"
        )
    columns = table.columns()
    emails = _numbered(table, "e-mail")
    phones = _numbered(table, "phone")
    websites = _numbered(table, "website")
    for row, cells in table.data_rows():
        name = full_name(cells, columns)
        email_values = ranked_values(cells, emails)
        phone_values = ranked_values(cells, phones)
        urls = [u for u in ranked_values(cells, websites) if linkedin_profile(u)]
        notes = cell(cells, columns, "notes").replace("\r\n", "\n").replace("\r", "\n")
        extra = []
        if len(email_values) > 1:
            extra.append("Other email: " + ", ".join(email_values[1:]))
        if len(phone_values) > 1:
            extra.append("Other phone: " + ", ".join(phone_values[1:]))
        if extra:
            notes = "\n".join(p for p in (notes, *extra) if p)
        parsed.add_contact(
            row,
            {
                "full_name": name,
                "company": cell(cells, columns, "organization name", "organization 1 - name"),
                "title": cell(cells, columns, "organization title", "organization 1 - title"),
                "email": email_values[0] if email_values else None,
                "phone": phone_values[0] if phone_values else None,
                "linkedin_url": urls[0] if urls else None,
                "notes": notes,
                "source": "other",
            },
            today=today,
        )
    return parsed
