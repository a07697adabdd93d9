"""The report's week by week: one line per step of the method."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.core.vocab import WEEKLY
from lib.present.figures.style import styled, whole_numbers

# The weekly trend draws one line per step of the method, in that step's colour.
TREND_SERIES: tuple[str, ...] = ("targets", "contacted", "referral_asked", "thank_you", "follow_up")
# The trend draws at most five years of weeks: a period reaching far from its records (say
# `--as-of 2200-12-31`) would otherwise put every empty week in the report (78 MB at 9999).
TREND_WEEKS = 260


def trend_weeks(weekly: pd.DataFrame, limit: int = TREND_WEEKS) -> pd.DataFrame:
    """The weeks the trend draws: all of them, or the last `limit` up to the last busy week."""
    if len(weekly) <= limit:
        return weekly
    busy = weekly[list(TREND_SERIES)].sum(axis=1) > 0
    last = int(busy.to_numpy().nonzero()[0][-1]) + 1 if busy.any() else len(weekly)
    return weekly.iloc[max(0, last - limit) : last]


def weekly_trend_figure(weekly: pd.DataFrame) -> go.Figure:
    """One line per step of the method (`stats.weekly` rows), one point per ISO week.

    At most `TREND_WEEKS` weeks (`trend_weeks`). The x axis is the weeks' Mondays as dates,
    so a long period thins its ticks by itself.
    """
    weekly = trend_weeks(weekly)
    x = list(weekly["week_start"])
    figure = go.Figure()
    for column in TREND_SERIES:
        label, color = WEEKLY[column].label, WEEKLY[column].color
        figure.add_trace(
            go.Scatter(
                x=x,
                y=[int(n) for n in weekly[column]],
                customdata=list(weekly["week"]),
                name=label,
                mode="lines+markers",
                line={"color": color, "width": 2},
                hovertemplate=f"{label}: %{{y}}<br>%{{customdata}}<extra></extra>",
            )
        )
    top = max([int(n) for column in TREND_SERIES for n in weekly[column]] + [1])
    figure.update_yaxes(title="per week", **whole_numbers(top))
    return styled(figure, "Week by week", 340, hovermode="x unified")
