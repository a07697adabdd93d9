"""Importing people you already know: LinkedIn connections, Google Contacts, Outlook CSV,
Thunderbird's address book, Yahoo Mail, vCards, our CSV.

The steps, each callable on its own (the Data page previews between them):

    parsed = read_import(data)            # bytes → validated people; no database
    plan = plan_import(db, parsed)        # who is new, who is known (reads only)
    result = apply_import(db, parsed)     # one transaction; result.summary()

`import_file` does all three for the command line.
"""

from __future__ import annotations

import codecs
import io
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import IO

from lib.core.errors import ValidationError
from lib.io.importing.apply import apply_import, import_in_batches
from lib.io.importing.encoding import (
    is_utf8_codec,
    not_utf8_note,
    sniff_encoding,
    sniff_file_encoding,
    utf16_codec,
    utf16_without_bom,
)
from lib.io.importing.google import parse_google
from lib.io.importing.linkedin import parse_linkedin
from lib.io.importing.matching import plan_import
from lib.io.importing.model import ImportRejected, ParsedImport, Problem
from lib.io.importing.native import parse_native
from lib.io.importing.outlook import parse_outlook
from lib.io.importing.plan import ImportPlan, choose_targets, skipped_problems
from lib.io.importing.text import (
    FORMAT_LABELS,
    FORMATS,
    MAX_IMPORT_BYTES,
    StreamedText,
    Text,
    check_size,
    detect_format,
    looks_like_vcard,
)
from lib.io.importing.thunderbird import parse_thunderbird
from lib.io.importing.vcard import parse_vcard, parse_vcard_bytes, parse_vcard_stream
from lib.io.importing.write import ImportResult
from lib.io.importing.yahoo import parse_yahoo
from lib.store.db import Database

__all__ = [
    "FORMATS",
    "FORMAT_LABELS",
    "MAX_IMPORT_BYTES",
    "ImportPlan",
    "ImportRejected",
    "ImportResult",
    "ParsedImport",
    "Problem",
    "apply_import",
    "choose_targets",
    "import_file",
    "plan_import",
    "read_import",
    "read_import_file",
    "skipped_problems",
]

Batch = Callable[[ParsedImport], None]
_PARSERS: dict[str, Callable[..., ParsedImport]] = {
    "linkedin": parse_linkedin,
    "google": parse_google,
    "outlook": parse_outlook,
    "thunderbird": parse_thunderbird,
    "yahoo": parse_yahoo,
    "vcard": parse_vcard,
    "csv": parse_native,
}


def _head_text(head: bytes) -> str:
    """The first bytes as text, good enough to recognise BEGIN:VCARD in any encoding."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="ignore")
    bomless = utf16_without_bom(head)
    if bomless:
        return head.decode(bomless, errors="ignore")
    return head.decode("latin-1").lstrip("\ufeff").removeprefix("\xef\xbb\xbf")


def _check_format(format: str | None) -> None:
    if format is not None and format not in FORMATS:
        raise ValidationError("format", f"{format!r} is not one of {', '.join(FORMATS)}")


def read_import(
    data: bytes,
    *,
    format: str | None = None,
    today: date | None = None,
    on_batch: Batch | None = None,
) -> ParsedImport:
    """Read an export's bytes (format detected from the content when not given)."""
    _check_format(format)
    check_size(len(data))
    day = today or date.today()
    format = format or _vcard_head(data[:4096])
    if format == "vcard":
        return parse_vcard_bytes(data, today=day, on_batch=on_batch)
    # Decoded a line at a time, as a file on the disk is: an upload is never held twice
    # (`io.BytesIO` shares the bytes), nor a long line whole.
    codec = sniff_encoding(data)
    text = StreamedText(lambda: io.BytesIO(data), codec)
    note = None if is_utf8_codec(codec) else not_utf8_note(codec)
    return _parse_text(text, note, format=format, today=day, on_batch=on_batch)


def _vcard_head(head: bytes) -> str | None:
    """ "vcard" when the first bytes begin a vCard (in any encoding), else None: the format
    is then the table `detect_format` finds once the text is decoded. The one place a
    file's format is sniffed, with `detect_format`."""
    return "vcard" if looks_like_vcard(_head_text(head)) else None


def _parse_text(
    text: Text, note: str | None, *, format: str | None, today: date, on_batch: Batch | None
) -> ParsedImport:
    chosen = format or detect_format(text)
    parsed = _PARSERS[chosen](text, today=today, on_batch=on_batch)
    if note:
        parsed.notes.append(note)
    return parsed


def read_import_file(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    today: date | None = None,
    on_batch: Batch | None = None,
) -> ParsedImport:
    """Read an export from a file on disk, a piece at a time (the file is never held whole)."""
    _check_format(format)
    file = Path(path).expanduser()
    if not file.exists():
        raise ValidationError("file", f"{file} does not exist")
    if not file.is_file():
        raise ValidationError("file", f"{file} is not a file")
    try:
        size = file.stat().st_size
        check_size(size)
        with file.open("rb") as stream:
            head = stream.read(4096)
        format = format or _vcard_head(head)
        if format == "vcard":
            utf16 = utf16_codec(head, size)  # read as UTF-8 a piece at a time
            skip = 3 if utf16 is None and head.startswith(codecs.BOM_UTF8) else 0

            def opener() -> IO[bytes]:
                stream = file.open("rb")
                stream.seek(skip)
                return stream

            return parse_vcard_stream(
                opener, today=today or date.today(), codec=utf16, on_batch=on_batch
            )
        # Any other file is decoded a line at a time as the reader goes, never held whole.
        codec = sniff_file_encoding(file)
        text = StreamedText(file, codec)
    except OSError as exc:
        raise ValidationError("file", f"{file} cannot be read ({exc.strerror})") from None
    note = None if is_utf8_codec(codec) else not_utf8_note(codec)
    return _parse_text(text, note, format=format, today=today or date.today(), on_batch=on_batch)


def import_file(
    db: Database,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    strict: bool = False,
    dry_run: bool = False,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportResult:
    """Read, match and write one file in one transaction (what `import PATH` does).

    People are matched and written a batch at a time as the file is read, so a file of a
    million rows needs no more memory than one of twenty thousand.
    """
    say = progress or (lambda _message: None)
    say(f"reading {path}")

    return import_in_batches(
        db,
        lambda flush: read_import_file(path, format=format, today=today, on_batch=flush),
        strict=strict,
        dry_run=dry_run,
        progress=progress,
        file_name=Path(path).name,
    )
