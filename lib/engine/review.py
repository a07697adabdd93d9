"""The review: which period a dashboard link shows, its KPIs and the weekly goals.

A `ReviewLink` is what a dashboard link holds (period, as-of day, source and channel
filters); it round-trips through URL query parameters so a copied link reopens
the same view. Every number here equals `python -m lib.cli stats --json` for the
same period and as-of day wherever the stats object has it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import pandas as pd

from lib.core.errors import ValidationError
from lib.core.validation import EARLIEST_DATE, parse_date
from lib.core.vocab import (
    CHANNELS,
    FIRST_CONTACT,
    FOLLOW_UP_MAX_DAYS,
    FOLLOW_UP_MIN_DAYS,
    GOAL_KEYS,
    SOURCES,
    TOUCH_KINDS,
    VOICE_CHANNELS,
    WEEKLY,
    WRITTEN_CHANNELS,
    sql_words,
)
from lib.core.words import human_date
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
# A thank-you is on time when sent within this many days of the conversation.
THANK_YOU_DAYS = 3
# The weekly steps with goals, in the method's order (labels: lib.core.vocab.WEEKLY).
STEP_LABELS: dict[str, str] = {key: WEEKLY.label(key) for key in GOAL_KEYS}
# Which funnel stage each weekly step moves people to (for its colour).
STEP_STAGES: dict[str, str] = {
    "targets": "targeted",
    "contacted": "contacted",
    "info_interview": "contacted",
    "referral_asked": "asked",
    "thank_you": "thanked",
    "follow_up": "followed_up",
    "calls": "contacted",
}


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
    days = f"{period.start.strftime('%a %-d %b')} – {end}"
    return days if link is None else f"{PERIODS[link.period]}: {days}"


# ---------------------------------------------------------------- KPIs


# What `kpis` returns, in the order its query selects them.
KPI_NAMES: tuple[str, ...] = (
    "targets",
    "referrals",
    "warm",
    "conversations",
    "opportunities",
    "thanks_on_time",
    "thanks_judged",
    "thanks_open",  # conversations whose thank-you window is still open, not yet thanked
    "thanks_open_due_in",  # days from the as-of day to the first open one's last day (or 0)
    "follow_ups",
    "follow_ups_on_schedule",
    "follow_ups_too_soon",
)


def kpis(db: Database, scope: Scope) -> dict[str, int]:
    """The dashboard's KPI counts for a period (filtered like the funnel)."""
    keep, params = stats.contact_filter("c", scope)
    picked = f"AND contact_id IN (SELECT c.id FROM contacts c WHERE true {keep})" if keep else ""
    until_t = f"occurred_on <= $t {picked}"
    in_period = f"{until_t} AND ($from::DATE IS NULL OR occurred_on >= $from::DATE)"
    # ASOF joins pair each conversation with the first thank-you on or after it, and each
    # follow-up with the touch just before it.
    row = db.execute(
        f"""
        WITH
        people AS (
            SELECT count(*) AS targets,
                   count(*) FILTER (WHERE referred_by IS NOT NULL) AS referrals,
                   count(*) FILTER (WHERE referred_by IS NOT NULL AND may_use_name) AS warm
            FROM contacts c
            WHERE identified_on <= $t AND ($from::DATE IS NULL OR identified_on >= $from::DATE)
                  {keep}
        ),
        steps AS (
            SELECT count(*) FILTER (WHERE kind = 'contacted') AS conversations,
                   count(*) FILTER (WHERE kind = 'opportunity') AS opportunities
            FROM events WHERE {in_period}
        ),
        conversation AS (
            SELECT contact_id, occurred_on FROM events WHERE kind = 'contacted' AND {in_period}
        ),
        thank_you AS (
            SELECT contact_id, occurred_on AS thanked_on
            FROM events WHERE kind = 'thank_you' AND {until_t}
              AND contact_id IN (SELECT contact_id FROM conversation)
        ),
        thanks AS (
            SELECT count(*) FILTER (WHERE on_time) AS thanks_on_time,
                   count(*) FILTER (WHERE on_time OR window_closed) AS thanks_judged,
                   count(*) FILTER (WHERE NOT coalesce(on_time, false) AND NOT window_closed)
                       AS thanks_open,
                   coalesce(min(date_diff('day', $t::DATE, last_day))
                       FILTER (WHERE NOT coalesce(on_time, false) AND NOT window_closed), 0)
                       AS thanks_open_due_in
            FROM (
                SELECT t.thanked_on <= c.occurred_on + {THANK_YOU_DAYS} AS on_time,
                       c.occurred_on + {THANK_YOU_DAYS} < $t::DATE AS window_closed,
                       c.occurred_on + {THANK_YOU_DAYS} AS last_day
                FROM conversation c ASOF LEFT JOIN thank_you t
                  ON c.contact_id = t.contact_id AND c.occurred_on <= t.thanked_on
            )
        ),
        follow_up AS (
            SELECT contact_id, occurred_on FROM events WHERE kind = 'follow_up' AND {in_period}
        ),
        touch AS (
            SELECT contact_id, occurred_on AS touched
            FROM events WHERE kind IN ({sql_words(TOUCH_KINDS)}) AND {until_t}
              AND contact_id IN (SELECT contact_id FROM follow_up)
        ),
        follow_ups AS (
            SELECT count(*) AS follow_ups,
                   count(*) FILTER (WHERE gap BETWEEN {FOLLOW_UP_MIN_DAYS} AND {FOLLOW_UP_MAX_DAYS})
                       AS follow_ups_on_schedule,
                   count(*) FILTER (WHERE gap < {FOLLOW_UP_MIN_DAYS}) AS follow_ups_too_soon
            FROM (
                SELECT date_diff('day', t.touched, f.occurred_on) AS gap
                FROM follow_up f ASOF LEFT JOIN touch t
                  ON f.contact_id = t.contact_id AND f.occurred_on > t.touched
            )
        )
        SELECT targets, referrals, warm, conversations, opportunities,
               thanks_on_time, thanks_judged, thanks_open, thanks_open_due_in,
               follow_ups, follow_ups_on_schedule,
               follow_ups_too_soon
        FROM people, steps, thanks, follow_ups
        """,
        scope.period.params | params,
    ).fetchone()
    return {name: int(value) for name, value in zip(KPI_NAMES, row, strict=True)}


