"""The Android call log of "SMS Backup & Restore" (`calls-<timestamp>.xml`), streamed.

`<calls count="N"><call number="…" duration="s" date="Unix ms" type="1…7" …/></calls>`.
Parsed by defusedxml's iterparse: no entities, no DTD, one element in memory at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from lib.io.activity.model import CALL_TYPES, ActivityFileError, Call


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


def read_calls_xml(path: Path) -> Iterator[Call]:
    """Every call of the file, in file order; a damaged file raises ActivityFileError."""
    seen = 0
    root = None
    try:
        for event, element in iterparse(str(path), events=("start", "end")):
            if root is None:
                root = element
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
    except DefusedXmlException:
        raise ActivityFileError(
            "the XML declares entities or a DTD, which a call log never does: refused"
        ) from None
    except ParseError as exc:
        raise ActivityFileError(f"the XML is damaged or cut short ({exc})") from None
