"""The review's periods: which period a dashboard link shows, and how it is said in words.

A `ReviewLink` is what a dashboard link holds (period, as-of day, source and channel
filters); it round-trips through URL query parameters so a copied link reopens
the same view. Its numbers (KPIs, weekly goals) are `lib.engine.scorecard`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from lib.core.errors import ValidationError
from lib.core.validation import EARLIEST_DATE, parse_date
from lib.core.vocab import (
    CHANNELS,
    SOURCES,
)
from lib.core.words import human_date, short_date
from lib.engine import stats
from lib.engine.stats import Period, Scope
from lib.store.db import Database

PERIODS: dict[str, str] = {
    "week": "This week",
    "4w": "Last 4 weeks",
    "quarter": "This quarter",
    "all": "All time",
    "custom": "Custom",
}
DEFAULT_PERIOD = "all"


@dataclass(frozen=True)
class ReviewLink:
    """What a dashboard link shows: a period as of a day, optionally filtered."""

    period: str = DEFAULT_PERIOD
    start: date | None = None  # custom periods only
    end: date | None = None  # custom periods only
    as_of: date | None = None  # None: today
    sources: tuple[str, ...] = ()  # empty: every source
    channels: tuple[str, ...] = ()  # empty: every channel

    def scope(self, period: Period) -> Scope:
        """What the link's counts cover: `period` with its filters (none picked: no filter)."""
        return Scope(period, self.sources or None, self.channels or None)


def monday(day: date) -> date:
    """The Monday starting the ISO week that contains `day`."""
    return day - timedelta(days=day.weekday())


def quarter_start(day: date) -> date:
    """The first day of the calendar quarter that contains `day`."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _split(value: str | Sequence[str] | None) -> list[str]:
    values = [value] if isinstance(value, str) else list(value or [])
    return [part.strip() for text in values for part in text.split(",") if part.strip()]


def _choices(field: str, value: Any, allowed: tuple[str, ...]) -> tuple[str, ...]:
    picked = _split(value)
    unknown = [p for p in picked if p not in allowed]
    if unknown:
        raise ValidationError(
            field, f"{', '.join(unknown)} is not one of {', '.join(allowed)}; filter ignored"
        )
    return tuple(p for p in allowed if p in picked)


def parse_link(params: Mapping[str, Any]) -> tuple[ReviewLink, list[str]]:
    """Read a ReviewLink from URL query parameters; bad ones are dropped, each with a message."""
    problems: list[str] = []
    link = ReviewLink()

    def attempt(action: Any) -> Any:
        try:
            return action()
        except ValidationError as exc:
            problems.append(str(exc))
            return None

    period = params.get("period") or DEFAULT_PERIOD
    if isinstance(period, list):
        period = period[-1]
    if period not in PERIODS:
        problems.append(f"period: {period!r} is not one of {', '.join(PERIODS)}; showing all time")
        period = DEFAULT_PERIOD
    as_of = attempt(lambda: parse_date("as_of", params.get("as_of"), required=False))
    link = replace(link, period=period, as_of=as_of)
    if period == "custom":
        start = attempt(lambda: parse_date("from", params.get("from"), required=False))
        end = attempt(lambda: parse_date("to", params.get("to"), required=False))
        link = replace(link, start=start, end=end)
        if attempt(lambda: resolve_period(link, today=as_of or date.today())) is None:
            link = replace(link, start=None, end=None)
    sources = attempt(lambda: _choices("source", params.get("source"), SOURCES))
    channels = attempt(lambda: _choices("channel", params.get("channel"), CHANNELS))
    return replace(link, sources=sources or (), channels=channels or ()), problems


def link_as_of(params: Mapping[str, Any]) -> tuple[date | None, str | None]:
    """The `as_of` day a link asks for (None: today), and a message when it is not a date."""
    try:
        return parse_date("as_of", params.get("as_of"), required=False), None
    except ValidationError as exc:
        return None, str(exc)


def link_params(link: ReviewLink) -> dict[str, str]:
    """The URL query parameters that reopen `link` (defaults left out)."""
    params: dict[str, str] = {}
    if link.period != DEFAULT_PERIOD:
        params["period"] = link.period
    if link.period == "custom":
        if link.start:
            params["from"] = link.start.isoformat()
        if link.end:
            params["to"] = link.end.isoformat()
    if link.as_of:
        params["as_of"] = link.as_of.isoformat()
    if link.sources:
        params["source"] = ",".join(link.sources)
    if link.channels:
        params["channel"] = ",".join(link.channels)
    return params


def resolve_period(link: ReviewLink, *, today: date | None = None) -> Period:
    """The stats Period a link stands for (its as-of day, else `today`, else the real today)."""
    day = link.as_of or today or date.today()
    # Starts are clamped to the first day the product accepts: `as_of=1900-01-02` still works.
    starts = {
        "week": max(monday(day), EARLIEST_DATE),
        "4w": max(monday(day) - timedelta(weeks=3), EARLIEST_DATE),
        "quarter": quarter_start(day),
        "all": None,
    }
    if link.period == "custom":
        return stats.make_period(as_of=day, start=link.start or starts["4w"], end=link.end)
    return stats.make_period(as_of=day, start=starts[link.period])


def previous_period(link: ReviewLink, period: Period) -> Period | None:
    """The period just before a bounded one (last week for this week…); None for all time."""
    if period.start is None or period.start <= EARLIEST_DATE:
        return None  # nothing before the first day the product accepts
    end = period.start - timedelta(days=1)
    if link.period == "quarter":
        start = quarter_start(end)
    elif link.period in ("week", "4w"):
        start = period.start - timedelta(weeks=1 if link.period == "week" else 4)
    else:
        start = period.start - timedelta(days=(period.day - period.start).days + 1)
    return stats.make_period(as_of=period.as_of, start=max(start, EARLIEST_DATE), end=end)


def comparison(link: ReviewLink, period: Period) -> tuple[Period | None, str, bool]:
    """What the KPI deltas compare with: (period, words, cumulative).

    A bounded period compares with the one before it; all time shows this week's part.
    """
    previous = previous_period(link, period)
    if previous is not None:
        words = {
            "week": "vs last week",
            "4w": "vs the 4 weeks before",
            "quarter": "vs last quarter",
        }
        return previous, words.get(link.period, "vs the period before"), False
    this_week = stats.make_period(as_of=period.as_of, start=monday(period.day), end=period.end)
    return this_week, "this week", True


def has_records(db: Database) -> bool:
    """Whether the database holds any contact at all."""
    return bool(db.scalar("SELECT EXISTS (SELECT 1 FROM contacts)"))


def describe_period(link: ReviewLink | None, period: Period) -> str:
    """The period in words: 'This week: Mon 23 Nov – Wed 25 Nov 2026', 'All time, up to …'.

    Without a link (the CLI's report, given bounds only) a bounded period is just its days:
    'Sun 1 Nov – Wed 25 Nov 2026'.
    """
    end = human_date(period.day)
    if period.start is None:
        return f"{PERIODS['all' if link is None else link.period]}, up to {end}"
    days = f"{short_date(period.start)} – {end}"
    return days if link is None else f"{PERIODS[link.period]}: {days}"
