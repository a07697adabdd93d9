"""The five-stage funnel (Dashboard, report)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from lib.core.vocab import STAGE_COLORS, STAGE_LABELS
from lib.present.figures.style import styled

# Short enough to read beside a narrow bar on a 390 px phone; % of previous is in the hover.
FUNNEL_TEXT = "%{value:,}  ·  %{percentInitial:.0%} of targets"
FUNNEL_SHORT = "%{value:,}  ·  %{percentInitial:.0%}"  # beside a narrow bar
# A funnel bar narrower than this share of the widest has its label beside it, not inside.
FUNNEL_INSIDE_SHARE = 0.4
LABEL_MIN_SIZE = 12  # px: plotly never shrinks a bar's label below this


def funnel_figure(funnel: pd.DataFrame, *, title: str = "From target to follow-up") -> go.Figure:
    """The five-stage funnel: each bar's count and % of targets; hover adds % of previous."""
    stages = list(funnel["stage"])
    counts = [int(n) for n in funnel["contacts"]]
    # A narrow bar (1 of 7) keeps a readable label by putting it, shorter, beside the bar.
    inside = [bool(n) and n >= FUNNEL_INSIDE_SHARE * max(counts) for n in counts]
    figure = go.Figure(
        go.Funnel(
            y=[STAGE_LABELS[s] for s in stages],
            x=counts,
            texttemplate=["%{value:,} targets"]
            + [FUNNEL_TEXT if fits else FUNNEL_SHORT for fits in inside[1:]],
            textposition=["inside" if fits else "outside" for fits in inside],
            constraintext="none",
            cliponaxis=False,
            textfont={"size": 14},
            marker={"color": [STAGE_COLORS[s] for s in stages]},
            connector={"line": {"width": 0}, "fillcolor": "rgba(140, 140, 140, 0.18)"},
            hovertemplate="<b>%{y}</b>: %{x:,} people<br>%{percentPrevious:.0%} of the "
            "previous step<br>%{percentInitial:.0%} of targets<extra></extra>",
        )
    )
    figure.update_yaxes(title=None, tickfont={"size": 14})
    return styled(figure, title, 400, uniformtext={"minsize": LABEL_MIN_SIZE, "mode": "show"})
