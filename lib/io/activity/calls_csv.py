"""A call log as CSV (other exporters, iOS tools reading `CallHistory.storedata`), streamed.

The columns are found by their header names (case, spaces and `_` ignored), from the lists
below; a file without a number, a date and a direction column is refused with the columns
it has. A row with more or fewer values than the header (an unquoted comma in a name) stops
the whole import: its values would land in the wrong columns.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from lib.io.activity.model import ActivityFileError, Call

# Each column we read → the header names accepted for it (compared without case, spaces, _).
HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("number", "phone", "phone number", "phonenumber", "address", "contact number"),
    "date": ("date", "timestamp", "time", "date time", "call date", "start time", "started"),
    "duration": ("duration", "duration s", "duration seconds", "seconds", "length"),
    "direction": ("direction", "type", "call type", "calltype", "kind"),
}
REQUIRED = ("number", "date", "direction")
# A direction's words → Android's call type (see model.CALL_TYPES).
DIRECTIONS: dict[str, int] = {
    **dict.fromkeys(("incoming", "in", "inbound", "received", "1"), 1),
    **dict.fromkeys(("outgoing", "out", "outbound", "dialed", "dialled", "placed", "2"), 2),
    **dict.fromkeys(("missed", "3"), 3),
    **dict.fromkeys(("voicemail", "4"), 4),
    **dict.fromkeys(("rejected", "declined", "5"), 5),
    **dict.fromkeys(("blocked", "6"), 6),
    **dict.fromkeys(("answered elsewhere", "answered externally", "7"), 7),
}
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")


def _plain(name: str) -> str:
    return re.sub(r"[\s_()/.-]+", " ", name.strip().lower()).strip()


def columns_of(header: list[str]) -> dict[str, int]:
    """Our column → its position in the header; refuses a header missing a required one."""
    found: dict[str, int] = {}
    for position, name in enumerate(header):
        plain = _plain(name)
        for ours, names in HEADERS.items():
            if ours not in found and plain in names:
                found[ours] = position
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        listed = ", ".join(repr(name) for name in header) or "none"
        raise ActivityFileError(
            f"not a call log CSV: no {' or '.join(missing)} column (columns found: {listed}; "
            'see docs/METHOD.md, "Suggested steps", for the names accepted)'
        )
    return found


def _when(text: str, row: int) -> datetime:
    text = text.strip()
    if text.isdigit():  # Unix time, in milliseconds when it is that long
        number = int(text)
        return datetime.fromtimestamp(number / 1000 if number > 10**11 else number, tz=UTC)
    try:
        at = datetime.fromisoformat(text.replace("/", "-"))
    except ValueError:
        raise ActivityFileError(f"row {row}: date {text!r} is not a date and time") from None
    return at if at.tzinfo else at.astimezone()  # no zone written: the computer's own


def _seconds(text: str, row: int) -> int:
    text = text.strip()
    if not text:
        return 0
    if text.isdigit():
        return int(text)
    clock = _CLOCK.match(text)
    if clock is None:
        raise ActivityFileError(f"row {row}: duration {text!r} is not seconds or m:ss")
    hours, minutes, seconds = (int(part or 0) for part in clock.groups())
    return hours * 3600 + minutes * 60 + seconds


def read_calls_csv(path: Path) -> Iterator[Call]:
    """Every call of the file, in file order; a bad header or row raises ActivityFileError."""
    with path.open(encoding="utf-8-sig", newline="", errors="replace") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        rows = csv.reader(handle, dialect)
        header = next(rows, None) or []
        where = columns_of(header)
        for row, cells in enumerate(rows, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                raise ActivityFileError(
                    f"row {row} has {len(cells)} values for {len(header)} columns "
                    "(an unquoted comma?)"
                )
            number = cells[where["number"]].strip()
            if not number:
                continue
            word = cells[where["direction"]].strip().lower()
            if word not in DIRECTIONS:
                raise ActivityFileError(f"row {row}: direction {word!r} is not a call type")
            duration = cells[where["duration"]] if "duration" in where else ""
            yield Call(
                number,
                _when(cells[where["date"]], row),
                _seconds(duration, row),
                DIRECTIONS[word],
            )