# ---------------------------------------------------------------- weekly goals


def goals_summary(goals: Mapping[str, int]) -> str:
    """Goals in words: 'New targets 10 · Conversations 5 · …'."""
    return " · ".join(f"{STEP_LABELS[key]} {int(goals[key])}" for key in GOAL_KEYS)


def weekly_rows(db: Database, day: date) -> pd.DataFrame:
    """Every ISO week's counts (stats engine) from the first record through `day`'s week."""
    return stats.weekly(db, Scope(stats.make_period(as_of=day)))


def goal_progress(weeks: pd.DataFrame, goals: Mapping[str, int]) -> pd.DataFrame:
    """One row per week and step: done, goal, met (a goal of 0 is always met)."""
    long = weeks.melt(
        id_vars=["week", "week_start"],
        value_vars=list(GOAL_KEYS),
        var_name="step",
        value_name="done",
    )
    long["goal"] = long["step"].map(goals).astype(int)
    long["met"] = long["done"] >= long["goal"]
    long["label"] = long["step"].map(STEP_LABELS)
    long["stage"] = long["step"].map(STEP_STAGES)
    return long.sort_values(["week_start", "step"], key=_step_order).reset_index(drop=True)


def _step_order(column: pd.Series) -> pd.Series:
    return column.map(GOAL_KEYS.index) if column.name == "step" else column


def weeks_met(weeks: pd.DataFrame, goals: Mapping[str, int]) -> pd.Series:
    """For each week (in order), whether every weekly goal was met."""
    met = pd.Series(True, index=weeks.index)
    for key in GOAL_KEYS:
        met &= weeks[key] >= int(goals[key])
    return met


