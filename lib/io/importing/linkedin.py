"""LinkedIn's Connections.csv: a preamble, then First Name, Last Name, URL, … Connected On."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from lib.core.errors import ValidationError
from lib.io.importing.model import ParsedImport
from lib.io.importing.text import Text, cell, find_table, is_linkedin_header

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"([A-Za-z]{3,9})\.?"
# "12 Mar 2023" (LinkedIn), "12-Mar-23" (Excel), "Mar 12, 2023", "March 12 2023".
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})[ \-/]{_MONTH}[ \-/,]+(\d{{2}}|\d{{4}})$")
_MONTH_DAY_YEAR = re.compile(rf"^{_MONTH}[ \-/](\d{{1,2}}),?[ \-/]+(\d{{2}}|\d{{4}})$")
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
# 3/12/2023 or 12/03/2023 (Excel in US or European locales), 12.03.2023 (always day first).
_NUMERIC = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{2}|\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
# Excel stores dates as days since 1899-12-30; a re-save can leave the raw number.
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")


def _year(text: str) -> int:
    number = int(text)
    return number if len(text) == 4 else 2000 + number  # LinkedIn began in 2003


def day_first_order(values: Iterable[str]) -> bool:
    """Whether the file's slash dates put the day first (a day > 12 in the first place decides).

    With no evidence either way the US order (month first, Excel's default) is used.
    """
    for value in values:
        match = _NUMERIC.match(value.strip())
        if match and match.group(2) == "/":
            first, second = int(match.group(1)), int(match.group(3))
            if first > 12 >= second:
                return True
            if second > 12 >= first:
                return False
    return False


def parse_connected_on(value: str, *, day_first: bool = False) -> date | None:
    """A LinkedIn "Connected On" date in any shape a LinkedIn export or Excel re-save has."""
    text = value.strip()
    if not text:
        return None
    try:
        if match := _DAY_MONTH_YEAR.match(text):
            day, month, year = match.groups()
            return date(_year(year), MONTHS[month.lower()], int(day))
        if match := _MONTH_DAY_YEAR.match(text):
            month, day, year = match.groups()
            return date(_year(year), MONTHS[month.lower()], int(day))
        if match := _ISO.match(text):
            year, month, day = match.groups()
            return date(int(year), int(month), int(day))
        if match := _NUMERIC.match(text):
            first, separator, second, year = match.groups()
            if separator == "." or (separator == "/" and day_first):
                day, month = first, second
            elif separator == "-":
                day, month = first, second  # 12-03-2023: Excel's day-first locales
            else:
                month, day = first, second
            return date(_year(year), int(month), int(day))
        if match := _SERIAL.match(text):
            return _EXCEL_EPOCH + timedelta(days=int(match.group(1)))
    except (KeyError, ValueError, OverflowError):
        pass
    raise ValidationError("connected_on", f"{text!r} is not a date")


def parse_linkedin(
    text: Text, *, today: date, on_batch: Callable[[ParsedImport], None] | None = None
) -> ParsedImport:
    """Read a Connections.csv (any preamble, with or without URL, Excel re-saves included)."""
    parsed = ParsedImport("linkedin", on_batch=on_batch)
    table = find_table(text, is_linkedin_header)
    if table is None:
        raise ValidationError(
            "file", "has no LinkedIn header row (First Name, Last Name, … Connected On)"
        )
    columns = table.columns()
    day_first = day_first_order(
        cell(cells, columns, "connected on") for _, cells in table.data_rows()
    )
    for row, cells in table.data_rows():
        name = " ".join(
            part for part in (cell(cells, columns, n) for n in ("first name", "last name")) if part
        )
        raw_date = cell(cells, columns, "connected on")
        try:
            connected = parse_connected_on(raw_date, day_first=day_first)
        except ValidationError:
            connected = None
        fields = {
            "full_name": name,
            "company": cell(cells, columns, "company"),
            "title": cell(cells, columns, "position"),
            "email": cell(cells, columns, "email address", "email"),
            "linkedin_url": cell(cells, columns, "url", "profile url"),
            "connected_on": connected,
            "source": "linkedin",
        }
        if connected is None and raw_date and (name or fields["email"] or fields["linkedin_url"]):
            # A date nobody can read is left out; the person is kept.
            parsed._left_out(row, "connected_on", raw_date, "not a date")
        parsed.add_contact(row, fields, today=today)
    return parsed
