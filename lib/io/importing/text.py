"""From the bytes of an uploaded file to text, tables and a guess at what kind of export it is."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lib.core.errors import ValidationError
from lib.core.vocab import IMPORT_FORMAT

# An import is a file someone exported from an address book: 50 MB is far beyond any of them.
MAX_IMPORT_BYTES = 50 * 1024 * 1024
# The header row of every supported CSV sits within the first lines (LinkedIn's preamble is 3).
HEADER_SEARCH_ROWS = 30
FORMATS: tuple[str, ...] = IMPORT_FORMAT.order
FORMAT_LABELS: dict[str, str] = IMPORT_FORMAT.labels
_DELIMITERS = (",", ";", "\t")

# A multi-line note can outgrow the csv module's default 128 KB cell limit.
csv.field_size_limit(MAX_IMPORT_BYTES)


def decode(data: bytes) -> tuple[str, str | None]:
    """The file's text and, when it was not UTF-8, a warning saying how it was read."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(
            "file",
            f"is {len(data) / 1e6:,.0f} MB; an import may be at most "
            f"{MAX_IMPORT_BYTES / 1e6:,.0f} MB",
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            raise ValidationError("file", "is not readable UTF-16 text") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV" on Windows writes the ANSI code page.
        text = data.decode("cp1252", errors="replace")
        note = "the file is not UTF-8; it was read as Windows-1252 (check accented names)"
        return _clean_text(text), note
    return _clean_text(text), None


def _clean_text(text: str) -> str:
    if "\x00" in text:
        raise ValidationError("file", "is binary, not a text export")
    # Excel sometimes leaves a second BOM when it re-saves a file that had one.
    return text.lstrip("\ufeff")


def normalise_header(cell: str) -> str:
    """A header cell compared loosely: lower-case, single spaces, no BOM or quotes."""
    return re.sub(r"\s+", " ", cell.replace("\ufeff", "").strip().strip('"').lower())


@dataclass
class Table:
    """A CSV file split into records, with the row where its header was found."""

    records: list[list[str]]
    header_index: int
    delimiter: str

    @property
    def header(self) -> list[str]:
        """The header cells, normalised."""
        return [normalise_header(c) for c in self.records[self.header_index]]

    def columns(self) -> dict[str, int]:
        """Header name → column index (the first of any repeated name)."""
        found: dict[str, int] = {}
        for index, name in enumerate(self.header):
            found.setdefault(name, index)
        return found

    def data_rows(self) -> list[tuple[int, list[str]]]:
        """(spreadsheet row number, cells) for every non-blank record after the header."""
        out = []
        for index in range(self.header_index + 1, len(self.records)):
            cells = self.records[index]
            if any(cell.strip() for cell in cells):
                out.append((index + 1, cells))
        return out


def _records(text: str, delimiter: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))
    except csv.Error as exc:
        raise ValidationError("file", f"is not a readable CSV file ({exc})") from None


def find_table(text: str, is_header: Callable[[Sequence[str]], bool]) -> Table | None:
    """Split CSV text on the delimiter whose records include a header row `is_header` accepts."""
    for delimiter in _DELIMITERS:
        head = text[:20_000]
        if delimiter != "," and delimiter not in head:
            continue
        preview = _records(head, delimiter)[:HEADER_SEARCH_ROWS]
        for index, cells in enumerate(preview):
            if is_header([normalise_header(c) for c in cells]):
                return Table(_records(text, delimiter), index, delimiter)
    return None


def cell(cells: Sequence[str], columns: dict[str, int], *names: str) -> str:
    """The first non-blank value among the named columns ('' when none)."""
    for name in names:
        index = columns.get(name)
        if index is not None and index < len(cells):
            value = cells[index].strip()
            if value:
                return value
    return ""


def is_linkedin_header(header: Sequence[str]) -> bool:
    """LinkedIn's Connections.csv: First Name, Last Name, … Position / Connected On."""
    names = set(header)
    return {"first name", "last name"} <= names and bool(names & {"connected on", "position"})


def is_google_header(header: Sequence[str]) -> bool:
    """Google Contacts, current (Organization Name…) or legacy (Given Name…) header."""
    names = set(header)
    current = "first name" in names and bool(
        names & {"organization name", "e-mail 1 - value", "file as", "phonetic first name"}
    )
    legacy = bool(names & {"given name", "family name"}) and bool(
        names & {"name", "e-mail 1 - value", "organization 1 - name", "group membership"}
    )
    return current or legacy


def is_native_header(header: Sequence[str]) -> bool:
    """What `export --format csv` writes: a `record` column and the contact columns."""
    return len(header) > 2 and header[0] == "record" and "full_name" in header


def detect_format(text: str) -> str:
    """Which export this text is, from its content; raises ValidationError when unknown."""
    if re.match(r"\s*BEGIN:VCARD\b", text[:2000], re.IGNORECASE):
        return "vcard"
    for name, test in (
        ("csv", is_native_header),
        ("linkedin", is_linkedin_header),
        ("google", is_google_header),
    ):
        if find_table(text, test) is not None:
            return name
    if not text.strip():
        raise ValidationError("file", "is empty")
    raise ValidationError(
        "file",
        "is not a format Warm Leads knows: expected LinkedIn's Connections.csv, a Google "
        "Contacts CSV, a vCard (.vcf) or a Warm Leads CSV export",
    )
