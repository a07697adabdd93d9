"""The Weekly review's figures: each step against its goal, conversations per week."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from lib.core.vocab import STAGE_COLORS
from lib.present.figures.style import NEUTRAL, styled, whole_numbers

BELOW_GOAL_OPACITY = 0.4


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


def _goal_marker() -> dict[str, object]:
    """A goal drawn as a short bar-wide dash: it shows even for one week (a line needs two)."""
    return {"symbol": "line-ew", "size": 26, "line": {"width": 3, "color": NEUTRAL}}


def _grid(
    titles: list[str], tops: list[int], columns: int, *, gap_x: float = 0.06, gap_y: float = 0.12
) -> dict[str, object]:
    """Layout for small multiples: axes x1/y1… in rows of `columns`, a title above each."""
    rows = math.ceil(len(titles) / columns)
    width = (1 - gap_x * (columns - 1)) / columns
    height = (1 - gap_y * (rows - 1)) / rows
    layout: dict[str, object] = {"annotations": []}
    for index, (title, top) in enumerate(zip(titles, tops, strict=True)):
        row, col = divmod(index, columns)
        left = col * (width + gap_x)
        bottom = max(0.0, 1 - row * (height + gap_y) - height)  # no -5e-17 from rounding
        suffix = str(index + 1) if index else ""
        layout[f"xaxis{suffix}"] = {
            "domain": [left, left + width],
            "anchor": f"y{index + 1}",
            "tickangle": 0,
            "showticklabels": row == rows - 1 or index + columns >= len(titles),
        }
        layout[f"yaxis{suffix}"] = {
            "domain": [bottom, bottom + height],
            "anchor": f"x{index + 1}",
            **whole_numbers(top),
        }
        layout["annotations"].append(
            {
                "text": title,
                "x": left + width / 2,
                "y": bottom + height,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 15},
            }
        )
    return layout


def weekly_goals_figure(
    progress: pd.DataFrame, *, columns: int = 2, weeks_shown: int | None = None
) -> go.Figure:
    """One panel of weekly bars per step, each against its goal (a dash per week, joined).

    `progress` is `lib.engine.scorecard.goal_progress`: week, week_start, step, label, stage,
    done, goal, met. Bars below the goal are faded. With `weeks_shown`, the axis holds that
    many weeks even when there are fewer (a first week stays one bar wide, on the right).
    """
    steps = list(dict.fromkeys(progress["step"]))
    rows = math.ceil(len(steps) / columns)
    labels = [progress.loc[progress["step"] == s, "label"].iloc[0] for s in steps]
    traces: list[go.BaseTraceType] = []
    tops: list[int] = []
    for index, step in enumerate(steps):
        part = progress[progress["step"] == step]
        x = _week_labels(part, date=False)
        color = STAGE_COLORS[part["stage"].iloc[0]]
        axis = index + 1
        traces.append(
            go.Bar(
                x=x,
                y=list(part["done"].astype(int)),
                xaxis=f"x{axis}",
                yaxis=f"y{axis}",
                name=labels[index],
                marker={
                    "color": color,
                    "opacity": [1.0 if met else BELOW_GOAL_OPACITY for met in part["met"]],
                },
                customdata=list(
                    zip(
                        part["week"],
                        [f"{pd.Timestamp(d):%-d %b}" for d in part["week_start"]],
                        part["goal"].astype(int),
                        strict=True,
                    )
                ),
                hovertemplate=f"<b>{labels[index]}</b><br>%{{customdata[0]}} "
                "(week of %{customdata[1]})<br>%{y} done · goal %{customdata[2]}<extra></extra>",
                showlegend=False,
            )
        )
        traces.append(
            go.Scatter(
                x=x,
                y=list(part["goal"].astype(int)),
                xaxis=f"x{axis}",
                yaxis=f"y{axis}",
                name="Weekly goal (a faded bar missed it)",
                mode="lines+markers",
                line={"color": NEUTRAL, "dash": "dash", "width": 2},
                marker=_goal_marker(),
                hovertemplate="goal %{y}<extra></extra>",
                showlegend=index == 0,
                legendgroup="goal",
            )
        )
        tops.append(max([*part["done"].astype(int), *part["goal"].astype(int), 1]))
    # A hand-made grid: make_subplots and per-trace add_trace cost ~0.1 s per figure.
    layout = _grid(labels, tops, columns)
    first = progress[progress["step"] == steps[0]] if steps else progress
    axis = _week_axis(_padded_weeks(first, weeks_shown, date=False))
    for index in range(len(steps)):
        layout[f"xaxis{index + 1 if index else ''}"].update(axis)
    figure = go.Figure(data=traces, layout=layout)
    styled(figure, "Each week against your goals", 230 * rows + 120, bargap=0.25)
    # The first row's step names sit above its axes, in the top margin: room below the title.
    return figure.update_layout(margin={"t": 80})


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