def streaks(weeks: pd.DataFrame, goals: Mapping[str, int]) -> tuple[int, int]:
    """(current, best) runs of weeks with every goal met; an unfinished last week may extend
    the current run but never breaks it."""
    met = list(weeks_met(weeks, goals))
    best = run = 0
    for ok in met:
        run = run + 1 if ok else 0
        best = max(best, run)
    current = 0
    history = met[:-1] if met and not met[-1] else met  # this week is still in progress
    for ok in reversed(history):
        if not ok:
            break
        current += 1
    return current, best


def week_comparison(weeks: pd.DataFrame, goals: Mapping[str, int]) -> pd.DataFrame:
    """This week against last week and the goal, one row per step."""
    this = weeks.iloc[-1] if len(weeks) else None
    last = weeks.iloc[-2] if len(weeks) > 1 else None
    return pd.DataFrame(
        {
            "step": list(GOAL_KEYS),
            "label": [STEP_LABELS[k] for k in GOAL_KEYS],
            "this_week": [int(this[k]) if this is not None else 0 for k in GOAL_KEYS],
            "last_week": [int(last[k]) if last is not None else 0 for k in GOAL_KEYS],
            "goal": [int(goals[k]) for k in GOAL_KEYS],
        }
    )


def reach_rate(talks: int, calls: int) -> float | None:
    """Conversations by phone ÷ calls made (None before the first call)."""
    return talks / calls if calls else None


def calls_by_week(weeks: pd.DataFrame) -> pd.DataFrame:
    """Calls made (call attempts + conversations by phone) and the reach rate, per week."""
    calls = weeks[["week", "week_start", "calls", "phone_talks", "attempt"]].copy()
    calls["reach_rate"] = [
        reach_rate(int(t), int(c))
        for t, c in zip(calls["phone_talks"], calls["calls"], strict=True)
    ]
    return calls.reset_index(drop=True)


def calls_in_period(db: Database, scope: Scope) -> dict[str, Any]:
    """Calls made, conversations by phone and the reach rate over a period."""
    weeks = stats.weekly(db, scope)
    calls = int(weeks["calls"].sum()) if len(weeks) else 0
    talks = int(weeks["phone_talks"].sum()) if len(weeks) else 0
    return {"calls": calls, "phone_talks": talks, "reach_rate": reach_rate(talks, calls)}


def first_contacts(db: Database, period: Period) -> dict[str, int]:
    """How the period's cohort was first reached: by voice, in writing or otherwise.

    A contact's first contact is its earliest event that reaches it (docs/METHOD.md "Stages":
    `contacted`, `info_interview` or `opportunity`) dated ≤ T; its channel decides the group.
    """
    rows = db.execute(
        f"""
        WITH first AS (
            SELECT e.contact_id, arg_min(e.channel, (e.occurred_on, e.id)) AS channel
            FROM events e JOIN contacts c ON c.id = e.contact_id
            WHERE e.kind IN ('contacted', 'info_interview', 'opportunity')
              AND e.occurred_on <= $t
              AND c.identified_on <= $t
              AND ($from::DATE IS NULL OR c.identified_on >= $from::DATE)
            GROUP BY e.contact_id
        )
        SELECT CASE WHEN channel IN ({sql_words(VOICE_CHANNELS)}) THEN 'voice'
                    WHEN channel IN ({sql_words(WRITTEN_CHANNELS)})
                        THEN 'written'
                    ELSE 'other' END AS how, count(*)
        FROM first GROUP BY ALL
        """,
        period.params,
    ).fetchall()
    counts = dict.fromkeys(FIRST_CONTACT, 0)
    counts.update({how: int(n) for how, n in rows})
    return counts


def conversation_trend(weeks: pd.DataFrame, window: int = 4) -> pd.DataFrame:
    """Conversations per week with a trailing `window`-week average."""
    trend = weeks[["week", "week_start", "contacted"]].rename(
        columns={"contacted": "conversations"}
    )
    trend["average"] = trend["conversations"].rolling(window, min_periods=1).mean().round(2)
    return trend.reset_index(drop=True)
