"""A calendar export (`.ics` from Google, Outlook, Apple): meetings and who was in them.

Parsed by `icalendar`; repeating events are expanded by `recurring-ical-events` over a
window around today. Attendees who declined and rooms or resources are left out; an event
the user (one of their addresses) declined, or one cancelled (`STATUS:CANCELLED`, a whole
event or one occurrence of a series), is left out whole. A file that is not UTF-8 (older
exports write Latin-1 or Windows-1252) is read as Windows-1252.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import recurring_ical_events

from lib.io.activity.model import ActivityFileError, Meeting

# Repeating events are read from a year back to a month ahead of the import's day.
PAST_DAYS = 365
FUTURE_DAYS = 30
# A content line starts with a property name, then parameters (;) or the value (:).
_CONTENT_LINE = re.compile(r"^[A-Za-z0-9-]+[;:]")
_VIDEO = re.compile(r"meet\.google|zoom\.us|teams\.microsoft|webex|whereby|jitsi", re.I)
_NOT_PEOPLE = {"ROOM", "RESOURCE"}


def _check_lines(text: str) -> None:
    """Refuse a file whose lines are not content lines once unfolded (a broken fold)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line[0] in " \t":
            continue
        if not _CONTENT_LINE.match(line):
            raise ActivityFileError(
                f"line {number} is not a calendar line ({line[:40]!r}): a long line was "
                "folded without the leading space (broken folding?)"
            )


def _text(data: bytes) -> str:
    """The file's text: UTF-8 as RFC 5545 says, else Windows-1252 (a superset of Latin-1)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _address(value: object) -> str:
    text = str(value).strip()
    return text[7:].strip().lower() if text.lower().startswith("mailto:") else text.lower()


def _people(event: icalendar.Event) -> tuple[list[str], list[str]]:
    """(addresses of the people in it, addresses that declined)."""
    attendees = event.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    people: list[str] = []
    declined: list[str] = []
    for attendee in attendees:
        params = getattr(attendee, "params", {})
        address = _address(attendee)
        if str(params.get("CUTYPE", "")).upper() in _NOT_PEOPLE or "@" not in address:
            continue
        if str(params.get("PARTSTAT", "")).upper() == "DECLINED":
            declined.append(address)
        else:
            people.append(address)
    organizer = event.get("ORGANIZER")
    if organizer is not None and "@" in _address(organizer):
        people.append(_address(organizer))
    return people, declined


def read_ics(path: Path, today: date, mine: Collection[str] = ()) -> Iterator[Meeting]:
    """Every meeting in the window around `today`, with its people; bad files refused."""
    text = _text(path.read_bytes())
    if "BEGIN:VCALENDAR" not in text[:2000].upper():
        raise ActivityFileError("not a calendar: no BEGIN:VCALENDAR at the start")
    _check_lines(text)
    try:
        calendar = icalendar.Calendar.from_ical(text)
        window = (today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS + 1))
        events = recurring_ical_events.of(calendar).between(*window)
    except (ValueError, KeyError, TypeError) as exc:
        raise ActivityFileError(f"the calendar cannot be read ({exc})") from None
    mine = {address.lower() for address in mine}
    for event in events:
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue  # called off (Thunderbird writes one cancelled occurrence of a series so)
        people, declined = _people(event)
        if mine & set(declined):
            continue  # the user declined it: it did not happen
        start = event.get("DTSTART")
        if start is None:
            continue
        when = start.dt
        where = " ".join(str(event.get(name, "")) for name in ("LOCATION", "URL", "DESCRIPTION"))
        video = bool(_VIDEO.search(where)) or "X-GOOGLE-CONFERENCE" in event
        addresses = tuple(dict.fromkeys(a for a in people if a not in mine))
        uid = str(event.get("UID", "")) or str(event.get("SUMMARY", ""))
        if isinstance(when, datetime) and when.tzinfo is not None:
            recurrence = when.astimezone(UTC).isoformat()  # the same id whatever zone shows it
        else:
            recurrence = when.isoformat() if isinstance(when, date) else str(when)
        yield Meeting(
            f"{uid}@{recurrence}",
            when,
            " ".join(str(event.get("SUMMARY", "")).split()),
            addresses,
            video,
        )
