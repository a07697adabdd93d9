"""How the product words dates, counts and names in sentences (plain text, no markup)."""

from __future__ import annotations

from datetime import date, datetime

# The same style for a table's date column (Streamlit formats it with momentJS), so that the
# column still sorts by date: `Wed 25 Nov 2026`, and with a time `Wed 25 Nov 2026, 14:05`.
DATE_COLUMN_FORMAT = "ddd D MMM YYYY"
MOMENT_COLUMN_FORMAT = "ddd D MMM YYYY, HH:mm"


def human_date(day: date | None) -> str:
    """A date as a job-seeker reads it: `Wed 25 Nov 2026`."""
    return "—" if day is None else f"{day:%a} {day.day} {day:%b %Y}"


def human_moment(moment: datetime | str | None) -> str:
    """A moment in the computer's local time: `Wed 25 Nov 2026, 14:05` (one without a zone
    is taken as local already; an ISO string is read first)."""
    if moment is None or moment == "":
        return "—"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    local = moment.astimezone() if moment.tzinfo else moment
    return f"{human_date(local.date())}, {local:%H:%M}"


def short_date(day: date) -> str:
    """A date within the year, as a sentence names it: `Tue 24 Nov`."""
    return f"{day:%a} {day.day} {day:%b}"


def days_phrase(days: int | None) -> str:
    """`today`, `yesterday`, `5 days ago`."""
    if days is None:
        return "never"
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def percent(part: int, whole: int) -> str:
    """`part` as a whole-number share of `whole` ("67%"), or "—" when there is no whole."""
    return f"{round(100 * part / whole)}%" if whole else "—"


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """`1 logged step`, `3 logged steps`, `2 people`."""
    return f"{number:,} {singular if number == 1 else plural or singular + 's'}"


def first_name(full_name: str) -> str:
    """The name to greet someone by: the first word of their full name."""
    return (full_name or "").split()[0] if (full_name or "").strip() else ""


def in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: lower case ('Event' → 'event'), unless it is a
    name with capitals of its own ('LinkedIn')."""
    return label if any(char.isupper() for char in label[1:]) else label.lower()
