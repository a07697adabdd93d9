"""Activity the phone and the mail program already keep, read into calls, mails, meetings.

One module per format (`calls_xml`, `calls_csv`, `mail`, `calendar`), each streamed and
without the database; `rules.py` turns the records into suggested steps, `apply.py` runs
an import. The format is found from the file's first bytes when it is not given.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from datetime import date
from pathlib import Path

from lib.io.activity.model import (
    FORMATS,
    SMS_BACKUP,
    ActivityFileError,
    Record,
    UnknownActivityFormat,
)

_HEADER_NAMES = (b"from:", b"to:", b"subject:", b"date:", b"message-id:", b"received:")
# A header line ("Name: value"): a saved message may start with any of them (Delivered-To,
# Return-Path, X-Account-Key…); it is an e-mail when its head also has a From or a Date.
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]")
_MESSAGE_HEADER = re.compile(rb"^(?:from|date):", re.IGNORECASE | re.MULTILINE)


def _is_message(text: bytes) -> bool:
    """Whether the bytes start like a saved e-mail: header lines, a From or Date among them."""
    head = re.split(rb"\r?\n\r?\n", text, maxsplit=1)[0]
    return bool(_HEADER_LINE.match(head)) and bool(_MESSAGE_HEADER.search(head))


def detect_format(path: Path) -> str:
    """The activity format of the file, from its first 8 KB; refused when it is none."""
    with path.open("rb") as handle:
        head = handle.read(8192)
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    lower = text.lower()
    if lower.startswith(b"<?xml") or lower.startswith(b"<calls"):
        if b"<calls" in lower:
            return "calls-xml"
        if b"<smses" in lower:
            raise ActivityFileError(SMS_BACKUP)
    elif lower.startswith(b"begin:vcalendar"):
        return "ics"
    elif text.startswith(b"From "):
        return "mbox"
    elif lower.startswith((*_HEADER_NAMES, b"mime-version:")) or _is_message(text):
        return "eml"
    elif any(mark in text.split(b"\n", 1)[0] for mark in (b",", b";", b"\t")):
        return "calls-csv"  # a table: its header says whether it is a call log (calls_csv)
    raise UnknownActivityFormat(
        "it is none of the activity formats (a call log XML or CSV, an mbox, an .eml or an .ics "
        "calendar)"
    )


def read_activity(
    path: Path, format: str, *, today: date, mine: Collection[str] = ()
) -> Iterator[Record]:
    """The records of the file, streamed, by the reader of `format`."""
    if format not in FORMATS:
        raise ActivityFileError(f"{format!r} is not an activity format ({', '.join(FORMATS)})")
    if format == "calls-xml":
        from lib.io.activity.calls_xml import read_calls_xml

        return read_calls_xml(path)
    if format == "calls-csv":
        from lib.io.activity.calls_csv import read_calls_csv

        return read_calls_csv(path)
    if format == "mbox":
        from lib.io.activity.mail import read_mbox

        return read_mbox(path, mine)
    if format == "eml":
        from lib.io.activity.mail import read_eml

        return read_eml(path, mine)
    from lib.io.activity.calendar import read_ics

    return read_ics(path, today, mine)
