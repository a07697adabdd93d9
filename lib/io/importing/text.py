"""From the bytes of an uploaded file to text, tables and a guess at what kind of export it is."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from lib.core.errors import ValidationError
from lib.core.validation import MAX_NOTES
from lib.core.vocab import IMPORT_FORMAT
from lib.io.importing import outlook_columns
from lib.io.importing.encoding import NOT_UTF16, is_utf8_codec

# The largest file `import` reads. Every export Warm Leads writes must come back in: the CSV of
# 100,000 contacts with 1,000,000 events is about 105 MB, so 1 GB leaves ten times that. The
# readers stream, so memory stays bounded well below the file's size (bench/bench_import.py).
MAX_IMPORT_BYTES = 1024 * 1024 * 1024
# The header row of every supported CSV sits within the first lines (LinkedIn's preamble is 3).
HEADER_SEARCH_ROWS = 30
# How much of a file's start is read to recognise it and find that header.
HEAD_CHARS = 20_000
FORMATS: tuple[str, ...] = IMPORT_FORMAT.order
FORMAT_LABELS: dict[str, str] = IMPORT_FORMAT.labels
_DELIMITERS = (",", ";", "\t")

# How a line is read: a piece of at most this many characters at a time; a longer line
# has its overlong runs shortened as it is read (`shorten_long_line`), and past MAX_LINE
# characters once shortened only its quotes are counted.
LONG_LINE = 1 << 20
MAX_LINE = 8 * LONG_LINE
# The longest field holds MAX_NOTES characters; a run of plain characters (or of quotes, or of
# one delimiter) longer than this cannot fit any field and is cut to this many.
_KEEP_OF_RUN = MAX_NOTES + 1
_PLAIN = '[^"\r\n,;\t]'
_RUNS = re.compile(
    f"(?<!{_PLAIN}){_PLAIN}{{{_KEEP_OF_RUN + 1},}}"
    f'|(?<!")"{{{_KEEP_OF_RUN + 1},}}'
    + "".join(f"|(?<!{d}){d}{{{_KEEP_OF_RUN + 1},}}" for d in (",", ";", "\t"))
)
# A multi-line note can outgrow the csv module's default 128 KB cell limit.
csv.field_size_limit(2**31 - 1)


def check_size(size: int) -> None:
    """Refuse a file larger than any export an address book (or Warm Leads) writes."""
    if size > MAX_IMPORT_BYTES:
        raise ValidationError(
            "file",
            f"is {size / 2**20:,.1f} MB; an import may be at most "
            f"{MAX_IMPORT_BYTES // 2**20:,} MB (1 GB)",
        )


def _clean_text(text: str) -> str:
    # Excel sometimes leaves a second BOM when it re-saves a file that had one.
    return _no_nul(text).lstrip("\ufeff")


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise ValidationError("file", "is binary, not a text export")
    return text


def normalise_header(cell: str) -> str:
    """A header cell compared loosely: lower-case, single spaces, no BOM or quotes."""
    return re.sub(r"\s+", " ", cell.replace("\ufeff", "").strip().strip('"').lower())


def iter_lines(text: str) -> Iterator[str]:
    """The text's lines with their endings, one at a time (no list of a large file's lines).

    A line ends at LF, CRLF or a lone CR (classic Mac: Outlook for Mac and Excel's
    "CSV (Macintosh)"), as a file opened with newline="" reads.
    """
    start = 0
    size = len(text)
    end = -1  # the next LF at or after start (-1: none left); found once per LF
    while start < size:
        if end < start:
            end = text.find("\n", start)
            if end < 0:
                end = size
        cr = text.find("\r", start, end)
        if 0 <= cr < end - 1 or (cr >= 0 and end == size):
            yield text[start : cr + 1]
            start = cr + 1
            continue
        yield text[start : end + 1]
        start = end + 1


class StreamedText:
    """A text file decoded a line at a time as it is read (never held whole).

    `source` is a file on the disk, or what opens a binary stream (an upload's bytes).
    `head` is its first characters, for recognising the kind of export and its header row;
    `lines()` reads the whole file again from the start. A file held whole as a str can
    cost four times its size (one emoji makes every character four bytes wide).
    """

    def __init__(self, source: Path | Callable[[], IO[bytes]], codec: str) -> None:
        self.source = source
        self.codec = codec
        # A file that is not UTF-8 was read with replacement characters, as a whole one is.
        self.errors = "strict" if is_utf8_codec(codec) or codec.startswith("utf-16") else "replace"
        with self._reading() as stream:
            self.head = _clean_text(stream.read(HEAD_CHARS))

    def lines(self) -> Iterator[str]:
        """The file's lines with their endings; a NUL anywhere stops it as binary.

        A line longer than LONG_LINE characters is read a piece at a time and shortened
        as it goes (`shorten_long_line`): a cell longer than any field is never held.
        """
        with self._reading() as stream:
            number = 0
            while line := stream.readline(LONG_LINE):
                if len(line) == LONG_LINE and not line.endswith(("\n", "\r")):
                    line = shorten_long_line(line, stream)
                yield _clean_text(line) if number == 0 else _no_nul(line)
                number += 1

    @contextmanager
    def _reading(self) -> Iterator[IO[str]]:
        """The file open for decoding; a decoding or reading error said as the import's."""
        try:
            if isinstance(self.source, Path):
                raw: IO[bytes] = self.source.open("rb")
            else:
                raw = self.source()
            with io.TextIOWrapper(raw, encoding=self.codec, errors=self.errors, newline="") as s:
                yield s
        except UnicodeDecodeError:
            raise ValidationError("file", NOT_UTF16) from None
        except OSError as exc:
            raise ValidationError(
                "file", f"{self.source} cannot be read ({exc.strerror})"
            ) from None

    def strip(self) -> str:
        """The head without surrounding blanks (empty for an empty file)."""
        return self.head.strip()


def _keep_of_run(match: re.Match[str]) -> str:
    run = match.group()
    if run[0] == '"':  # keep the count's parity: whether a quoted cell is open is unchanged
        return run[: _KEEP_OF_RUN + (len(run) - _KEEP_OF_RUN) % 2]
    return run[:_KEEP_OF_RUN]


def shorten(text: str) -> str:
    """`text` with each run of more than _KEEP_OF_RUN characters that are all plain (no
    quote, delimiter or line break), all quotes, or all one delimiter, cut to that many.

    The CSV's shape is unchanged (the same cells in the same places, a quoted cell open
    where it was), but a cell longer than any field comes out at most a little longer than
    the longest field: still "too long", and small.
    """
    return _RUNS.sub(_keep_of_run, text) if len(text) > _KEEP_OF_RUN else text


def shorten_long_line(start: str, stream: IO[str]) -> str:
    """The whole line that began with `start` (LONG_LINE characters), its rest read from
    `stream` a piece at a time and shortened as it goes; what is held stays near LONG_LINE.

    Past MAX_LINE characters even once shortened (millions of tiny cells, beyond any
    column a reader uses), the rest of the line is only counted for its quotes, so that a
    quoted cell still ends where it did.
    """
    kept = [shorten(start)]
    size = len(kept[0])
    counting = False  # past MAX_LINE: the rest is only counted for its quotes
    dropped = False
    quotes = 0
    piece = start
    while len(piece) == LONG_LINE and not piece.endswith(("\n", "\r")):
        piece = stream.readline(LONG_LINE)
        if counting:
            quotes += piece.count('"')
            dropped = True
            continue
        kept.append(shorten(piece))
        size += len(kept[-1])
        if size > LONG_LINE:
            kept = [shorten("".join(kept))]
            size = len(kept[0])
            counting = size > MAX_LINE
    if dropped:
        kept.append('"' * (quotes % 2) + piece[len(piece.rstrip("\r\n")) :])
    return shorten("".join(kept))


Text = str | StreamedText


def _lines(text: Text) -> Iterator[str]:
    return iter_lines(text) if isinstance(text, str) else text.lines()


def _head(text: Text) -> str:
    return text[:HEAD_CHARS] if isinstance(text, str) else text.head


@dataclass
class Table:
    """A CSV text with the record where its header was found; rows are read as they are used."""

    text: Text
    header_index: int
    delimiter: str
    header_cells: list[str]

    @property
    def header(self) -> list[str]:
        """The header cells, normalised."""
        return [normalise_header(c) for c in self.header_cells]

    def columns(self) -> dict[str, int]:
        """Header name → column index (the first of any repeated name)."""
        found: dict[str, int] = {}
        for index, name in enumerate(self.header):
            found.setdefault(name, index)
        return found

    def data_rows(self) -> Iterator[tuple[int, list[str]]]:
        """(spreadsheet row number, cells) for every non-blank record after the header.

        A record that runs on over many lines is held only up to LONG_LINE characters:
        past that, a line with no quote in it is inside a quoted cell already longer than
        any field (only a quoted cell spans lines), and is left out of the cell unread.
        """
        fed = 0  # characters given to the reader since its last record

        def lines() -> Iterator[str]:
            nonlocal fed
            for line in _lines(self.text):
                if fed > LONG_LINE and '"' not in line:
                    continue
                fed += len(line)
                yield line

        reader = csv.reader(lines(), delimiter=self.delimiter, strict=False)
        try:
            for index, cells in enumerate(reader):
                fed = 0  # the reader asks for no line past the end of a record
                if index > self.header_index and any(cell.strip() for cell in cells):
                    yield index + 1, cells
        except csv.Error as exc:
            raise ValidationError("file", f"is not a readable CSV file ({exc})") from None


def _records(text: str, delimiter: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))
    except csv.Error as exc:
        raise ValidationError("file", f"is not a readable CSV file ({exc})") from None


