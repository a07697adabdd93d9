"""Thunderbird's address-book CSV (Tools → Export): First Name, Last Name, Display Name, …

Thunderbird writes its header in the user's language; the English, German and French
column sets are read (the names Thunderbird itself writes). The name is the Display Name,
as Thunderbird shows it, else First + Last, else the Nickname; a nameless record is named
after its e-mail. Both e-mails, the phones (fax and pager are not kept), Organization, Job
Title, the web pages (a LinkedIn profile) and Notes are read; the header ends in a comma,
so every row has an empty last column, and a quoted note may hold line breaks (CRLF).
Columns are found by name, never by position.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from lib.core.errors import ValidationError
from lib.io.importing.fields import linkedin_profile, read_email, read_phone
from lib.io.importing.model import ParsedImport
from lib.io.importing.outlook import read_all, stray_emails
from lib.io.importing.text import Text, cell, find_table, is_thunderbird_header

# Each field's column in English, German and French, as Thunderbird writes them.
FIRST_NAME = ("first name", "vorname", "prénom")
LAST_NAME = ("last name", "nachname", "nom de famille")
DISPLAY_NAME = ("display name", "anzeigename", "nom à afficher")
NICKNAME = ("nickname", "spitzname", "surnom")
EMAILS = (
    "primary email", "primäre e-mail-adresse", "adresse électronique principale",
    "secondary email", "sekundäre e-mail-adresse", "adresse électronique secondaire",
)  # fmt: skip
# The number a person is most likely reached on first.
PHONES = (
    "mobile number", "mobil-tel.-nr.", "portable",
    "work phone", "tel. dienstlich", "tél. professionnel",
    "home phone", "tel. privat", "tél. personnel",
)  # fmt: skip
JOB_TITLE = ("job title", "arbeitstitel", "profession")
ORGANIZATION = ("organization", "organisation", "société")
WEB_PAGES = ("web page 1", "webseite 1", "site web 1", "web page 2", "webseite 2", "site web 2")
NOTES = ("notes", "notizen")


def parse_thunderbird(
    text: Text, *, today: date, on_batch: Callable[[ParsedImport], None] | None = None
) -> ParsedImport:
    """Read a Thunderbird address-book CSV; the second e-mail and extra phones go in the notes."""
    parsed = ParsedImport("thunderbird", on_batch=on_batch)
    table = find_table(text, is_thunderbird_header)
    if table is None:
        raise ValidationError(
            "file", "has no Thunderbird header row (First Name, Last Name, Display Name…)"
        )
    columns = table.columns()
    header = table.header
    for row, cells in table.data_rows():
        name = cell(cells, columns, *DISPLAY_NAME)
        if not name:
            parts = (cell(cells, columns, *FIRST_NAME), cell(cells, columns, *LAST_NAME))
            name = " ".join(p for p in parts if p) or cell(cells, columns, *NICKNAME)
        emails = read_all(parsed, row, cells, columns, EMAILS, read_email, "email")
        phones = read_all(parsed, row, cells, columns, PHONES, read_phone, "phone")
        notes = cell(cells, columns, *NOTES).replace("\r\n", "\n").replace("\r", "\n")
        extra = []
        others = emails[1:] + stray_emails(cells, header, NOTES, emails)
        if others:
            extra.append("Other email: " + ", ".join(others))
        if len(phones) > 1:
            extra.append("Other phone: " + ", ".join(phones[1:]))
        pages = [cell(cells, columns, page) for page in WEB_PAGES]
        linkedin = next((p for p in pages if linkedin_profile(p)), None)
        parsed.add_contact(
            row,
            {
                "full_name": name,
                "company": cell(cells, columns, *ORGANIZATION),
                "title": cell(cells, columns, *JOB_TITLE),
                "email": emails[0] if emails else None,
                "phone": phones[0] if phones else None,
                "linkedin_url": linkedin,
                "notes": "\n".join(p for p in (notes, *extra) if p),
                "source": "other",
            },
            today=today,
        )
    return parsed
