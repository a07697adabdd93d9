"""Weekly review: every step per ISO week against your goals, the streak and the trend."""

from datetime import date

import pandas as pd
import streamlit as st

from lib.core.errors import ValidationError
from lib.core.vocab import REACH_RATE, WEEKLY
from lib.core.words import counted, human_date
from lib.engine import review, scorecard
from lib.present.figures.weekly import (
    WRITTEN_WEEKS,
    conversation_trend_figure,
    weekly_goals_figure,
)
from lib.records import settings
from lib.ui.data import get_db, query
from lib.ui.mode import app_mode
from lib.ui.text import escape_markdown, literal
from lib.ui.widgets import chart, plain_table, wrapping

st.title("Weekly review")
day, problem = review.link_as_of(st.query_params.to_dict())
if problem:
    st.warning(f"Part of this link was ignored — {literal(problem)}; reviewing up to today.")
day = day or date.today()


def save_goals(goals: dict) -> None:
    try:
        settings.set_weekly_goals(get_db(), goals)
    except ValidationError as exc:
        st.error(f"Goals not saved — {escape_markdown(exc)}")
    else:
        st.success("Weekly goals saved.")


def set_goals() -> None:
    """Presets and a box per goal."""
    st.caption("Start from a preset, or set each goal yourself. A goal of 0 is always met.")
    presets = st.columns(2)
    for column, (preset, words) in zip(
        presets,
        (
            ("searching", "Preset: actively searching"),
            ("employed", "Preset: searching while employed"),
        ),
        strict=True,
    ):
        goals = settings.GOAL_PRESETS[preset]
        if column.button(words, help=scorecard.goals_summary(goals), width="stretch"):
            save_goals(goals)
    current = query(settings.weekly_goals)
    with st.form("weekly_goals", border=False):
        columns = st.columns(3)
        entered = {
            key: columns[k % 3].number_input(
                scorecard.STEP_LABELS[key],
                min_value=0,
                max_value=500,
                step=1,
                value=current[key],
            )
            for k, key in enumerate(settings.GOAL_KEYS)
        }
        if st.form_submit_button("Save goals", type="primary"):
            save_goals(entered)


if not app_mode().read_only:
    # Built only while open: closed, an expander's form is drawn all the same (bench_first_visit).
    editor = st.expander(
        "Set your weekly goals", icon=":material/flag:", key="set_goals", on_change="rerun"
    )
    if editor.open:
        with editor:
            set_goals()

goals = query(settings.weekly_goals)
weeks = query(scorecard.weekly_rows, day)
if weeks.empty:
    st.info(
        "**No weeks to review yet.** Once you add targets and log conversations, each week "
        "appears here against your goals: " + scorecard.goals_summary(goals) + "."
    )
    st.stop()

this_week = weeks.iloc[-1]["week"]
current_streak, best_streak = scorecard.streaks(weeks, goals)
st.subheader(f"This week ({this_week}, so far) against your goals")
comparison = scorecard.week_comparison(weeks, goals)
cells = [column for _ in range(0, len(comparison), 3) for column in st.columns(3)]
for column, row in zip(cells, comparison.itertuples(), strict=False):
    column.metric(
        row.label,
        f"{row.this_week} of {row.goal}" + (" ✓" if row.this_week >= row.goal else ""),
        f"{row.this_week - row.last_week:+} vs last week ({row.last_week})",
        delta_arrow="auto" if row.this_week != row.last_week else "off",
        delta_color="normal" if row.this_week != row.last_week else "off",
        border=True,
    )
if current_streak:
    st.success(
        f"**{current_streak}-week streak** of meeting every goal (best: {best_streak}).",
        icon=":material/local_fire_department:",
    )
else:
    st.info(
        "No streak running: meet every goal in a week to start one."
        + (f" Your best so far: {counted(best_streak, 'week')} in a row." if best_streak else ""),
        icon=":material/flag:",
    )

with wrapping("weeks_shown"):
    shown = st.pills(
        "Weeks shown",
        [4, 8, 12, 26, 52],
        default=12,
        format_func=lambda n: f"{n} weeks",
        required=True,
        key="weeks_shown",
    )
recent = weeks.tail(shown)
progress = scorecard.goal_progress(recent, goals)
chart(weekly_goals_figure(progress, weeks_shown=shown))
st.caption(
    "Each cell is a week's count: green once it meets the goal, pale green part of the way."
    + (
        ""
        if shown <= WRITTEN_WEEKS
        else f" Over {WRITTEN_WEEKS} weeks the cells are too narrow for their numbers: "
        "point at a cell, or show fewer weeks."
    )
)
trend = scorecard.conversation_trend(recent)
chart(conversation_trend_figure(trend, weeks_shown=shown))

st.subheader(f"{WEEKLY.label('calls')} and {REACH_RATE.label.lower()}")
st.caption(f"{WEEKLY['calls'].help.capitalize()}; {REACH_RATE.label.lower()} = {REACH_RATE.help}.")
calls = scorecard.calls_by_week(recent).iloc[::-1]
# A week with no calls has no reach rate: "—", as on the Dashboard (a blank cell read "None").
calls["reach_rate"] = ["—" if pd.isna(rate) else f"{rate:.0%}" for rate in calls["reach_rate"]]
plain_table(
    calls[["week", "calls", "phone_talks", "attempt", "reach_rate"]].rename(
        columns={
            "week": "Week",
            "calls": WEEKLY.short("calls"),
            "phone_talks": WEEKLY.short("phone_talks"),
            "attempt": WEEKLY.short("attempt"),
            "reach_rate": REACH_RATE.label,
        }
    )
)
st.caption(f"Weeks run Monday to Sunday (ISO weeks); {this_week} runs up to {human_date(day)}.")
