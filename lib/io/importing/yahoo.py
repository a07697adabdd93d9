"""Yahoo Mail's contacts CSV (Contacts → Actions → Export → Yahoo CSV).

Its own header: First, Middle, Last, Nickname, Email, … Home, Work, Pager, Fax, Mobile,
Other, Yahoo Phone, Primary, Alternate Email 1, Alternate Email 2, Personal Website,
Business Website, Title (the job title), Company, … Comments. A record with no name is
named after its nickname, else its e-mail. Columns are found by name, never by position.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from lib.core.errors import ValidationError
from lib.io.importing.fields import linkedin_profile, read_email, read_phone
from lib.io.importing.model import ParsedImport
from lib.io.importing.outlook import read_all, stray_emails
from lib.io.importing.text import Text, cell, find_table, is_yahoo_header

EMAILS = ("email", "alternate email 1", "alternate email 2")
# The number a person is most likely reached on first; fax and pager are not kept.
PHONES = ("mobile", "work", "primary", "home", "other", "yahoo phone")
WEBSITES = ("business website", "personal website")


def parse_yahoo(
    text: Text, *, today: date, on_batch: Callable[[ParsedImport], None] | None = None
) -> ParsedImport:
    """Read a Yahoo Mail contacts CSV; extra e-mails and phones are kept in the notes."""
    parsed = ParsedImport("yahoo", on_batch=on_batch)
    table = find_table(text, is_yahoo_header)
    if table is None:
        raise ValidationError("file", "has no Yahoo header row (First, Last, Email, … Comments)")
    columns = table.columns()
    header = table.header
    for row, cells in table.data_rows():
        parts = (cell(cells, columns, part) for part in ("first", "middle", "last"))
        name = " ".join(p for p in parts if p) or cell(cells, columns, "nickname")
        emails = read_all(parsed, row, cells, columns, EMAILS, read_email, "email")
        phones = read_all(parsed, row, cells, columns, PHONES, read_phone, "phone")
        notes = cell(cells, columns, "comments").replace("\r\n", "\n").replace("\r", "\n")
        extra = []
        others = emails[1:] + stray_emails(cells, header, ("comments",), emails)
        if others:
            extra.append("Other email: " + ", ".join(others))
        if len(phones) > 1:
            extra.append("Other phone: " + ", ".join(phones[1:]))
        sites = [cell(cells, columns, site) for site in WEBSITES]
        parsed.add_contact(
            row,
            {
                "full_name": name,
                "company": cell(cells, columns, "company"),
                "title": cell(cells, columns, "title"),
                "email": emails[0] if emails else None,
                "phone": phones[0] if phones else None,
                "linkedin_url": next((s for s in sites if linkedin_profile(s)), None),
                "notes": "\n".join(p for p in (notes, *extra) if p),
                "source": "other",
            },
            today=today,
        )
    return parsed
