"""The review's scorecard: the dashboard's KPI counts, the weekly goals and their streaks, the
calls made and their reach rate.

Every number here equals `python -m lib.cli stats --json` for the same period and as-of day
wherever the stats object has it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd

from lib.core.vocab import (
    FIRST_CONTACT,
    FOLLOW_UP_MAX_DAYS,
    FOLLOW_UP_MIN_DAYS,
    GOAL_KEYS,
    TOUCH_KINDS,
    VOICE_CHANNELS,
    WEEKLY,
    WRITTEN_CHANNELS,
    sql_words,
)
from lib.engine import stats
from lib.engine.stats import Period, Scope
from lib.store.db import Database

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


# ---------------------------------------------------------------- KPIs

# What `kpis` returns, in the order its query selects them.
KPI_NAMES: tuple[str, ...] = (
    "targets",
    "referrals",  # given in the period by the people the filters keep
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
    "referrals_by_t",  # every referral received by T, whatever the period and filters
)


def kpis(db: Database, scope: Scope) -> dict[str, int]:
    """The dashboard's KPI counts for a period (filtered like the funnel; a referral counts
    for the filters its giver passes: filtered by a source, the names that source's people
    gave)."""
    keep, params = stats.contact_filter("c", scope)
    giver, _ = stats.contact_filter("g", scope)
    picked = f"AND contact_id IN (SELECT c.id FROM contacts c WHERE true {keep})" if keep else ""
    until_t = f"occurred_on <= $t {picked}"
    in_period = f"{until_t} AND ($from::DATE IS NULL OR occurred_on >= $from::DATE)"
    # ASOF joins pair each conversation with the first thank-you on or after it, and each
    # follow-up with the touch just before it.
    row = db.execute(
        f"""
        WITH
        people AS (
            SELECT count(*) AS targets
            FROM contacts c
            WHERE identified_on <= $t AND ($from::DATE IS NULL OR identified_on >= $from::DATE)
                  {keep}
        ),
        given AS (
            SELECT count(*) AS referrals, count(*) FILTER (WHERE c.may_use_name) AS warm
            FROM contacts c JOIN contacts g ON g.id = c.referred_by
            WHERE c.identified_on <= $t
              AND ($from::DATE IS NULL OR c.identified_on >= $from::DATE) {giver}
        ),
        received AS (
            SELECT count(*) AS referrals_by_t FROM contacts
            WHERE referred_by IS NOT NULL AND identified_on <= $t
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
               follow_ups_too_soon, referrals_by_t
        FROM people, given, steps, thanks, follow_ups, received
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
