"""The Android call log of "SMS Backup & Restore" (`calls-<timestamp>.xml`), streamed.

`<calls count="N"><call number="…" duration="s" date="Unix ms" type="1…7" …/></calls>`.
Parsed by defusedxml's iterparse: no entities, no DTD, one element in memory at a time.
The app writes a character beyond U+FFFF (an emoji in a contact's name) as its two UTF-16
halves, `&#55357;&#56832;`, which XML forbids: such pairs are joined into one reference
(`&#128512;`) as the file streams in; a lone half is still refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from lib.io.activity.model import CALL_TYPES, SMS_BACKUP, ActivityFileError, Call

# Two decimal references to UTF-16 halves (high D800–DBFF, low DC00–DFFF), and what may be
# the start of such a pair cut off at the end of a chunk.
_PAIR = re.compile(rb"&#(5[5-6]\d{3});&#(5[6-7]\d{3});")
_PAIR_START = re.compile(rb"(?:&#5[5-6]\d{3};)?&(?:#\d{0,5};?)?$")


def _joined(match: re.Match[bytes]) -> bytes:
    high, low = int(match.group(1)), int(match.group(2))
    if not (0xD800 <= high <= 0xDBFF and 0xDC00 <= low <= 0xDFFF):
        return match.group(0)
    return b"&#%d;" % (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))


class _JoinedPairs:
    """The file's bytes with each UTF-16 pair of references joined (read by the parser)."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._held = b""

    def read(self, size: int = 65536) -> bytes:
        """The next bytes, pairs joined; a possible pair cut by the chunk waits for the next."""
        chunk = self._handle.read(max(size, 64))
        data = _PAIR.sub(_joined, self._held + chunk)
        if not chunk:
            self._held = b""
            return data
        cut = _PAIR_START.search(data, max(len(data) - 16, 0))
        end = cut.start() if cut else len(data)
        self._held = data[end:]
        return data[:end] or self.read(size)


def _value(element: object, name: str) -> str | None:
    text = element.get(name)  # type: ignore[attr-defined]
    if text is None or text.strip() in ("", "null"):
        return None
    return text.strip()


def _call(element: object, number_in_file: int) -> Call | None:
    """One `<call>`; None for a call with no number (a private caller) or no date."""
    number = _value(element, "number")
    when = _value(element, "date")
    if number is None or when is None:
        return None
    where = f"call {number_in_file}"
    try:
        at = datetime.fromtimestamp(int(when) / 1000, tz=UTC)
        duration = int(_value(element, "duration") or 0)
        kind = int(_value(element, "type") or 0)
    except (ValueError, OverflowError, OSError):
        raise ActivityFileError(f"{where}: date, duration or type is not a number") from None
    if kind not in CALL_TYPES:
        raise ActivityFileError(f"{where}: type {kind} is not a call type (1 to 7)")
    return Call(number, at, max(duration, 0), kind)


def _calls(source: _JoinedPairs) -> Iterator[Call]:
    seen = 0
    root = None
    for event, element in iterparse(source, events=("start", "end")):
        if root is None:
            root = element
            if element.tag == "smses":
                raise ActivityFileError(SMS_BACKUP)
            if element.tag != "calls":
                raise ActivityFileError(
                    f"the XML's root is <{element.tag}>, not <calls> (not a call log)"
                )
        if event == "end" and element.tag == "call":
            seen += 1
            call = _call(element, seen)
            root.clear()  # the calls read so far leave memory with their elements
            if call is not None:
                yield call


def read_calls_xml(path: Path) -> Iterator[Call]:
    """Every call of the file, in file order; a damaged file raises ActivityFileError."""
    try:
        with path.open("rb") as handle:
            yield from _calls(_JoinedPairs(handle))
    except DefusedXmlException:
        raise ActivityFileError(
            "the XML declares entities or a DTD, which a call log never does: refused"
        ) from None
    except ParseError as exc:
        raise ActivityFileError(f"the XML is damaged or cut short ({exc})") from None