def find_table(text: Text, is_header: Callable[[Sequence[str]], bool]) -> Table | None:
    """Split CSV text on the delimiter whose records include a header row `is_header` accepts."""
    head = _head(text)
    for delimiter in _DELIMITERS:
        if delimiter != "," and delimiter not in head:
            continue
        preview = _records(head, delimiter)[:HEADER_SEARCH_ROWS]
        for index, cells in enumerate(preview):
            if is_header([normalise_header(c) for c in cells]):
                return Table(text, index, delimiter, cells)
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


def is_outlook_header(header: Sequence[str]) -> bool:
    """Outlook's CSV (and Google's "Outlook CSV") in any language Outlook is read in."""
    return outlook_columns.is_outlook_header(set(header))


# Thunderbird's own column names (English, German, French) that no other export writes.
_THUNDERBIRD_NAMES = (
    ("display name", "primary email"),
    ("anzeigename", "primäre e-mail-adresse"),
    ("nom à afficher", "adresse électronique principale"),
)


def is_thunderbird_header(header: Sequence[str]) -> bool:
    """Thunderbird's address-book CSV: Display Name and Primary Email (in any of its languages)."""
    names = set(header)
    return any(set(pair) <= names for pair in _THUNDERBIRD_NAMES)


def is_yahoo_header(header: Sequence[str]) -> bool:
    """Yahoo Mail's contacts CSV: First, Last, Email and columns only Yahoo writes."""
    names = set(header)
    return {"first", "last", "email"} <= names and bool(
        names & {"yahoo phone", "alternate email 1", "messenger id", "distribution lists"}
    )


