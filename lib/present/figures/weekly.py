"""The Weekly review's figures: each step against its goal, conversations per week."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from lib.core.vocab import STAGE_COLORS, WEEKLY
from lib.present.figures.style import NEUTRAL, styled, whole_numbers


def _week_label(week: str, start: object, *, last: bool = False, date: bool = True) -> str:
    if not date:
        return week[-3:]
    return f"{week[-3:]}{' (so far)' if last else ''}<br>{pd.Timestamp(start):%-d %b}"


def _week_labels(weeks: pd.DataFrame, *, date: bool = True) -> list[str]:
    """Category labels for ISO weeks: 'W47<br>16 Nov' (the last one 'so far'), or just 'W47'."""
    pairs = list(zip(weeks["week"], weeks["week_start"], strict=True))
    return [
        _week_label(week, start, last=k == len(pairs) - 1, date=date)
        for k, (week, start) in enumerate(pairs)
    ]


def _padded_weeks(weeks: pd.DataFrame, shown: int | None, *, date: bool = True) -> list[str]:
    """The week labels for an axis of `shown` weeks: the weeks before the first one blank."""
    labels = _week_labels(weeks, date=date)
    missing = max(0, (shown or 0) - len(labels))
    first = pd.Timestamp(weeks["week_start"].iloc[0]) if len(weeks) else pd.Timestamp.today()
    before = []
    for k in range(missing, 0, -1):
        start = first - pd.Timedelta(weeks=k)
        week = f"W{start.isocalendar().week:02d}"
        before.append(f"{week}<br>{start:%-d %b}" if date else week)
    return before + labels


def _week_axis(categories: list[str], *, labels: int = 6) -> dict[str, object]:
    """A category axis that keeps every week in `categories`, with data or not.

    At most `labels` weeks are labelled, counted back from the last, so the current week
    always has its label (left to plotly, a narrow chart labelled every other week from the
    first and could skip this one).
    """
    step = max(1, math.ceil(len(categories) / labels))
    return {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": categories,
        "range": [-0.5, len(categories) - 0.5],
        "tickmode": "array",
        "tickvals": categories[::-1][::step][::-1],
    }


# A cell's colour: grey with nothing done, pale green part of the way, green once the goal is met.
MET_COLOR = "#54A24B"
GOAL_SCALE = [
    [0.0, "rgba(140, 140, 140, 0.10)"],
    [0.999, "rgba(84, 162, 75, 0.35)"],
    [1.0, MET_COLOR],
]
# Counts are written in the cells up to this many weeks; beyond, cells are too narrow on a phone.
WRITTEN_WEEKS = 12


def weekly_goals_figure(progress: pd.DataFrame, *, weeks_shown: int | None = None) -> go.Figure:
    """A row per step and a cell per week: the count written in it, green once the goal is met.

    `progress` is `lib.engine.scorecard.goal_progress`: week, week_start, step, label, stage,
    done, goal, met. One chart of 7 × 12 cells, every count readable without hovering (on a
    phone there is no hover); it replaced seven small bar charts, which cost a first visit of
    the Weekly review 0.4 s more to draw (bench_first_visit). With `weeks_shown`, the axis
    holds that many weeks even when there are fewer: the weeks before the first are empty
    cells (plotly draws no cell at all for a lone column), so a first week is one on the right.
    """
    steps = list(dict.fromkeys(progress["step"]))
    parts = [progress[progress["step"] == step] for step in steps]
    first = parts[0] if parts else progress
    x = _padded_weeks(first, weeks_shown, date=False)
    blank = len(x) - len(first)
    rows, shares, counts, hover = [], [], [], []
    written: dict[bool, list[tuple[str, str, str]]] = {False: [], True: []}  # by goal met
    for step, part in zip(steps, parts, strict=True):
        goal = int(part["goal"].iloc[-1])
        row = f"{WEEKLY.short(step)}<br>goal {goal:,}"
        rows.append(row)
        done = [int(n) for n in part["done"]]
        targets = [int(n) for n in part["goal"]]
        shares.append(
            [None] * blank
            + [1.0 if g == 0 else min(n / g, 1.0) for n, g in zip(done, targets, strict=True)]
        )
        counts.append([""] * blank + [f"{n:,}" for n in done])
        for week, n, met in zip(x[blank:], done, part["met"], strict=True):
            written[bool(met)].append((week, row, f"{n:,}"))
        hover.append(
            [""] * blank
            + [
                f"<b>{part['label'].iloc[0]}</b><br>{week} (week of {pd.Timestamp(start):%-d %b})"
                f"<br>{n:,} done · goal {g:,}" + (" · met" if met else "")
                for week, start, n, g, met in zip(
                    part["week"], part["week_start"], done, targets, part["met"], strict=True
                )
            ]
        )
    figure = go.Figure(
        go.Heatmap(
            x=x,
            y=rows,
            z=shares,
            zmin=0,
            zmax=1,
            colorscale=GOAL_SCALE,
            showscale=False,
            xgap=2,
            ygap=2,
            text=counts,
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            hoverongaps=False,
        )
    )
    if len(x) <= WRITTEN_WEEKS:
        # The counts as text of their own: white on a met (green) cell, the theme's own text
        # colour elsewhere. The heatmap's own text picks black or white against the cell's
        # colour without its transparency, which left black on a dark theme's pale cells.
        for met, cells in written.items():
            figure.add_trace(
                go.Scatter(
                    x=[week for week, _, _ in cells],
                    y=[row for _, row, _ in cells],
                    text=[count for _, _, count in cells],
                    mode="text",
                    textfont={"color": "white"} if met else {},
                    name="met" if met else "not met",
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
    figure.update_yaxes(autorange="reversed", showgrid=False)
    figure.update_xaxes(showgrid=False, **_week_axis(x))
    return styled(figure, "Each week against your goals", 44 * len(steps) + 110)


def conversation_trend_figure(trend: pd.DataFrame, *, weeks_shown: int | None = None) -> go.Figure:
    """Conversations per week, with the 4-week average as a trend line (each week a marker,
    so one week shows too); `weeks_shown` keeps that many weeks on the axis."""
    x = _week_labels(trend)
    color = STAGE_COLORS["contacted"]
    figure = go.Figure(
        [
            go.Scatter(
                x=x,
                y=list(trend["conversations"].astype(int)),
                name="Conversations",
                mode="lines+markers",
                line={"color": color, "width": 3},
                customdata=list(trend["week"]),
                hovertemplate="%{customdata}: %{y} conversations<extra></extra>",
            ),
            go.Scatter(
                x=x,
                y=list(trend["average"]),
                name="4-week average",
                mode="lines+markers",
                line={"color": NEUTRAL, "dash": "dot", "width": 2},
                marker={"color": NEUTRAL, "size": 8, "symbol": "diamond"},
                customdata=list(trend["week"]),
                hovertemplate="%{customdata}: %{y:.1f} a week on average<extra></extra>",
            ),
        ]
    )
    top = max([*trend["conversations"].astype(int), 1])
    figure.update_yaxes(title="conversations", **whole_numbers(top))
    figure.update_xaxes(**_week_axis(_padded_weeks(trend, weeks_shown), labels=4))
    return styled(figure, "Conversations per week", 320)