def is_native_header(header: Sequence[str]) -> bool:
    """What `export --format csv` writes: a `record` column and the contact columns."""
    return len(header) > 2 and header[0] == "record" and "full_name" in header


def looks_like_vcard(head: str) -> bool:
    """A vCard begins with BEGIN:VCARD (after any blank or comment lines)."""
    return re.match(r"(?:\s|#[^\n]*\n)*BEGIN\s*:\s*VCARD\b", head, re.IGNORECASE) is not None


def detect_format(text: Text) -> str:
    """Which table export this text is, from its header row; raises ValidationError when
    unknown. (A vCard is told from the file's first bytes before it is decoded:
    lib.io.importing reads the head once.)"""
    for name, test in (
        ("csv", is_native_header),
        ("linkedin", is_linkedin_header),
        ("google", is_google_header),
        ("thunderbird", is_thunderbird_header),
        ("yahoo", is_yahoo_header),
        ("outlook", is_outlook_header),
    ):
        if find_table(text, test) is not None:
            return name
    if not text.strip():
        raise ValidationError("file", "is empty")
    raise ValidationError(
        "file",
        "is not a format Warm Leads knows: expected LinkedIn's Connections.csv, a Google "
        "Contacts CSV, an Outlook CSV, a Thunderbird address book CSV, a Yahoo Mail CSV, a "
        "vCard (.vcf) or a Warm Leads CSV export",
    )
